from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "hub.storage"
    label = "storage"
    verbose_name = "Blob storage"
