"""What each moderation action does to its target, the audit log columns
naming the target, and the notice its author gets: the parts of the
``actions`` table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from hub.accounts.models import User
from hub.catalog.models import ModelRepo
from hub.community.models import Discussion, DiscussionEvent
from hub.community.services.discussions import discussion_set_locked
from hub.core.errors import ConflictError, PermissionDeniedError, ValidationError
from hub.reviews.models import Review
from hub.reviews.services import review_hide, review_rating_refresh


@dataclass(frozen=True)
class Notice:
    recipients: Sequence[User | None]
    repo: ModelRepo | None
    text: str
    url: str


# Reviews ----------------------------------------------------------------------


def review_record(review: Review) -> dict[str, Any]:
    label = f"review {review.pk} by {review.author.username} on {review.repo.typed_id}"
    return {
        "target_kind": "review",
        "target_label": label,
        "repo": review.repo,
        "review": review,
    }


def review_url(review: Review) -> str:
    return f"/{review.repo.typed_id}#review-{review.pk}"


def hide_review(review: Review, actor: User, reason: str) -> Review:
    if review.is_hidden:
        raise ConflictError("This review is hidden already.")
    return review_hide(review=review, actor=actor, reason=reason)


def unhide_review(review: Review, actor: User, reason: str) -> Review:
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if not locked.is_hidden:
        raise ConflictError("This review is not hidden.")
    locked.is_hidden, locked.hidden_reason = False, ""
    locked.hidden_by, locked.hidden_at = None, None
    locked.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    review_rating_refresh(repo=review.repo)
    return locked


# Comments and discussions -------------------------------------------------------


def comment_record(event: DiscussionEvent) -> dict[str, Any]:
    discussion = event.discussion
    author = event.author.username if event.author else "deleted user"
    label = (
        f"comment {event.pk} by {author} on {discussion.repo.typed_id}#{discussion.num}"
    )
    return {
        "target_kind": "comment",
        "target_label": label,
        "repo": discussion.repo,
        "comment": event,
        "discussion": discussion,
    }


def comment_notice(event: DiscussionEvent, lead: str, tail: str) -> Notice:
    """Tell a comment's author: ``lead`` + where the comment is + ``tail``."""
    discussion = event.discussion
    return Notice(
        recipients=[event.author],
        repo=discussion.repo,
        text=f"{lead} {discussion_ref(discussion)}{tail}",
        url=f"/{discussion.repo.typed_id}/discussions/{discussion.num}",
    )


def hide_comment(comment: DiscussionEvent, actor: User, reason: str) -> Any:
    locked = DiscussionEvent.objects.select_for_update().get(pk=comment.pk)
    if locked.type != DiscussionEvent.Type.COMMENT:
        raise ValidationError("Only comments can be hidden.")
    if locked.is_hidden:
        raise ConflictError("This comment is hidden already.")
    locked.is_hidden = True
    locked.hidden_by = actor
    locked.save(update_fields=["is_hidden", "hidden_by"])
    locked.discussion = comment.discussion
    return locked


def unhide_comment(comment: DiscussionEvent, actor: User, reason: str) -> Any:
    locked = DiscussionEvent.objects.select_for_update().get(pk=comment.pk)
    if locked.type != DiscussionEvent.Type.COMMENT or not locked.is_hidden:
        raise ConflictError("This comment is not hidden.")
    if locked.hidden_by_id is not None and locked.hidden_by_id == locked.author_id:
        raise ValidationError(
            "Its author hid this comment: a moderator does not show it again."
        )
    locked.is_hidden, locked.hidden_by = False, None
    locked.save(update_fields=["is_hidden", "hidden_by"])
    locked.discussion = comment.discussion
    return locked


def discussion_ref(discussion: Discussion) -> str:
    return f"{discussion.repo.typed_id}#{discussion.num}"


def discussion_record(discussion: Discussion) -> dict[str, Any]:
    return {
        "target_kind": "discussion",
        "target_label": discussion_ref(discussion),
        "repo": discussion.repo,
        "discussion": discussion,
    }


def lock_discussion(discussion: Discussion, actor: User, reason: str) -> Discussion:
    if discussion.is_locked:
        raise ConflictError("This discussion is locked already.")
    return discussion_set_locked(discussion=discussion, actor=actor, locked=True)


def unlock_discussion(discussion: Discussion, actor: User, reason: str) -> Discussion:
    if not Discussion.objects.filter(pk=discussion.pk, is_locked=True).exists():
        raise ConflictError("This discussion is not locked.")
    return discussion_set_locked(discussion=discussion, actor=actor, locked=False)


# Repos and users ------------------------------------------------------------------


def repo_record(repo: ModelRepo) -> dict[str, Any]:
    return {"target_kind": "model", "target_label": repo.typed_id, "repo": repo}


def disable_repo(repo: ModelRepo, actor: User, reason: str) -> ModelRepo:
    locked = ModelRepo.objects.select_for_update().get(pk=repo.pk)
    if locked.disabled_at is not None:
        raise ConflictError(f"{repo.full_name} is disabled already.")
    now = timezone.now()
    ModelRepo.objects.filter(pk=repo.pk).update(disabled_at=now, disabled_reason=reason)
    repo.disabled_at, repo.disabled_reason = now, reason
    return repo


def enable_repo(repo: ModelRepo, actor: User, reason: str) -> ModelRepo:
    locked = ModelRepo.objects.select_for_update().get(pk=repo.pk)
    if locked.disabled_at is None:
        raise ConflictError(f"{repo.full_name} is not disabled.")
    ModelRepo.objects.filter(pk=repo.pk).update(disabled_at=None, disabled_reason="")
    repo.disabled_at, repo.disabled_reason = None, ""
    return repo


def user_record(user: User) -> dict[str, Any]:
    return {
        "target_kind": "user",
        "target_label": f"@{user.username}",
        "target_user": user,
    }


def ban_user(user: User, actor: User, reason: str) -> User:
    if user.pk == actor.pk:
        raise ValidationError("You cannot ban yourself.")
    if user.is_superuser:
        raise PermissionDeniedError("Superusers cannot be banned here.")
    if not user.is_active:
        raise ConflictError(f"{user.username} is banned already.")
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    return user


def unban_user(user: User, actor: User, reason: str) -> User:
    if user.is_active:
        raise ConflictError(f"{user.username} is not banned.")
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    return user
