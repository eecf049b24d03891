"""Reads of pull requests: what a PR changes (its range, diff, conflicts,
commits), where its reviews stand and what blocks its merge."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hub.accounts.models import ApiToken
from hub.catalog.diffs import unified_patch
from hub.catalog.errors import RevisionNotFoundError
from hub.catalog.history import FileChange, changed_entries, commit_diff
from hub.catalog.merge import merge_base, merge_conflicts
from hub.catalog.models import Commit, TreeEntry
from hub.catalog.permissions import content_readable
from hub.catalog.revisions import revision_resolve
from hub.community.models import Discussion, DiscussionEvent
from hub.jobs.selectors import failing_check_messages

# The whole diff is cut here (with a note), so a huge PR stays viewable.
MAX_DIFF_BYTES = 4 * 1024 * 1024


# Pull request changes -------------------------------------------------------


def _pr_range(discussion: Discussion) -> tuple[Commit | None, Commit] | None:
    """(base, head) of what a PR changes, or None when it cannot be known."""
    repo = discussion.repo
    merged = discussion.merge_commit
    if discussion.status == Discussion.Status.MERGED and merged is not None:
        if merged.merge_parent_id is not None and merged.parent_id is not None:
            parent = Commit.objects.get(pk=merged.parent_id)
            head = Commit.objects.get(pk=merged.merge_parent_id)
            return merge_base(a=parent, b=head), head
        # Fast-forwarded: the PR started at the parent of its first commit.
        first = (
            discussion.events.filter(type=DiscussionEvent.Type.COMMIT)
            .order_by("created_at", "pk")
            .first()
        )
        oid = first.data.get("oid") if first is not None else None
        start = Commit.objects.filter(repo=repo, oid=oid).first() if oid else None
        if start is None or start.parent_id is None:
            return None
        return Commit.objects.get(pk=start.parent_id), merged
    try:
        head = revision_resolve(repo=repo, revision=discussion.git_ref)
        target = revision_resolve(repo=repo, revision=discussion.target_branch)
    except RevisionNotFoundError:
        return None
    return merge_base(a=target, b=head), head


def pull_request_conflicts(*, discussion: Discussion) -> list[str]:
    """Paths that conflict with the target branch (empty unless open or draft)."""
    if discussion.status not in (Discussion.Status.OPEN, Discussion.Status.DRAFT):
        return []
    try:
        return merge_conflicts(
            repo=discussion.repo,
            source_ref=discussion.git_ref,
            target_branch=discussion.target_branch,
        )
    except RevisionNotFoundError:
        return []


def _file_diff(path: str, old: TreeEntry | None, new: TreeEntry | None) -> str:
    a = f"a/{path}" if old is not None else "/dev/null"
    b = f"b/{path}" if new is not None else "/dev/null"
    header = f"diff --git a/{path} b/{path}\n"
    if old is None:
        header += "new file mode 100644\n"
    elif new is None:
        header += "deleted file mode 100644\n"
    if any(e is not None and e.is_lfs for e in (old, new)):
        return header + f"LFS files {a} and {b} differ (contents not shown)\n"
    patch = unified_patch(path, old, new)
    if patch is None:
        return header + f"Binary files {a} and {b} differ\n"
    return header + patch


def pull_request_diff(
    *, discussion: Discussion, user: Any, token: ApiToken | None = None
) -> str:
    """Unified diff of a PR: merge base → PR head (text files; a note for others).

    Content the caller may not download (a gated repo before access, a
    quarantined file) is left out, as in every other diff.

    Empty for discussions and when the range is unknown. Long diffs are cut
    with a note.
    """
    if not discussion.is_pull_request:
        return ""
    span = _pr_range(discussion)
    if span is None:
        return ""
    base, head = span
    parts: list[str] = []
    size = 0
    changes = commit_diff(old=base, new=head)
    readable = content_readable(
        user=user,
        repo=discussion.repo,
        entries=changed_entries(changes),
        token=token,
    )
    for change in changes:
        if readable(change.old) and readable(change.new):
            part = _file_diff(change.path, change.old, change.new)
        else:
            part = (
                f"diff --git a/{change.path} b/{change.path}\n"
                "(content not shown: no access to this file)\n"
            )
        size += len(part)
        if size > MAX_DIFF_BYTES:
            parts.append("... diff truncated: too large to show in full.\n")
            break
        parts.append(part)
    return "".join(parts)


# Reviews and merging ----------------------------------------------------------


@dataclass(frozen=True)
class ReviewSummary:
    """Where a pull request's reviews stand.

    ``state``: ``changes_requested`` when any reviewer's latest verdict asks
    for changes, else ``approved`` when one approved, else ``none``. A plain
    comment-review never changes a reviewer's verdict. ``latest`` holds each
    reviewer's latest approve / request-changes event, oldest first.
    """

    state: str
    latest: list[DiscussionEvent] = field(default_factory=list)
    approved_by: list[str] = field(default_factory=list)
    changes_requested_by: list[str] = field(default_factory=list)


def pull_request_review_summary(
    *, discussion: Discussion, events: Iterable[DiscussionEvent] | None = None
) -> ReviewSummary:
    """The review state of a PR from its review events (pass ``events`` to
    reuse an already loaded timeline; otherwise one query)."""
    if events is None:
        events = DiscussionEvent.objects.filter(
            discussion=discussion, type=DiscussionEvent.Type.REVIEW
        ).select_related("author")
    verdicts: dict[int | None, DiscussionEvent] = {}
    for event in sorted(
        (e for e in events if e.type == DiscussionEvent.Type.REVIEW),
        key=lambda e: (e.created_at, e.pk),
    ):
        if event.data.get("state") == DiscussionEvent.ReviewState.COMMENTED:
            continue
        verdicts.pop(event.author_id, None)  # keep insertion order = latest last
        verdicts[event.author_id] = event
    latest = list(verdicts.values())

    def names(state: str) -> list[str]:
        return [
            e.author.username if e.author is not None else "deleted"
            for e in latest
            if e.data.get("state") == state
        ]

    approved = names(DiscussionEvent.ReviewState.APPROVED)
    changes = names(DiscussionEvent.ReviewState.CHANGES_REQUESTED)
    state = "changes_requested" if changes else "approved" if approved else "none"
    return ReviewSummary(state, latest, approved, changes)


@dataclass(frozen=True)
class MergeBlocker:
    """Why a pull request cannot be merged now: ``code`` and plain words."""

    code: str  # not_open | checks_failed | quarantined | conflict
    message: str


def pull_request_merge_blockers(
    *, discussion: Discussion, head: Commit | None = None
) -> list[MergeBlocker]:
    """Everything that makes ``pull_request_merge`` refuse this PR right now.

    The service stays the authority (it re-checks under locks); this lets a
    page say why the merge button is disabled before anyone clicks it.
    """
    if not discussion.is_pull_request:
        return []
    if discussion.status != Discussion.Status.OPEN:
        why = (
            "it has no commits yet"
            if discussion.status == Discussion.Status.DRAFT
            else f"it is {discussion.status}"
        )
        return [
            MergeBlocker(
                "not_open", f"Pull request #{discussion.num} cannot be merged: {why}."
            )
        ]
    try:
        head = head or revision_resolve(
            repo=discussion.repo, revision=discussion.git_ref
        )
    except RevisionNotFoundError:
        return [MergeBlocker("not_open", f"{discussion.git_ref} does not exist.")]
    return _head_blockers(discussion, head)


def _head_blockers(discussion: Discussion, head: Commit) -> list[MergeBlocker]:
    """Failing checks, quarantined files and conflicts of an open PR's head."""
    blockers = []
    failing = failing_check_messages(commit=head)
    if failing:
        blockers.append(
            MergeBlocker(
                "checks_failed",
                "A check fails: " + "; ".join(failing[:5]) + ". Push a fix first.",
            )
        )
    quarantined = list(
        TreeEntry.objects.filter(commit=head, blob__is_quarantined=True)
        .order_by("path")
        .values_list("path", flat=True)[:20]
    )
    if quarantined:
        blockers.append(
            MergeBlocker(
                "quarantined",
                "Quarantined files: "
                + ", ".join(quarantined)
                + ". Delete or replace them in the pull request.",
            )
        )
    conflicts = pull_request_conflicts(discussion=discussion)
    if conflicts:
        blockers.append(
            MergeBlocker(
                "conflict",
                f"{discussion.target_branch} moved and changed the same files: "
                + ", ".join(conflicts[:20])
                + ". Update them in the pull request, then merge.",
            )
        )
    return blockers


# Pull request pages -----------------------------------------------------------


def pull_request_commits(*, discussion: Discussion) -> list[Commit]:
    """The commits pushed to a PR, oldest first, from its commit events."""
    oids = [
        e.data.get("oid")
        for e in DiscussionEvent.objects.filter(
            discussion=discussion, type=DiscussionEvent.Type.COMMIT
        ).order_by("created_at", "pk")
    ]
    found = {
        c.oid: c
        for c in Commit.objects.filter(
            repo=discussion.repo, oid__in=[o for o in oids if o]
        ).select_related("author")
    }
    return [found[o] for o in oids if o in found]


def pull_request_head(*, discussion: Discussion) -> Commit | None:
    """The PR's head: its ref, or for a merged PR the last commit pushed."""
    try:
        return revision_resolve(repo=discussion.repo, revision=discussion.git_ref)
    except RevisionNotFoundError:
        return None


def pull_request_changes(*, discussion: Discussion) -> list[FileChange]:
    """File-level changes of a PR: merge base with the target → PR head."""
    if not discussion.is_pull_request:
        return []
    span = _pr_range(discussion)
    if span is None:
        return []
    base, head = span
    return commit_diff(old=base, new=head)
