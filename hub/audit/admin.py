"""The audit log in the admin: read-only for everyone, superusers included
(the model, its queryset and the database refuse changes as well)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hub.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "action",
        "actor_name",
        "target",
        "repo",
        "organization",
        "ip",
    )
    list_filter = ("action", "at")
    search_fields = ("actor_name", "target", "repo", "organization", "request_id")
    date_hierarchy = "at"
    actions = None
    readonly_fields = tuple(field.name for field in AuditEvent._meta.fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
