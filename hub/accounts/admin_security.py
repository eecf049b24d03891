"""Admin pages of account security: sessions (staff can end one: the same
service as /settings/sessions) and recovery codes (digests only, never
added here)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from hub.accounts.models import RecoveryCode, UserSession
from hub.accounts.sessions import session_revoke


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_seen_at", "ip", "user_agent")
    search_fields = ("user__username", "ip", "user_agent")
    list_select_related = ("user",)
    ordering = ("-last_seen_at",)
    # The session key is the cookie's secret: not shown.
    fields = ("user", "created_at", "last_seen_at", "ip", "user_agent")
    readonly_fields = fields
    actions = ("end_sessions",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Sign out the selected sessions", permissions=("delete",))
    def end_sessions(self, request: HttpRequest, queryset: QuerySet[UserSession]):
        count = 0
        for row in queryset.select_related("user"):
            session_revoke(user=row.user, session_id=row.pk)
            count += 1
        self.message_user(request, f"Signed out {count} session(s).", messages.SUCCESS)


@admin.register(RecoveryCode)
class RecoveryCodeAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "used_at")
    search_fields = ("user__username",)
    list_select_related = ("user",)
    ordering = ("-created_at",)
    fields = ("user", "created_at", "used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A code made here would have nowhere safe to be shown.
        return False
