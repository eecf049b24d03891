from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "hub.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from hub.catalog.invariants import COUNTERS, REFERENCES
        from hub.catalog.models import TreeEntry
        from hub.storage.fsck import invariant_check_register
        from hub.storage.references import blob_referrer_register

        # Blob GC keeps what a commit's tree references (PROTECT backs it up).
        blob_referrer_register(
            "catalog", lambda blob: TreeEntry.objects.filter(blob_id=blob)
        )
        invariant_check_register(REFERENCES)  # hub_fsck --invariants
        invariant_check_register(COUNTERS)
