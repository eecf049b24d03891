"""What the community services share: input checks, the discussion row
lock, timeline events and notifications of a discussion's people."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from hub.accounts.models import User
from hub.catalog.models import ModelRepo
from hub.catalog.permissions import repo_can_write
from hub.community.models import Discussion, DiscussionEvent
from hub.community.selectors import repo_maintainers
from hub.core.errors import PermissionDeniedError, ValidationError
from hub.notifications.services import notifications_fan_out

MAX_TITLE_LENGTH = 200
MAX_COMMENT_LENGTH = 65536


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(
            "A title is required: say in a few words what it is about."
        )
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationError(
            f"The title is too long: at most {MAX_TITLE_LENGTH} characters."
        )
    return title


def clean_comment(content: str, *, allow_empty: bool = False) -> str:
    content = (content or "").strip()
    if not content and not allow_empty:
        raise ValidationError("A comment must not be empty.")
    if len(content) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            f"The comment is too long: at most {MAX_COMMENT_LENGTH} characters."
        )
    return content


def is_maintainer(user: User, repo: ModelRepo) -> bool:
    return repo_can_write(user=user, repo=repo)


def require_author_or_maintainer(
    *, actor: User, discussion: Discussion, author_id: int | None, action: str
) -> None:
    if author_id is not None and author_id == actor.pk:
        return
    if is_maintainer(actor, discussion.repo):
        return
    raise PermissionDeniedError(
        f"Only the author or a maintainer of {discussion.repo.full_name} may {action}."
    )


def discussion_lock_row(discussion: Discussion) -> Discussion:
    """Re-read the discussion under a row lock (status changes race otherwise)."""
    locked = Discussion.objects.select_for_update().get(pk=discussion.pk)
    # Keep the caller's object in step with the row.
    discussion.status = locked.status
    discussion.title = locked.title
    discussion.merge_commit_id = locked.merge_commit_id
    return discussion


def discussion_touch(discussion: Discussion) -> None:
    Discussion.objects.filter(pk=discussion.pk).update(updated_at=timezone.now())


def event_add(
    discussion: Discussion,
    type: str,
    author: User | None,
    *,
    content: str = "",
    data: dict[str, object] | None = None,
) -> DiscussionEvent:
    return DiscussionEvent.objects.create(
        discussion=discussion,
        type=type,
        author=author,
        content=content,
        data=data or {},
    )


def discussion_url(discussion: Discussion) -> str:
    """The discussion's page on this hub (used in notifications)."""
    return f"/{discussion.repo.typed_id}/discussions/{discussion.num}"


def notify(
    discussion: Discussion,
    recipients: Sequence[User],
    *,
    kind: str,
    actor: User | None,
    text: str,
) -> None:
    notifications_fan_out(
        recipients=recipients,
        kind=kind,
        actor=actor,
        repo=discussion.repo,
        discussion=discussion,
        text=text,
        url=discussion_url(discussion),
    )


def maintainers_of(discussion: Discussion) -> list[User]:
    return repo_maintainers(repo=discussion.repo)


def describe(discussion: Discussion) -> str:
    kind = "pull request" if discussion.is_pull_request else "discussion"
    return f"{kind} #{discussion.num} on {discussion.repo.full_name}"
