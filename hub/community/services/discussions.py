"""Discussions (and the discussion side of pull requests): open, rename,
close and reopen, pin and lock.

Discussions and pull requests share one number sequence per repo
(``ModelRepo.last_discussion_num``, taken under a row lock). The author or
a maintainer (``repo_can_write``) edits, renames, closes and reopens; only
maintainers pin and lock (a locked discussion takes comments from
maintainers only). Maintainers hear of new discussions and pull requests.
"""

from __future__ import annotations

from django.db import transaction

from hub.accounts.models import User
from hub.catalog.models import ModelRepo, Ref
from hub.catalog.services.refs import pull_request_ref_create
from hub.community.models import Discussion, DiscussionEvent
from hub.community.services.common import (
    clean_comment,
    clean_title,
    describe,
    discussion_lock_row,
    event_add,
    is_maintainer,
    maintainers_of,
    notify,
    require_author_or_maintainer,
)
from hub.core.errors import PermissionDeniedError, ValidationError


def _next_num(repo: ModelRepo) -> int:
    # The row lock serialises numbering; numbers are never reused.
    last = (
        ModelRepo.objects.select_for_update()
        .filter(pk=repo.pk)
        .values_list("last_discussion_num", flat=True)
        .get()
    )
    ModelRepo.objects.filter(pk=repo.pk).update(last_discussion_num=last + 1)
    repo.last_discussion_num = last + 1
    return last + 1


@transaction.atomic
def discussion_create(
    *,
    repo: ModelRepo,
    author: User,
    title: str,
    description: str = "",
    is_pull_request: bool = False,
    target_branch: str = "main",
) -> Discussion:
    """Open a discussion, or a draft pull request against ``target_branch``.

    The description is the first comment. A pull request gets ``refs/pr/N``
    at the head of its target branch right away, so commits can follow.
    Raises ValidationError (bad title, target is not a branch).
    """
    title = clean_title(title)
    description = clean_comment(description, allow_empty=True)
    if is_pull_request:
        target = Ref.objects.filter(repo=repo, name=target_branch).first()
        if target is None or target.kind != Ref.Kind.BRANCH:
            raise ValidationError(
                f"A pull request targets a branch; {target_branch!r} is not a "
                f"branch of {repo.full_name}."
            )
    num = _next_num(repo)
    discussion = Discussion.objects.create(
        repo=repo,
        num=num,
        title=title,
        author=author,
        is_pull_request=is_pull_request,
        status=Discussion.Status.DRAFT if is_pull_request else Discussion.Status.OPEN,
        target_branch=target_branch if is_pull_request else "",
    )
    if is_pull_request:
        pull_request_ref_create(repo=repo, number=num, revision=target_branch)
    event_add(discussion, DiscussionEvent.Type.COMMENT, author, content=description)
    notify(
        discussion,
        maintainers_of(discussion),
        kind="pull_request" if is_pull_request else "discussion",
        actor=author,
        text=f"{author.username} opened {describe(discussion)}: {title}",
    )
    return discussion


@transaction.atomic
def discussion_rename(
    *, discussion: Discussion, actor: User, title: str
) -> DiscussionEvent:
    """Change the title (author or maintainer); records a title-change event."""
    require_author_or_maintainer(
        actor=actor,
        discussion=discussion,
        author_id=discussion.author_id,
        action="rename it",
    )
    title = clean_title(title)
    discussion = discussion_lock_row(discussion)
    old = discussion.title
    discussion.title = title
    discussion.save(update_fields=["title", "updated_at"])
    return event_add(
        discussion,
        DiscussionEvent.Type.TITLE_CHANGE,
        actor,
        data={"from": old, "to": title},
    )


@transaction.atomic
def discussion_change_status(
    *, discussion: Discussion, actor: User, status: str, comment: str = ""
) -> DiscussionEvent:
    """Close or reopen (author or maintainer), with an optional comment first.

    Returns the status-change event. A merged pull request can be neither
    closed nor reopened; a reopened PR without commits is a draft again.
    Raises ValidationError, PermissionDeniedError.
    """
    if status not in (Discussion.Status.OPEN, Discussion.Status.CLOSED):
        raise ValidationError("The status can be set to 'open' or 'closed' only.")
    require_author_or_maintainer(
        actor=actor,
        discussion=discussion,
        author_id=discussion.author_id,
        action="close or reopen it",
    )
    comment = clean_comment(comment, allow_empty=True)
    discussion = discussion_lock_row(discussion)
    if discussion.status == Discussion.Status.MERGED:
        raise ValidationError(
            f"Pull request #{discussion.num} is merged; it cannot be closed or "
            "reopened. Open a new pull request instead."
        )
    current = (
        Discussion.Status.OPEN
        if discussion.status == Discussion.Status.DRAFT
        else discussion.status
    )
    if current == status:
        raise ValidationError(f"#{discussion.num} is already {status}.")
    new_status = status
    if status == Discussion.Status.OPEN and discussion.is_pull_request:
        has_commits = discussion.events.filter(
            type=DiscussionEvent.Type.COMMIT
        ).exists()
        if not has_commits:
            new_status = Discussion.Status.DRAFT
    if comment:
        event_add(discussion, DiscussionEvent.Type.COMMENT, actor, content=comment)
    discussion.status = new_status
    discussion.save(update_fields=["status", "updated_at"])
    return event_add(
        discussion,
        DiscussionEvent.Type.STATUS_CHANGE,
        actor,
        data={"status": new_status},
    )


def _require_moderator(actor: User, discussion: Discussion, action: str) -> None:
    # Staff moderate every repo (hub.moderation locks discussions too).
    if actor.is_active and (actor.is_staff or is_maintainer(actor, discussion.repo)):
        return
    raise PermissionDeniedError(
        f"Only maintainers of {discussion.repo.full_name} may {action}."
    )


def _set_flag(
    discussion: Discussion, actor: User, field: str, value: bool, action: str
) -> Discussion:
    discussion = discussion_lock_row(discussion)
    current = Discussion.objects.values_list(field, flat=True).get(pk=discussion.pk)
    setattr(discussion, field, value)
    if current != value:
        discussion.save(update_fields=[field, "updated_at"])
        event_add(
            discussion, DiscussionEvent.Type.MODERATION, actor, data={"action": action}
        )
    return discussion


@transaction.atomic
def discussion_set_pinned(
    *, discussion: Discussion, actor: User, pinned: bool
) -> Discussion:
    """Pin to (or unpin from) the top of the list; maintainers. Idempotent."""
    _require_moderator(actor, discussion, "pin discussions")
    return _set_flag(
        discussion, actor, "is_pinned", pinned, "pinned" if pinned else "unpinned"
    )


@transaction.atomic
def discussion_set_locked(
    *, discussion: Discussion, actor: User, locked: bool
) -> Discussion:
    """Lock (only maintainers may comment) or unlock; maintainers or staff.

    Idempotent; a change is recorded on the timeline. Faces call
    ``hub.moderation.services.discussions.discussion_lock_set`` instead: it adds the
    token's limits and keeps a lock staff applied for staff to lift.
    """
    _require_moderator(actor, discussion, "lock discussions")
    return _set_flag(
        discussion, actor, "is_locked", locked, "locked" if locked else "unlocked"
    )
