"""Writes of the community: discussions, pull requests, comments, merges, likes.

Discussions and pull requests share one number sequence per repo
(``ModelRepo.last_discussion_num``, taken under a row lock). A pull
request's commits live on ``refs/pr/<num>``, created with the pull request.
Who may act: any authenticated reader opens discussions and comments (the
interfaces check that); the author or a maintainer (``repo_can_write``)
edits, renames, closes and reopens; only maintainers merge, review, pin and
lock (a locked discussion takes comments from maintainers only).

Notifications (``hub.notifications``) are written in the same transaction:
maintainers hear of new discussions, pull requests and comments, the other
participants of comments, a PR's author of reviews and merges; never the
person who acted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hub.accounts.models import User
from hub.catalog.merge import commit_merge
from hub.catalog.models import Commit, ModelRepo, Ref, RepoDailyStat, pr_ref_num
from hub.catalog.permissions import repo_can_write
from hub.catalog.revisions import revision_resolve
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import Operation
from hub.catalog.services.refs import pull_request_ref_create
from hub.community.models import CommentRevision, Discussion, DiscussionEvent, Like
from hub.core.errors import ConflictError, PermissionDeniedError, ValidationError
from hub.jobs.selectors import failing_check_messages
from hub.notifications.services import notifications_fan_out


class ChecksFailedError(ConflictError):
    """A pull request whose head fails validation cannot be merged."""

    code = "checks_failed"


MAX_TITLE_LENGTH = 200
MAX_COMMENT_LENGTH = 65536


# Checks ---------------------------------------------------------------------


def _clean_title(title: str) -> str:
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


def _clean_comment(content: str, *, allow_empty: bool = False) -> str:
    content = (content or "").strip()
    if not content and not allow_empty:
        raise ValidationError("A comment must not be empty.")
    if len(content) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            f"The comment is too long: at most {MAX_COMMENT_LENGTH} characters."
        )
    return content


def _is_maintainer(user: User, repo: ModelRepo) -> bool:
    return repo_can_write(user=user, repo=repo)


def _require_author_or_maintainer(
    *, actor: User, discussion: Discussion, author_id: int | None, action: str
) -> None:
    if author_id is not None and author_id == actor.pk:
        return
    if _is_maintainer(actor, discussion.repo):
        return
    raise PermissionDeniedError(
        f"Only the author or a maintainer of {discussion.repo.full_name} may {action}."
    )


def _locked(discussion: Discussion) -> Discussion:
    """Re-read the discussion under a row lock (status changes race otherwise)."""
    locked = Discussion.objects.select_for_update().get(pk=discussion.pk)
    # Keep the caller's object in step with the row.
    discussion.status = locked.status
    discussion.title = locked.title
    discussion.merge_commit_id = locked.merge_commit_id
    return discussion


def _touch(discussion: Discussion) -> None:
    Discussion.objects.filter(pk=discussion.pk).update(updated_at=timezone.now())


def _event(
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
    return f"/{discussion.repo.full_name}/discussions/{discussion.num}"


def _notify(
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


def _maintainers(discussion: Discussion) -> list[User]:
    from hub.community.selectors import repo_maintainers

    return repo_maintainers(repo=discussion.repo)


def _what(discussion: Discussion) -> str:
    kind = "pull request" if discussion.is_pull_request else "discussion"
    return f"{kind} #{discussion.num} on {discussion.repo.full_name}"


# Discussions and pull requests ------------------------------------------------


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
    title = _clean_title(title)
    description = _clean_comment(description, allow_empty=True)
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
    _event(discussion, DiscussionEvent.Type.COMMENT, author, content=description)
    _notify(
        discussion,
        _maintainers(discussion),
        kind="pull_request" if is_pull_request else "discussion",
        actor=author,
        text=f"{author.username} opened {_what(discussion)}: {title}",
    )
    return discussion


@transaction.atomic
def pull_request_create_with_commit(
    *,
    repo: ModelRepo,
    author: User,
    base_branch: str,
    operations: Sequence[Operation],
    title: str,
    description: str = "",
) -> tuple[Discussion, Commit]:
    """Open a pull request whose first commit applies ``operations``, atomically.

    The PR takes the commit's title and description; its commit's parent is
    the head of ``base_branch``, which does not move. Raises what
    discussion_create and commit_create raise; on error nothing is created.
    """
    pr = discussion_create(
        repo=repo,
        author=author,
        title=title,
        description=description,
        is_pull_request=True,
        target_branch=base_branch,
    )
    commit = commit_create(
        repo=repo,
        operations=operations,
        title=title,
        description=description,
        author=author,
        revision=pr.git_ref,
    )
    _record_commit(pr, commit, author)
    return pr, commit


def _record_commit(pr: Discussion, commit: Commit, author: User | None) -> None:
    _event(
        pr,
        DiscussionEvent.Type.COMMIT,
        author,
        data={"oid": commit.oid, "subject": commit.title},
    )
    if pr.status == Discussion.Status.DRAFT:
        pr.status = Discussion.Status.OPEN
        pr.save(update_fields=["status", "updated_at"])
    else:
        _touch(pr)


@transaction.atomic
def pull_request_record_commit(
    *, repo: ModelRepo, ref_name: str, commit: Commit, author: User | None
) -> Discussion | None:
    """Add a commit event to the PR of ``ref_name``; a draft becomes open.

    Returns the pull request; a no-op (None) when ``ref_name`` is not
    ``refs/pr/N`` of an existing pull request.
    """
    num = pr_ref_num(ref_name)
    if num is None:
        return None
    pr = (
        Discussion.objects.select_for_update()
        .filter(repo=repo, num=num, is_pull_request=True)
        .first()
    )
    if pr is not None:
        _record_commit(pr, commit, author)
    return pr


@transaction.atomic
def discussion_rename(
    *, discussion: Discussion, actor: User, title: str
) -> DiscussionEvent:
    """Change the title (author or maintainer); records a title-change event."""
    _require_author_or_maintainer(
        actor=actor,
        discussion=discussion,
        author_id=discussion.author_id,
        action="rename it",
    )
    title = _clean_title(title)
    discussion = _locked(discussion)
    old = discussion.title
    discussion.title = title
    discussion.save(update_fields=["title", "updated_at"])
    return _event(
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
    _require_author_or_maintainer(
        actor=actor,
        discussion=discussion,
        author_id=discussion.author_id,
        action="close or reopen it",
    )
    comment = _clean_comment(comment, allow_empty=True)
    discussion = _locked(discussion)
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
        _event(discussion, DiscussionEvent.Type.COMMENT, actor, content=comment)
    discussion.status = new_status
    discussion.save(update_fields=["status", "updated_at"])
    return _event(
        discussion,
        DiscussionEvent.Type.STATUS_CHANGE,
        actor,
        data={"status": new_status},
    )


@transaction.atomic
def pull_request_merge(
    *, discussion: Discussion, actor: User, comment: str = ""
) -> Commit:
    """Merge an open pull request into its target branch (maintainers only).

    Sets the status to merged and records the merge commit (the PR head when
    fast-forwarded), a status-change event and the optional comment. Raises
    PermissionDeniedError, ValidationError (not an open PR) and what
    ``commit_merge`` raises (MergeConflictError, QuarantinedBlobError).
    """
    repo = discussion.repo
    if not discussion.is_pull_request:
        raise ValidationError(
            f"#{discussion.num} is a discussion, not a pull request: there is "
            "nothing to merge."
        )
    if not _is_maintainer(actor, repo):
        raise PermissionDeniedError(
            f"Only maintainers of {repo.full_name} (write access) may merge "
            "pull requests."
        )
    comment = _clean_comment(comment, allow_empty=True)
    discussion = _locked(discussion)
    if discussion.status == Discussion.Status.DRAFT:
        raise ValidationError(
            f"Pull request #{discussion.num} has no commits yet: push to "
            f"{discussion.git_ref} first."
        )
    if discussion.status != Discussion.Status.OPEN:
        raise ValidationError(
            f"Pull request #{discussion.num} is {discussion.status}: only an open "
            "pull request can be merged."
        )
    head = revision_resolve(repo=repo, revision=discussion.git_ref)
    failing = failing_check_messages(commit=head)
    if failing:
        raise ChecksFailedError(
            f"Pull request #{discussion.num} cannot be merged while checks fail: "
            + "; ".join(failing[:5])
            + (f" (and {len(failing) - 5} more)" if len(failing) > 5 else "")
            + ". Push a fix to the pull request first.",
            details={"failing": failing},
        )
    merged = commit_merge(
        repo=repo,
        source_ref=discussion.git_ref,
        target_branch=discussion.target_branch,
        author=actor,
        title=f"Merge pull request #{discussion.num}: {discussion.title}",
    )
    if comment:
        _event(discussion, DiscussionEvent.Type.COMMENT, actor, content=comment)
    discussion.status = Discussion.Status.MERGED
    discussion.merge_commit = merged
    discussion.save(update_fields=["status", "merge_commit", "updated_at"])
    _event(
        discussion,
        DiscussionEvent.Type.STATUS_CHANGE,
        actor,
        data={"status": Discussion.Status.MERGED},
    )
    recipients = [*_maintainers(discussion)]
    if discussion.author is not None:
        recipients.insert(0, discussion.author)
    _notify(
        discussion,
        recipients,
        kind="merge",
        actor=actor,
        text=f"{actor.username} merged {_what(discussion)}: {discussion.title}",
    )
    return merged


# Comments -------------------------------------------------------------------


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
    content = _clean_comment(content)
    locked = Discussion.objects.filter(pk=discussion.pk, is_locked=True).exists()
    if locked and not _is_maintainer(author, discussion.repo):
        raise DiscussionLockedError(
            f"{_what(discussion).capitalize()} is locked: only maintainers may comment."
        )
    event = _event(discussion, DiscussionEvent.Type.COMMENT, author, content=content)
    _touch(discussion)
    from hub.community.selectors import discussion_participants

    _notify(
        discussion,
        [*discussion_participants(discussion=discussion), *_maintainers(discussion)],
        kind="comment",
        actor=author,
        text=f"{author.username} commented on {_what(discussion)}: {discussion.title}",
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
    content = _clean_comment(content)
    locked = _comment_for_update(event)
    _require_author_or_maintainer(
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
    _touch(event.discussion)
    return locked


@transaction.atomic
def comment_hide(*, event: DiscussionEvent, actor: User) -> DiscussionEvent:
    """Hide a comment for good (its author or a maintainer). Idempotent."""
    locked = _comment_for_update(event)
    _require_author_or_maintainer(
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


# Maintainers: pin, lock, review ------------------------------------------------


def _require_moderator(actor: User, discussion: Discussion, action: str) -> None:
    # Staff moderate every repo (hub.moderation locks discussions too).
    if actor.is_active and (actor.is_staff or _is_maintainer(actor, discussion.repo)):
        return
    raise PermissionDeniedError(
        f"Only maintainers of {discussion.repo.full_name} may {action}."
    )


def _set_flag(
    discussion: Discussion, actor: User, field: str, value: bool, action: str
) -> Discussion:
    discussion = _locked(discussion)
    current = Discussion.objects.values_list(field, flat=True).get(pk=discussion.pk)
    setattr(discussion, field, value)
    if current != value:
        discussion.save(update_fields=[field, "updated_at"])
        _event(
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
    ``hub.moderation.services.discussion_lock_set`` instead: it adds the
    token's limits and keeps a lock staff applied for staff to lift.
    """
    _require_moderator(actor, discussion, "lock discussions")
    return _set_flag(
        discussion, actor, "is_locked", locked, "locked" if locked else "unlocked"
    )


