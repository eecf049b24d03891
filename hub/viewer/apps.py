from django.apps import AppConfig


class ViewerConfig(AppConfig):
    name = "hub.viewer"
    label = "viewer"
    verbose_name = "Dataset viewer"

    def ready(self) -> None:
        from hub.viewer import receivers  # noqa: F401  (connects signal receivers)
