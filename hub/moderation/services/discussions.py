"""Lock and hide from the discussion itself: maintainers' own moderation,
with no reason and no audit log entry (the moderation actions log theirs)."""

from __future__ import annotations

from django.db import transaction

from hub.accounts.actors import Actor
from hub.catalog.models import ModelRepo
from hub.community.models import Discussion, DiscussionEvent
from hub.community.selectors import discussion_can_participate
from hub.community.services.comments import comment_hide
from hub.community.services.discussions import discussion_set_locked
from hub.core.errors import PermissionDeniedError
from hub.moderation.permissions import actor_is_staff, require_writer
from hub.moderation.selectors import discussion_locked_by_staff


def _require_discussion_writer(actor: Actor, repo: ModelRepo, what: str) -> None:
    require_writer(actor=actor, what=what)
    if not discussion_can_participate(user=actor.user, token=actor.token, repo=repo):
        raise PermissionDeniedError(
            f"You may not {what} on {repo.full_name}: use a write token that is "
            "allowed on this repository."
        )


@transaction.atomic
def discussion_lock_set(
    *, actor: Actor, discussion: Discussion, locked: bool
) -> Discussion:
    """Lock or unlock from the discussion itself (no reason, not logged):
    maintainers or staff. A lock staff applied is lifted by staff only.

    Idempotent. AuthenticationError, PermissionDeniedError.
    """
    what = "lock discussions" if locked else "unlock discussions"
    _require_discussion_writer(actor, discussion.repo, what)
    if (
        not locked
        and discussion_locked_by_staff(discussion=discussion)
        and not actor_is_staff(actor=actor)
    ):
        raise PermissionDeniedError(
            "Hub staff locked this discussion: only staff may unlock it."
        )
    return discussion_set_locked(discussion=discussion, actor=actor.user, locked=locked)


@transaction.atomic
def discussion_comment_hide(
    *, actor: Actor, comment: DiscussionEvent
) -> DiscussionEvent:
    """Hide a comment for good from the discussion (no reason, not logged):
    its author or a maintainer. Idempotent; hiding is never undone here.

    AuthenticationError, PermissionDeniedError.
    """
    _require_discussion_writer(actor, comment.discussion.repo, "hide comments")
    return comment_hide(event=comment, actor=actor.user)
