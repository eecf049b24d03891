from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hub.reviews.models import (
    DownloadRecord,
    Review,
    ReviewReply,
    ReviewRevision,
    ReviewVote,
)


class ReviewRevisionInline(admin.TabularInline):
    model = ReviewRevision
    extra = 0
    can_delete = False
    readonly_fields = ("commit", "rating", "text", "evidence", "written_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Hide reviews through the moderation queue: it logs the action and tells
    the author why."""

    list_display = (
        "repo",
        "author",
        "rating",
        "helpful_count",
        "is_hidden",
        "created_at",
    )
    list_filter = ("rating", "is_hidden", "created_at")
    search_fields = ("author__username", "repo__name", "repo__namespace__name", "text")
    raw_id_fields = ("repo", "author", "commit", "hidden_by")
    list_select_related = ("repo__namespace", "author")
    inlines = [ReviewRevisionInline]
    # Hiding is a moderation action (/moderation: logged, the author told).
    readonly_fields = ("is_hidden", "hidden_by")


@admin.register(ReviewReply)
class ReviewReplyAdmin(admin.ModelAdmin):
    list_display = ("review", "author", "created_at")
    search_fields = ("author__username", "text")
    raw_id_fields = ("review", "author")


@admin.register(ReviewVote)
class ReviewVoteAdmin(admin.ModelAdmin):
    list_display = ("review", "user", "created_at")
    search_fields = ("user__username",)
    raw_id_fields = ("review", "user")


@admin.register(DownloadRecord)
class DownloadRecordAdmin(admin.ModelAdmin):
    list_display = ("user", "repo", "commit", "created_at")
    search_fields = ("user__username", "repo__name")
    raw_id_fields = ("user", "repo", "commit")
    list_select_related = ("user", "repo__namespace", "commit")
