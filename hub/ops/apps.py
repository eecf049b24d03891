from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: probes, Prometheus metrics, JSON logs with request ids."""

    name = "hub.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from hub.ops.logs import connect_celery_task_ids

        connect_celery_task_ids()
