"""Admin for the community: discussions with their timeline, comments, likes.

Timelines are history: events are read-only here, and changes go through
the services (a hidden comment is hidden with ``comment_hide`` so the rules
and the record of who hid it stay the same as on the site).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from hub.community.models import CommentRevision, Discussion, DiscussionEvent, Like
from hub.community.services.comments import comment_hide
from hub.core.errors import ApplicationError


class DiscussionEventInline(admin.TabularInline):
    model = DiscussionEvent
    fields = ("created_at", "type", "author", "content", "data", "is_hidden")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("created_at", "pk")

    def has_add_permission(self, request, obj=None):
        return False


class CommentRevisionInline(admin.TabularInline):
    model = CommentRevision
    fields = ("created_at", "edited_by", "content")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Discussion)
class DiscussionAdmin(admin.ModelAdmin):
    list_display = (
        "num",
        "title",
        "repo",
        "is_pull_request",
        "status",
        "author",
        "created_at",
    )
    list_filter = ("is_pull_request", "status", "is_pinned", "is_locked", "created_at")
    search_fields = (
        "title",
        "repo__name",
        "repo__namespace__name",
        "author__username",
    )
    list_select_related = ("repo__namespace", "author")
    readonly_fields = (
        "repo",
        "num",
        "title",
        "author",
        "is_pull_request",
        "status",
        "target_branch",
        "merge_commit",
        "created_at",
        "updated_at",
    )
    date_hierarchy = "created_at"
    inlines = [DiscussionEventInline]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DiscussionEvent)
class DiscussionEventAdmin(admin.ModelAdmin):
    list_display = ("__str__", "type", "author", "is_hidden", "created_at")
    list_filter = ("type", "is_hidden", "created_at")
    search_fields = (
        "content",
        "author__username",
        "discussion__title",
        "discussion__repo__name",
    )
    list_select_related = ("author", "discussion")
    readonly_fields = (
        "discussion",
        "type",
        "author",
        "created_at",
        "content",
        "is_hidden",
        "hidden_by",
        "data",
    )
    inlines = [CommentRevisionInline]
    actions = ["hide_comments"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.action(description="Hide the selected comments")
    def hide_comments(
        self, request: HttpRequest, queryset: QuerySet[DiscussionEvent]
    ) -> None:
        hidden = 0
        for event in queryset.filter(type=DiscussionEvent.Type.COMMENT):
            try:
                comment_hide(event=event, actor=request.user)  # type: ignore[arg-type]
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                hidden += 1
        self.message_user(request, f"{hidden} comment(s) hidden.")


@admin.register(Like)
class LikeAdmin(admin.ModelAdmin):
    list_display = ("user", "repo", "created_at")
    list_filter = ("created_at",)
    search_fields = ("user__username", "repo__name", "repo__namespace__name")
    list_select_related = ("user", "repo__namespace")
    raw_id_fields = ("user", "repo")
    date_hierarchy = "created_at"
