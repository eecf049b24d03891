from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "hub.storage"
    label = "storage"
    verbose_name = "Blob storage"

    def ready(self) -> None:
        from hub.storage.fsck import invariant_check_register
        from hub.storage.invariants import STAGING, STORAGE_COUNTERS

        # hub_fsck --invariants (the apps above register theirs likewise)
        invariant_check_register(STORAGE_COUNTERS)
        invariant_check_register(STAGING)
