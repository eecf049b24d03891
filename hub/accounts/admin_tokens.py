"""Admin for API tokens: inspected, renamed and revoked (through
``token_revoke``, so the audit log hears of it); never created here (the
secret would have nowhere safe to be shown) nor deleted (revoke instead)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from hub.accounts.models import ApiToken
from hub.accounts.services import token_revoke


class TokenStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return (("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked"))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        now = timezone.now()
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True).filter(
                Q(expires_at__isnull=True) | Q(expires_at__gt=now)
            )
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created where their secret can be shown once (the web UI,
    ``manage.py hub_token``); here they can be inspected, renamed, revoked."""

    list_display = (
        "prefix",
        "name",
        "user",
        "scope",
        "is_active",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "created_at",
    )
    list_filter = (TokenStatusFilter, "scope", "expires_at", "created_at")
    search_fields = ("prefix", "name", "user__username", "user__email")
    list_select_related = ("user",)
    ordering = ("-created_at",)
    actions = ("revoke_tokens",)
    fields = (
        "name",
        "user",
        "prefix",
        "scope",
        "repo_ids",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "created_at",
        "digest",
    )
    # Everything but the name: a token's powers are fixed when its secret is
    # handed out, and the digest is never edited.
    readonly_fields = (
        "user",
        "prefix",
        "scope",
        "repo_ids",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "created_at",
        "digest",
    )

    @admin.display(boolean=True, description="Active")
    def is_active(self, obj: ApiToken) -> bool:
        return obj.is_active

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A secret created here would have nowhere safe to be shown.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoke instead: it is recorded and keeps the token's history.
        return False

    @admin.action(description="Revoke selected tokens", permissions=("change",))
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]):
        count = 0
        for token in queryset:
            token_revoke(token=token, by=request.user)  # type: ignore[arg-type]
            count += 1
        self.message_user(request, f"Revoked {count} token(s).", messages.SUCCESS)
