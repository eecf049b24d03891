from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hub.moderation.models import ModerationAction, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Decide reports in the moderation queue (/moderation): it logs them."""

    list_display = ("pk", "kind", "reason", "status", "reporter", "repo", "created_at")
    list_filter = ("status", "kind", "reason", "created_at")
    search_fields = ("text", "reporter__username", "repo__name")
    raw_id_fields = (
        "reporter",
        "repo",
        "review",
        "comment",
        "target_user",
        "decided_by",
    )
    list_select_related = ("reporter", "repo__namespace")


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The audit log: read-only, entries are never changed or removed."""

    list_display = ("created_at", "actor_username", "action", "target_label", "reason")
    list_filter = ("action", "created_at")
    search_fields = ("actor_username", "target_label", "reason")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
