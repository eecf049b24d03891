"""Reads of moderation: the queue a moderator sees, the audit log, reasons."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import CharField, F, Q, QuerySet, Value

from hub.accounts.actors import Actor
from hub.accounts.selectors import user_get_by_username
from hub.catalog.models import ModelRepo
from hub.catalog.visibility import repo_get_visible, repo_list_visible
from hub.community.models import Discussion, DiscussionEvent
from hub.core.errors import NotFoundError, ValidationError
from hub.core.names import repo_typed_id_split
from hub.moderation.models import ModerationAction, Report
from hub.moderation.permissions import (
    actor_is_staff,
    actor_moderates_repo,
    actor_reads_queue,
    actor_sees_reporters,
    queue_scope,
    require_queue_reader,
)
from hub.reviews.models import Review


def report_list_for_moderator(
    *, actor: Actor, status: str | None = Report.Status.OPEN
) -> QuerySet[Report]:
    """Reports a moderator reads, newest first.

    Staff read every report; organization admins those on their
    organizations' repos (reports on users are for staff only). Each row
    carries ``reporter_name``: the reporter's username for staff, None for
    everyone else. PermissionDeniedError for non-moderators.
    """
    require_queue_reader(actor=actor)
    reporter_name: Any = (
        F("reporter__username")
        if actor_sees_reporters(actor=actor)
        else Value(None, output_field=CharField())
    )
    qs = (
        Report.objects.select_related(
            "repo__namespace",
            "review__author",
            "review__repo__namespace",
            "comment__author",
            "comment__discussion",
            "target_user",
            "decided_by",
        )
        .annotate(reporter_name=reporter_name)
        .order_by("-created_at", "-pk")
    )
    if status:
        qs = qs.filter(status=status)
    scope = queue_scope(actor=actor)
    return qs if scope is None else qs.filter(scope)


def report_get_for_moderator(*, actor: Actor, report_id: int) -> Report:
    """A report the moderator may read; NotFoundError otherwise."""
    found = report_list_for_moderator(actor=actor, status=None).filter(pk=report_id)
    report = found.first()
    if report is None:
        raise NotFoundError(f"Report {report_id} not found.")
    return report


def moderation_log(*, actor: Actor) -> QuerySet[ModerationAction]:
    """The audit log as a moderator may read it, newest first.
    PermissionDeniedError for non-moderators."""
    require_queue_reader(actor=actor)
    qs = ModerationAction.objects.select_related("actor", "report").order_by(
        "-created_at", "-pk"
    )
    scope = queue_scope(actor=actor)
    return qs if scope is None else qs.filter(scope)


def moderation_powers(
    *, actor: Actor, repo: ModelRepo | None = None
) -> dict[str, bool]:
    """What the pages offer the actor: ``staff`` (decide reports, disable,
    undo), ``reads_queue`` and, with a repo, ``moderates_repo`` (hide, lock).
    Display only: every service checks again."""
    powers = {
        "staff": actor_is_staff(actor=actor) and not actor.is_read_only,
        "reads_queue": actor_reads_queue(actor=actor),
    }
    if repo is not None:
        powers["moderates_repo"] = actor_moderates_repo(actor=actor, repo=repo)
    return powers


def discussion_locked_by_staff(*, discussion: Discussion) -> bool:
    """Whether the lock in force was applied by hub staff (then only staff
    lift it): the author of the latest lock or unlock on the timeline."""
    if not discussion.is_locked:
        return False
    last = (
        DiscussionEvent.objects.filter(
            discussion=discussion,
            type=DiscussionEvent.Type.MODERATION,
            data__action__in=["locked", "unlocked"],
        )
        .select_related("author")
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is None or last.data.get("action") != "locked":
        return False
    # A staff account's lock stays staff's even after the account goes.
    return last.author is not None and bool(last.author.is_staff)


def discussion_unlock_reserved(*, actor: Actor, discussion: Discussion) -> bool:
    """Whether staff locked the discussion and the actor is not staff (the
    page then offers no Unlock button; the service refuses anyway)."""
    return discussion_locked_by_staff(discussion=discussion) and not actor_is_staff(
        actor=actor
    )


def hidden_comment_reasons(*, event_ids: Iterable[int]) -> dict[int, str]:
    """Why moderators hid these comments ({event id: reason}; one query)."""
    rows = (
        ModerationAction.objects.filter(
            action=ModerationAction.Action.HIDE_COMMENT,
            comment_id__in=list(event_ids),
        )
        .order_by("comment_id", "-created_at")
        .values_list("comment_id", "reason")
    )
    reasons: dict[int, str] = {}
    for comment_id, reason in rows:
        reasons.setdefault(comment_id, reason)
    return reasons


def user_ban_reason(*, user: Any) -> str | None:
    """The reason of the user's current ban, or None when not banned."""
    if user is None or user.is_active:
        return None
    return (
        ModerationAction.objects.filter(
            action=ModerationAction.Action.BAN_USER, target_user=user
        )
        .order_by("-created_at")
        .values_list("reason", flat=True)
        .first()
    )


# Reports and actions name a repo (kind "model") by its typed id.
REPO_ID_HELP = (
    "Name a repo as 'namespace/name' (a model), 'datasets/namespace/name' or "
    "'spaces/namespace/name'."
)


def report_target_resolve(*, viewer: Any, kind: str, target: str) -> dict[str, Any]:
    """The object a report names, as ``report_create`` keyword arguments.

    ``target`` is a repo's typed id (``namespace/name`` for a model,
    ``datasets/namespace/name``...) for kind "model", a numeric id for a review or
    a comment, a username for a user. Only what the viewer can see is found:
    NotFoundError otherwise, ValidationError for a malformed target.
    """
    target = (target or "").strip()
    if kind == "model":
        split = repo_typed_id_split(target)
        if split is None:
            raise ValidationError(REPO_ID_HELP)
        repo_type, namespace, name = split
        repo = repo_get_visible(
            user=viewer, namespace=namespace, name=name, repo_type=repo_type
        )
        return {"repo": repo}
    if kind == "user":
        return {"target_user": user_get_by_username(username=target.lstrip("@"))}
    if kind not in ("review", "comment"):
        raise ValidationError("Report a model, a review, a comment or a user.")
    try:
        pk = int(target)
    except ValueError:
        raise ValidationError(f"A {kind} is named by its numeric id.") from None
    visible = repo_list_visible(user=viewer).values("pk")
    if kind == "review":
        review = (
            Review.objects.select_related("repo__namespace", "author")
            .filter(pk=pk, repo__in=visible)
            .filter(Q(is_hidden=False) | Q(author=viewer))
            .first()
        )
        if review is None:
            raise NotFoundError(f"Review {pk} not found.")
        return {"review": review}
    comment = (
        DiscussionEvent.objects.select_related("discussion__repo__namespace")
        .filter(pk=pk, discussion__repo__in=visible, type="comment")
        .first()
    )
    if comment is None:
        raise NotFoundError(f"Comment {pk} not found.")
    return {"comment": comment}
