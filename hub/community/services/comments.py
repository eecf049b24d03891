"""Comments: add (notifying maintainers and participants), edit (keeping
the old text as a revision) and hide."""

from __future__ import annotations

from django.db import transaction

from hub.accounts.models import User
from hub.community.models import CommentRevision, Discussion, DiscussionEvent
from hub.community.selectors import discussion_participants
from hub.community.services.common import (
    clean_comment,
    describe,
    discussion_touch,
    event_add,
    is_maintainer,
    maintainers_of,
    notify,
    require_author_or_maintainer,
)
from hub.core.errors import PermissionDeniedError, ValidationError


class DiscussionLockedError(PermissionDeniedError):
    code = "discussion_locked"


@transaction.atomic
def comment_create(
    *, discussion: Discussion, author: User, content: str
) -> DiscussionEvent:
    """Add a comment (any authenticated reader; the interface checks access).

    A locked discussion takes comments from maintainers only
    (DiscussionLockedError). Notifies maintainers and participants.
    """
    content = clean_comment(content)
    locked = Discussion.objects.filter(pk=discussion.pk, is_locked=True).exists()
    if locked and not is_maintainer(author, discussion.repo):
        raise DiscussionLockedError(
            f"{describe(discussion).capitalize()} is locked: "
            "only maintainers may comment."
        )
    event = event_add(discussion, DiscussionEvent.Type.COMMENT, author, content=content)
    discussion_touch(discussion)
    notify(
        discussion,
        [*discussion_participants(discussion=discussion), *maintainers_of(discussion)],
        kind="comment",
        actor=author,
        text=(
            f"{author.username} commented on {describe(discussion)}: {discussion.title}"
        ),
    )
    return event


def _comment_for_update(event: DiscussionEvent) -> DiscussionEvent:
    if event.type != DiscussionEvent.Type.COMMENT:
        raise ValidationError(f"Event {event.pk} is not a comment.")
    return DiscussionEvent.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def comment_edit(
    *, event: DiscussionEvent, actor: User, content: str
) -> DiscussionEvent:
    """Replace a comment's text, keeping the old text as a CommentRevision.

    Only its author or a maintainer; never a hidden comment. Raises
    PermissionDeniedError, ValidationError.
    """
    content = clean_comment(content)
    locked = _comment_for_update(event)
    require_author_or_maintainer(
        actor=actor,
        discussion=event.discussion,
        author_id=locked.author_id,
        action="edit this comment",
    )
    if locked.is_hidden:
        raise ValidationError(
            "This comment is hidden; hidden comments cannot be edited."
        )
    if content != locked.content:
        CommentRevision.objects.create(
            event=locked, content=locked.content, edited_by=actor
        )
        locked.content = content
        locked.save(update_fields=["content"])
    discussion_touch(event.discussion)
    return locked


@transaction.atomic
def comment_hide(*, event: DiscussionEvent, actor: User) -> DiscussionEvent:
    """Hide a comment for good (its author or a maintainer). Idempotent."""
    locked = _comment_for_update(event)
    require_author_or_maintainer(
        actor=actor,
        discussion=event.discussion,
        author_id=locked.author_id,
        action="hide this comment",
    )
    if not locked.is_hidden:
        locked.is_hidden = True
        locked.hidden_by = actor
        locked.save(update_fields=["is_hidden", "hidden_by"])
    return locked
