"""Reads of the community: discussions, timelines, PR diffs, push rights, likes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from hub.accounts.actors import user_is_active
from hub.accounts.models import ApiToken, Membership, Namespace, User
from hub.catalog.errors import RevisionNotFoundError
from hub.catalog.history import FileChange, changed_entries, commit_diff, entry_text
from hub.catalog.merge import merge_base, merge_conflicts
from hub.catalog.models import Commit, ModelRepo, TreeEntry, pr_ref_num
from hub.catalog.permissions import (
    content_readable,
    repo_can_read,
    repo_can_write,
    token_allows_repo,
)
from hub.catalog.revisions import revision_resolve
from hub.catalog.visibility import repo_list_visible
from hub.community.models import CommentRevision, Discussion, DiscussionEvent, Like
from hub.core.errors import NotFoundError, ValidationError

HIDDEN_COMMENT_TEXT = "This comment has been hidden"
# Files above this size are not diffed line by line.
MAX_DIFF_FILE_BYTES = 512 * 1024
# The whole diff is cut here (with a note), so a huge PR stays viewable.
MAX_DIFF_BYTES = 4 * 1024 * 1024

TYPE_FILTERS = ("all", "discussion", "pull_request")
STATUS_FILTERS = ("all", "open", "closed", "draft", "merged")


# Who may do what ------------------------------------------------------------


def discussion_can_participate(
    *, user: Any, token: ApiToken | None, repo: ModelRepo
) -> bool:
    """Whether the caller may open discussions, comment and like on ``repo``.

    Any active user who can read the repo, with a write-scoped token (if a
    token is used) that is not limited to other repos: a read token never
    writes, not even comments.
    """
    if not user_is_active(user):
        return False
    if not repo_can_read(user=user, repo=repo, token=token):
        return False
    if token is not None and not token.can_write:
        return False
    return token_allows_repo(token=token, repo=repo)


def pull_request_can_push(
    *, user: Any, token: ApiToken | None, repo: ModelRepo, ref_name: str
) -> bool:
    """Whether the caller may commit to ``ref_name`` (a branch or ``refs/pr/N``).

    Maintainers (``repo_can_write``) may push to any branch and to open or
    draft pull requests; a PR's author may push to that PR only. A merged or
    closed pull request accepts no pushes.
    """
    num = pr_ref_num(ref_name)
    if num is None:
        return repo_can_write(user=user, repo=repo, token=token)
    pr = (
        Discussion.objects.filter(repo=repo, num=num, is_pull_request=True)
        .only("status", "author_id")
        .first()
    )
    if pr is None:
        return repo_can_write(user=user, repo=repo, token=token)
    if pr.status not in (Discussion.Status.OPEN, Discussion.Status.DRAFT):
        return False
    if repo_can_write(user=user, repo=repo, token=token):
        return True
    if not user_is_active(user) or pr.author_id != user.pk:
        return False
    return discussion_can_participate(user=user, token=token, repo=repo)


# Discussions ----------------------------------------------------------------


def discussion_list(
    *,
    repo: ModelRepo,
    type: str | None = None,
    status: str | None = None,
    author: str | None = None,
    pinned_first: bool = False,
) -> QuerySet[Discussion]:
    """Discussions and PRs of a repo, newest first, filtered as the HF API does.

    ``type``: all, discussion, pull_request. ``status``: all, open (open and
    draft), closed (closed and merged), draft, merged. ``author``: a
    username. ``pinned_first`` puts pinned ones on top (the web list).
    Raises ValidationError for an unknown filter value.
    """
    qs = Discussion.objects.filter(repo=repo).select_related(
        "author", "repo__namespace"
    )
    if type not in (None, "", *TYPE_FILTERS):
        raise ValidationError(f"type must be one of {', '.join(TYPE_FILTERS)}.")
    if status not in (None, "", *STATUS_FILTERS):
        raise ValidationError(f"status must be one of {', '.join(STATUS_FILTERS)}.")
    if type == "discussion":
        qs = qs.filter(is_pull_request=False)
    elif type == "pull_request":
        qs = qs.filter(is_pull_request=True)
    if status == "open":
        qs = qs.filter(status__in=[Discussion.Status.OPEN, Discussion.Status.DRAFT])
    elif status == "closed":
        qs = qs.filter(status__in=[Discussion.Status.CLOSED, Discussion.Status.MERGED])
    elif status in ("draft", "merged"):
        qs = qs.filter(status=status)
    if author:
        qs = qs.filter(author__username__iexact=author)
    if pinned_first:
        return qs.order_by("-is_pinned", "-num")
    return qs.order_by("-num")


def discussion_get(*, repo: ModelRepo, num: int) -> Discussion:
    """Discussion or PR ``num`` of ``repo``; NotFoundError if there is none."""
    discussion = (
        Discussion.objects.filter(repo=repo, num=num)
        .select_related("author", "repo__namespace", "merge_commit")
        .first()
    )
    if discussion is None:
        raise NotFoundError(
            f"{repo.full_name} has no discussion or pull request #{num}: "
            "list them with GET .../discussions."
        )
    return discussion


def discussion_events(*, discussion: Discussion) -> QuerySet[DiscussionEvent]:
    """The timeline, oldest first; ``last_edited_at`` is set on edited comments."""
    last_edit = CommentRevision.objects.filter(event=OuterRef("pk")).order_by("-pk")
    return (
        DiscussionEvent.objects.filter(discussion=discussion)
        .select_related("author", "hidden_by")
        .annotate(last_edited_at=Subquery(last_edit.values("created_at")[:1]))
        .order_by("created_at", "pk")
    )


def discussion_event_get(*, discussion: Discussion, event_id: str) -> DiscussionEvent:
    """One event of a discussion by id; NotFoundError if there is none."""
    event = None
    if event_id.isdigit():
        event = discussion_events(discussion=discussion).filter(pk=event_id).first()
    if event is None:
        raise NotFoundError(
            f"Discussion #{discussion.num} has no comment {event_id!r}."
        )
    return event


def event_visible_content(*, event: DiscussionEvent) -> str:
    """A comment's text as shown to readers: nothing of a hidden comment."""
    return HIDDEN_COMMENT_TEXT if event.is_hidden else event.content


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
    before, after = (
        entry_text(entry=old, limit=MAX_DIFF_FILE_BYTES),
        entry_text(entry=new, limit=MAX_DIFF_FILE_BYTES),
    )
    if before is None or after is None:
        return header + f"Binary files {a} and {b} differ\n"
    lines = []
    for line in difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=a,
        tofile=b,
    ):
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        lines.append(line)
    return header + "".join(lines)


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


