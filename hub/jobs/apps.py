from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "hub.jobs"
    label = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        from hub.jobs import receivers  # noqa: F401  (connects signal receivers)
        from hub.jobs.filters import filters_register

        filters_register()
