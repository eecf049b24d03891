from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hub.web"
    label = "web"
    verbose_name = "Web UI"
