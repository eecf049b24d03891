"""Reads of the community: discussions, timelines, PR diffs, push rights, likes."""

from __future__ import annotations

import difflib
import re
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from hub.accounts.models import ApiToken, User
from hub.catalog.errors import RevisionNotFoundError
from hub.catalog.merge import merge_base, merge_conflicts
from hub.catalog.models import Commit, ModelRepo, TreeEntry
from hub.catalog.permissions import repo_can_read, repo_can_write, token_allows_repo
from hub.catalog.selectors import commit_diff, repo_list_visible, revision_resolve
from hub.community.models import CommentRevision, Discussion, DiscussionEvent, Like
from hub.core.errors import NotFoundError, ValidationError
from hub.storage.selectors import blob_read_bytes

HIDDEN_COMMENT_TEXT = "This comment has been hidden"
# Files above this size are not diffed line by line.
MAX_DIFF_FILE_BYTES = 512 * 1024
# The whole diff is cut here (with a note), so a huge PR stays viewable.
MAX_DIFF_BYTES = 4 * 1024 * 1024
_PR_REF_RE = re.compile(r"^refs/pr/(\d+)$")

TYPE_FILTERS = ("all", "discussion", "pull_request")
STATUS_FILTERS = ("all", "open", "closed", "draft", "merged")


# Who may do what ------------------------------------------------------------


def _is_active_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def discussion_can_participate(
    *, user: Any, token: ApiToken | None, repo: ModelRepo
) -> bool:
    """Whether the caller may open discussions, comment and like on ``repo``.

    Any active user who can read the repo, with a write-scoped token (if a
    token is used) that is not limited to other repos: a read token never
    writes, not even comments.
    """
    if not _is_active_user(user):
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
    match = _PR_REF_RE.match(ref_name)
    if match is None:
        return repo_can_write(user=user, repo=repo, token=token)
    pr = (
        Discussion.objects.filter(
            repo=repo, num=int(match.group(1)), is_pull_request=True
        )
        .only("status", "author_id")
        .first()
    )
    if pr is None:
        return repo_can_write(user=user, repo=repo, token=token)
    if pr.status not in (Discussion.Status.OPEN, Discussion.Status.DRAFT):
        return False
    if repo_can_write(user=user, repo=repo, token=token):
        return True
    if not _is_active_user(user) or pr.author_id != user.pk:
        return False
    return discussion_can_participate(user=user, token=token, repo=repo)


# Discussions ----------------------------------------------------------------


def discussion_list(
    *,
    repo: ModelRepo,
    type: str | None = None,
    status: str | None = None,
    author: str | None = None,
) -> QuerySet[Discussion]:
    """Discussions and PRs of a repo, newest first, filtered as the HF API does.

    ``type``: all, discussion, pull_request. ``status``: all, open (open and
    draft), closed (closed and merged), draft, merged. ``author``: a
    username. Raises ValidationError for an unknown filter value.
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


def _text_of(entry: TreeEntry | None) -> str | None:
    if entry is None:
        return ""
    if entry.is_lfs or entry.size > MAX_DIFF_FILE_BYTES:
        return None
    data = blob_read_bytes(sha256=entry.blob_id, limit=MAX_DIFF_FILE_BYTES)
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


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
    before, after = _text_of(old), _text_of(new)
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


def pull_request_diff(*, discussion: Discussion) -> str:
    """Unified diff of a PR: merge base → PR head (text files; a note for others).

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
    for change in commit_diff(old=base, new=head):
        part = _file_diff(change.path, change.old, change.new)
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
    if not _is_active_user(user):
        return False
    return Like.objects.filter(user=user, repo=repo).exists()
