from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from hub.accounts.actors import Actor
from hub.accounts.admin import UserAdmin
from hub.accounts.models import User
from hub.core.errors import ApplicationError
from hub.moderation.models import ModerationAction, Report
from hub.moderation.services.actions import ACTS, act_run


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
    # Deciding is report_decide's (staff only, logged): /moderation.
    readonly_fields = ("status", "decided_at", "decided_by", "decision_note")


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


@admin.action(description="Ban the selected users (asks for a reason)")
def ban_users(modeladmin: Any, request: HttpRequest, queryset: QuerySet[User]) -> Any:
    return _act_on_users(
        modeladmin, request, queryset, ModerationAction.Action.BAN_USER
    )


@admin.action(description="Lift the ban of the selected users (asks for a reason)")
def unban_users(modeladmin: Any, request: HttpRequest, queryset: QuerySet[User]) -> Any:
    return _act_on_users(
        modeladmin, request, queryset, ModerationAction.Action.UNBAN_USER
    )


def _act_on_users(
    modeladmin: Any, request: HttpRequest, queryset: QuerySet[User], action: str
) -> Any:
    """Ask for the reason, then take the moderation action on each user
    (logged, recorded in the audit log, refused for non-staff by act_run)."""
    reason = request.POST.get("reason", "").strip()
    if not reason:
        return TemplateResponse(
            request,
            "admin/moderation/user_action_reason.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": ACTS[action].what.capitalize(),
                "users": queryset,
                "action": request.POST.get("action", ""),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": modeladmin.model._meta,
            },
        )
    done = 0
    actor = Actor.of(request.user)
    for user in queryset:
        try:
            act_run(ACTS[action], target=user, actor=actor, reason=reason)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{user}: {exc.message}", messages.ERROR)
        else:
            done += 1
    modeladmin.message_user(request, f"{ACTS[action].what}: {done} user(s).")
    return None


admin.site.unregister(User)


@admin.register(User)
class ModeratedUserAdmin(UserAdmin):
    """The accounts' user admin, plus banning and lifting bans through
    moderation (``is_active`` is read-only there)."""

    actions = (ban_users, unban_users)