# Likes ----------------------------------------------------------------------


def likes_of_user(
    *, user: User, viewer: Any, viewer_token: ApiToken | None = None
) -> QuerySet[Like]:
    """Likes of ``user``, newest first, on repos the viewer may see."""
    visible = repo_list_visible(user=viewer, token=viewer_token).values("pk")
    return (
        Like.objects.filter(user=user, repo__in=visible)
        .select_related("repo__namespace")
        .order_by("-pk")
    )


def likers_of_repo(*, repo: ModelRepo) -> QuerySet[Like]:
    """Likes of a repo with their users, newest first."""
    return (
        Like.objects.filter(repo=repo, user__is_active=True)
        .select_related("user")
        .order_by("-pk")
    )


def like_exists(*, user: Any, repo: ModelRepo) -> bool:
    """Whether the user likes the repo (False for anonymous users)."""
    if not user_is_active(user):
        return False
    return Like.objects.filter(user=user, repo=repo).exists()


# People ---------------------------------------------------------------------


def repo_maintainers(*, repo: ModelRepo) -> list[User]:
    """Active users with write access to ``repo`` (owner, org writers and admins).

    The same roles ``repo_can_write`` accepts, read for the whole namespace
    in one query; superusers are not listed (they maintain everything).
    """
    namespace = repo.namespace
    if namespace.kind == Namespace.Kind.USER and namespace.user_id is not None:
        users = User.objects.filter(pk=namespace.user_id, is_active=True)
    elif namespace.organization_id is not None:
        users = User.objects.filter(
            is_active=True,
            memberships__organization_id=namespace.organization_id,
            memberships__role__in=[Membership.Role.WRITE, Membership.Role.ADMIN],
        )
    else:
        return []
    return list(users.distinct().order_by("username"))