@transaction.atomic
def pull_request_review(
    *, discussion: Discussion, actor: User, state: str, content: str = ""
) -> DiscussionEvent:
    """Review an open pull request: approve, request changes or comment.

    Maintainers only; records the reviewed head so a later push shows the
    review is older than the code. "commented" needs a text. Notifies the
    PR's author. Raises PermissionDeniedError, ValidationError.
    """
    if not discussion.is_pull_request:
        raise ValidationError(
            f"#{discussion.num} is a discussion: only pull requests are reviewed."
        )
    if not _is_maintainer(actor, discussion.repo):
        raise PermissionDeniedError(
            f"Only maintainers of {discussion.repo.full_name} may review pull "
            "requests; leave a comment instead."
        )
    if state not in DiscussionEvent.ReviewState.values:
        raise ValidationError(
            "A review is 'approved', 'changes_requested' or 'commented'.",
            details={"states": list(DiscussionEvent.ReviewState.values)},
        )
    content = _clean_comment(
        content, allow_empty=state == DiscussionEvent.ReviewState.APPROVED
    )
    discussion = _locked(discussion)
    if discussion.status != Discussion.Status.OPEN:
        raise ValidationError(
            f"Pull request #{discussion.num} is {discussion.status}: only an open "
            "pull request with commits can be reviewed."
        )
    head = revision_resolve(repo=discussion.repo, revision=discussion.git_ref)
    event = _event(
        discussion,
        DiscussionEvent.Type.REVIEW,
        actor,
        content=content,
        data={"state": state, "oid": head.oid},
    )
    _touch(discussion)
    verb = {
        "approved": "approved",
        "changes_requested": "requested changes on",
        "commented": "reviewed",
    }[state]
    _notify(
        discussion,
        [discussion.author] if discussion.author is not None else [],
        kind="review",
        actor=actor,
        text=f"{actor.username} {verb} {_what(discussion)}: {discussion.title}",
    )
    return event


