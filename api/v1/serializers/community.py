"""Likes, discussions, pull requests and their timelines."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hub.community.models import Discussion, DiscussionEvent, Like


class LikeStateSerializer(serializers.Serializer):
    liked = serializers.BooleanField()
    likes = serializers.IntegerField(help_text="The repo's like count.")


class UserLikeSerializer(serializers.ModelSerializer):
    repo = serializers.CharField(source="repo.full_name")
    liked_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Like
        fields = ["repo", "liked_at"]


class DiscussionListItemSerializer(serializers.ModelSerializer):
    # A plain string here and an enum in the detail: an enum named "status"
    # in both would collide, in the schema, with the other "status" enums.
    status = serializers.CharField(help_text="draft, open, closed or merged.")
    author = serializers.CharField(
        source="author.username", allow_null=True, default=None
    )

    class Meta:
        model = Discussion
        fields = [
            "num",
            "title",
            "status",
            "is_pull_request",
            "author",
            "target_branch",
            "created_at",
            "updated_at",
        ]


class DiscussionEventSerializer(serializers.ModelSerializer):
    """A timeline entry. A hidden comment shows no content."""

    author = serializers.CharField(
        source="author.username", allow_null=True, default=None
    )
    content = serializers.SerializerMethodField(
        help_text="A comment's or review's Markdown; null for hidden comments "
        "and other events."
    )
    edited_at = serializers.SerializerMethodField()
    # A field named "data" shadows Serializer.data for the type checker only:
    # DRF moves declared fields off the class.
    data = serializers.JSONField(  # type: ignore[assignment]
        help_text="Status changes: {status}; commits: {oid, subject}; "
        "title changes: {from, to}; reviews: {state, oid} (state: approved, "
        "changes_requested or commented; oid: the head reviewed); "
        "moderation: {action} (pinned, unpinned, locked, unlocked)."
    )

    class Meta:
        model = DiscussionEvent
        fields = [
            "id",
            "type",
            "author",
            "created_at",
            "content",
            "is_hidden",
            "edited_at",
            "data",
        ]

    def get_content(self, event: DiscussionEvent) -> str | None:
        if event.is_hidden or event.type not in (
            DiscussionEvent.Type.COMMENT,
            DiscussionEvent.Type.REVIEW,
        ):
            return None
        return event.content

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_edited_at(self, event: DiscussionEvent) -> Any:
        value = getattr(event, "last_edited_at", None)
        if value is None:
            return None
        return serializers.DateTimeField().to_representation(value)


class PullRequestReviewSummarySerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=["approved", "changes_requested", "none"],
        help_text="changes_requested if any maintainer's latest verdict asks "
        "for changes, else approved if one approved, else none.",
    )
    approved_by = serializers.ListField(child=serializers.CharField())
    changes_requested_by = serializers.ListField(child=serializers.CharField())


class MergeBlockerSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=["not_open", "checks_failed", "quarantined", "conflict"]
    )
    message = serializers.CharField()


class DiscussionDetailSerializer(DiscussionListItemSerializer):
    """A discussion or pull request with its timeline."""

    git_ref = serializers.SerializerMethodField(
        help_text="refs/pr/N of a pull request; null for a discussion."
    )
    head_commit = serializers.SerializerMethodField(
        help_text="The pull request's head commit: poll its checks before merging."
    )
    merge_commit = serializers.CharField(
        source="merge_commit.oid", allow_null=True, default=None
    )
    status = serializers.ChoiceField(  # type: ignore[assignment]
        choices=Discussion.Status.choices
    )
    events = serializers.SerializerMethodField()
    review = serializers.SerializerMethodField(
        help_text="Pull requests: where the maintainers' reviews stand; null "
        "for a discussion."
    )
    mergeable = serializers.SerializerMethodField(
        help_text="Pull requests: why a merge would be refused now (empty: "
        "it would not be); null for a discussion."
    )

    class Meta(DiscussionListItemSerializer.Meta):
        fields = [
            *DiscussionListItemSerializer.Meta.fields,
            "is_pinned",
            "is_locked",
            "git_ref",
            "head_commit",
            "merge_commit",
            "review",
            "mergeable",
            "events",
        ]

    def get_git_ref(self, discussion: Discussion) -> str | None:
        return discussion.git_ref if discussion.is_pull_request else None

    def get_head_commit(self, discussion: Discussion) -> str | None:
        return self.context.get("head_commit")

    @extend_schema_field(DiscussionEventSerializer(many=True))
    def get_events(self, discussion: Discussion) -> Any:
        return DiscussionEventSerializer(self.context["events"], many=True).data

    @extend_schema_field(PullRequestReviewSummarySerializer(allow_null=True))
    def get_review(self, discussion: Discussion) -> Any:
        summary = self.context.get("review")
        if summary is None:
            return None
        return PullRequestReviewSummarySerializer(summary).data

    @extend_schema_field(MergeBlockerSerializer(many=True, allow_null=True))
    def get_mergeable(self, discussion: Discussion) -> Any:
        blockers = self.context.get("blockers")
        if blockers is None:
            return None
        return MergeBlockerSerializer(blockers, many=True).data


class DiscussionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=65536
    )
    is_pull_request = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Open a draft pull request (its ref refs/pr/N starts at the "
        "head of target_branch); push commits to it with the HF protocol.",
    )
    target_branch = serializers.CharField(
        required=False, default="main", max_length=255
    )


class CommentCreateSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=65536)


class MergeSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=65536
    )


class ReviewCreateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=DiscussionEvent.ReviewState.choices)
    content = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=65536,
        help_text="Markdown; required unless approving.",
    )


class DiscussionFlagSerializer(serializers.Serializer):
    value = serializers.BooleanField(help_text="true to pin / lock, false to undo.")
