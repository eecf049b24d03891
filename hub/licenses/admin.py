from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from hub.licenses.models import License, LicenseAcceptance

_FLAGS = (
    "allows_commercial_use",
    "allows_derivatives",
    "requires_attribution",
    "requires_share_alike",
    "has_use_restrictions",
    "requires_acceptance",
)


@admin.register(License)
class LicenseAdmin(admin.ModelAdmin):
    """Read-only view of the catalog.

    ``data/licenses.json`` is the source of truth: the data migration that
    re-runs the loader would silently revert any edit made here, so edits
    belong in the JSON file and a new migration.
    """

    list_display = ("id", "name", "kind", *_FLAGS)
    list_filter = ("kind", *_FLAGS)
    search_fields = ("id", "name")
    ordering = ("id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: License | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: License | None = None
    ) -> bool:
        return False


@admin.register(LicenseAcceptance)
class LicenseAcceptanceAdmin(admin.ModelAdmin):
    list_display = ("repo", "user", "status", "license_id", "created_at", "decided_at")
    list_filter = ("status", "created_at")
    search_fields = ("user__username", "repo__name", "repo__namespace__name")
    raw_id_fields = ("repo", "user", "decided_by")
    list_select_related = ("repo__namespace", "user")
