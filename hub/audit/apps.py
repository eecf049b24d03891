from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hub.audit"
    label = "audit"
    verbose_name = "Security audit log"