def discussion_participants(*, discussion: Discussion) -> list[User]:
    """The author and every active commenter of a discussion (one query)."""
    commenters = DiscussionEvent.objects.filter(
        discussion=discussion, type=DiscussionEvent.Type.COMMENT
    ).values("author_id")
    users = User.objects.filter(is_active=True).filter(
        Q(pk__in=commenters) | Q(pk=discussion.author_id)
    )
    return list(users.order_by("username"))


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
    from hub.jobs.selectors import failing_check_messages

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


MAX_WEIGHT_FACTS = 20


@dataclass(frozen=True)
class WeightFacts:
    """What a page can say about a changed weights file without diffing it."""

    path: str
    size_before: int | None
    size_after: int | None
    parameters_before: dict[str, int] | None
    parameters_after: dict[str, int] | None

    @property
    def total_before(self) -> int | None:
        return sum(self.parameters_before.values()) if self.parameters_before else None

    @property
    def total_after(self) -> int | None:
        return sum(self.parameters_after.values()) if self.parameters_after else None


def _safetensors_parameters(entry: TreeEntry | None) -> dict[str, int] | None:
    from hub.catalog.safetensors_meta import (
        SafetensorsHeaderError,
        safetensors_read_header,
    )
    from hub.storage.services import blob_store

    if entry is None or not entry.path.endswith(".safetensors"):
        return None
    store = blob_store()

    def read(offset: int, length: int) -> bytes:
        if length <= 0:
            return b""
        return b"".join(store.iter_range(entry.blob_id, offset, offset + length - 1))

    try:
        return dict(safetensors_read_header(read=read, size=entry.size).parameters)
    except (SafetensorsHeaderError, OSError):
        return None


def weight_facts(*, changes: Iterable[FileChange]) -> dict[str, WeightFacts]:
    """Size before/after and safetensors parameters per dtype of changed
    weights files (read from headers only), for at most MAX_WEIGHT_FACTS."""
    from hub.catalog.selectors import WEIGHT_SUFFIXES

    facts: dict[str, WeightFacts] = {}
    for change in changes:
        if not change.path.endswith(WEIGHT_SUFFIXES):
            continue
        if len(facts) >= MAX_WEIGHT_FACTS:
            break
        facts[change.path] = WeightFacts(
            path=change.path,
            size_before=change.old.size if change.old is not None else None,
            size_after=change.new.size if change.new is not None else None,
            parameters_before=_safetensors_parameters(change.old),
            parameters_after=_safetensors_parameters(change.new),
        )
    return facts


def discussion_counts(*, repo: ModelRepo) -> dict[str, int]:
    """Open/closed counts of discussions and PRs of a repo (one query)."""
    rows = (
        Discussion.objects.filter(repo=repo)
        .values("is_pull_request", "status")
        .annotate(n=Count("pk"))
    )
    counts = {"open": 0, "closed": 0, "open_discussions": 0, "open_pull_requests": 0}
    for row in rows:
        is_open = row["status"] in (Discussion.Status.OPEN, Discussion.Status.DRAFT)
        counts["open" if is_open else "closed"] += row["n"]
        if is_open:
            key = "open_pull_requests" if row["is_pull_request"] else "open_discussions"
            counts[key] += row["n"]
    return counts


def discussion_open_count(*, repo: ModelRepo) -> int:
    """Open discussions and pull requests (drafts included) of a repo."""
    return Discussion.objects.filter(
        repo=repo, status__in=[Discussion.Status.OPEN, Discussion.Status.DRAFT]
    ).count()
