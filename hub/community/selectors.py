"""Reads of the community: discussions, timelines, push rights, likes,
people (pull requests: ``pull_request_selectors``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from hub.accounts.actors import user_is_active
from hub.accounts.models import ApiToken, Membership, Namespace, User
from hub.catalog.history import FileChange
from hub.catalog.models import ModelRepo, TreeEntry, pr_ref_num
from hub.catalog.permissions import (
    repo_can_read,
    repo_can_write,
    token_allows_repo,
)
from hub.catalog.selectors import WEIGHT_SUFFIXES
from hub.catalog.visibility import repo_list_visible
from hub.community.models import CommentRevision, Discussion, DiscussionEvent, Like
from hub.core.errors import NotFoundError, ValidationError
from hub.jobs.selectors.weights import blobs_safetensors_parameters

HIDDEN_COMMENT_TEXT = "This comment has been hidden"

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


def weight_facts(*, changes: Iterable[FileChange]) -> dict[str, WeightFacts]:
    """Size before/after and safetensors parameters per dtype of changed
    weights files (from their checks' verdicts), for at most MAX_WEIGHT_FACTS."""
    weights: list[FileChange] = []
    for change in changes:
        if not change.path.endswith(WEIGHT_SUFFIXES):
            continue
        if len(weights) >= MAX_WEIGHT_FACTS:
            break
        weights.append(change)
    safetensors = [
        entry
        for change in weights
        for entry in (change.old, change.new)
        if entry is not None and entry.path.endswith(".safetensors")
    ]
    parameters = blobs_safetensors_parameters(
        blobs=[(entry.blob_id, entry.size) for entry in safetensors]
    )

    def counts(entry: TreeEntry | None) -> dict[str, int] | None:
        if entry is None or not entry.path.endswith(".safetensors"):
            return None
        return parameters[entry.blob_id]

    return {
        change.path: WeightFacts(
            path=change.path,
            size_before=change.old.size if change.old is not None else None,
            size_after=change.new.size if change.new is not None else None,
            parameters_before=counts(change.old),
            parameters_after=counts(change.new),
        )
        for change in weights
    }


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
