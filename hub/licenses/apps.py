from django.apps import AppConfig


class LicensesConfig(AppConfig):
    name = "hub.licenses"
    label = "licenses"
    verbose_name = "Licenses"
