"""Pull requests: open one with its first commit, record pushed commits,
review and merge (maintainers only).

A pull request's commits live on ``refs/pr/<num>``, created with the pull
request. Its author hears of reviews and merges; maintainers of merges.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from hub.accounts.models import User
from hub.catalog.merge import commit_merge
from hub.catalog.models import Commit, ModelRepo, pr_ref_num
from hub.catalog.revisions import revision_resolve
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import Operation
from hub.community.models import Discussion, DiscussionEvent
from hub.community.services.common import (
    clean_comment,
    describe,
    discussion_lock_row,
    discussion_touch,
    event_add,
    is_maintainer,
    maintainers_of,
    notify,
)
from hub.community.services.discussions import discussion_create
from hub.core.errors import ConflictError, PermissionDeniedError, ValidationError
from hub.jobs.selectors import failing_check_messages


class ChecksFailedError(ConflictError):
    """A pull request whose head fails validation cannot be merged."""

    code = "checks_failed"


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
    event_add(
        pr,
        DiscussionEvent.Type.COMMIT,
        author,
        data={"oid": commit.oid, "subject": commit.title},
    )
    if pr.status == Discussion.Status.DRAFT:
        pr.status = Discussion.Status.OPEN
        pr.save(update_fields=["status", "updated_at"])
    else:
        discussion_touch(pr)


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


def _require_mergeable(discussion: Discussion) -> None:
    """An open pull request whose head passes its checks (the row is locked)."""
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
    head = revision_resolve(repo=discussion.repo, revision=discussion.git_ref)
    failing = failing_check_messages(commit=head)
    if failing:
        raise ChecksFailedError(
            f"Pull request #{discussion.num} cannot be merged while checks fail: "
            + "; ".join(failing[:5])
            + (f" (and {len(failing) - 5} more)" if len(failing) > 5 else "")
            + ". Push a fix to the pull request first.",
            details={"failing": failing},
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
    if not is_maintainer(actor, repo):
        raise PermissionDeniedError(
            f"Only maintainers of {repo.full_name} (write access) may merge "
            "pull requests."
        )
    comment = clean_comment(comment, allow_empty=True)
    discussion = discussion_lock_row(discussion)
    _require_mergeable(discussion)
    merged = commit_merge(
        repo=repo,
        source_ref=discussion.git_ref,
        target_branch=discussion.target_branch,
        author=actor,
        title=f"Merge pull request #{discussion.num}: {discussion.title}",
    )
    if comment:
        event_add(discussion, DiscussionEvent.Type.COMMENT, actor, content=comment)
    discussion.status = Discussion.Status.MERGED
    discussion.merge_commit = merged
    discussion.save(update_fields=["status", "merge_commit", "updated_at"])
    event_add(
        discussion,
        DiscussionEvent.Type.STATUS_CHANGE,
        actor,
        data={"status": Discussion.Status.MERGED},
    )
    recipients = [*maintainers_of(discussion)]
    if discussion.author is not None:
        recipients.insert(0, discussion.author)
    notify(
        discussion,
        recipients,
        kind="merge",
        actor=actor,
        text=f"{actor.username} merged {describe(discussion)}: {discussion.title}",
    )
    return merged


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
    if not is_maintainer(actor, discussion.repo):
        raise PermissionDeniedError(
            f"Only maintainers of {discussion.repo.full_name} may review pull "
            "requests; leave a comment instead."
        )
    if state not in DiscussionEvent.ReviewState.values:
        raise ValidationError(
            "A review is 'approved', 'changes_requested' or 'commented'.",
            details={"states": list(DiscussionEvent.ReviewState.values)},
        )
    content = clean_comment(
        content, allow_empty=state == DiscussionEvent.ReviewState.APPROVED
    )
    discussion = discussion_lock_row(discussion)
    if discussion.status != Discussion.Status.OPEN:
        raise ValidationError(
            f"Pull request #{discussion.num} is {discussion.status}: only an open "
            "pull request with commits can be reviewed."
        )
    head = revision_resolve(repo=discussion.repo, revision=discussion.git_ref)
    event = event_add(
        discussion,
        DiscussionEvent.Type.REVIEW,
        actor,
        content=content,
        data={"state": state, "oid": head.oid},
    )
    discussion_touch(discussion)
    verb = {
        "approved": "approved",
        "changes_requested": "requested changes on",
        "commented": "reviewed",
    }[state]
    notify(
        discussion,
        [discussion.author] if discussion.author is not None else [],
        kind="review",
        actor=actor,
        text=f"{actor.username} {verb} {describe(discussion)}: {discussion.title}",
    )
    return event