# Likes ----------------------------------------------------------------------


def _count_like(repo: ModelRepo, delta: int) -> None:
    today = timezone.now().astimezone(UTC).date()
    ModelRepo.objects.filter(pk=repo.pk).update(likes=F("likes") + delta)
    updated = RepoDailyStat.objects.filter(repo=repo, day=today).update(
        likes=F("likes") + delta
    )
    if not updated:
        try:
            with transaction.atomic():
                RepoDailyStat.objects.create(repo=repo, day=today, likes=delta)
        except IntegrityError:  # created concurrently: count on that row
            RepoDailyStat.objects.filter(repo=repo, day=today).update(
                likes=F("likes") + delta
            )


@transaction.atomic
def like_add(*, user: User, repo: ModelRepo) -> Like:
    """Like a repo. Idempotent: a second like changes nothing."""
    like, created = Like.objects.get_or_create(user=user, repo=repo)
    if created:
        _count_like(repo, +1)
    return like


@transaction.atomic
def like_remove(*, user: User, repo: ModelRepo) -> None:
    """Take a like back. Idempotent: unliking a repo not liked changes nothing."""
    deleted, _ = Like.objects.filter(user=user, repo=repo).delete()
    if deleted:
        # Today's count goes down too, so a like and unlike within the
        # trending window cancel out.
        _count_like(repo, -1)
