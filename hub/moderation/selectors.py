"""Reads of moderation: the queue a moderator sees, the audit log, reasons."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from hub.accounts.models import Membership
from hub.catalog.permissions import user_is_staff_moderator
from hub.core.errors import NotFoundError
from hub.moderation.models import ModerationAction, Report


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def _admin_org_ids(user: Any) -> list[int]:
    if not _active(user):
        return []
    return list(
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values_list(
            "organization_id", flat=True
        )
    )


def user_is_moderator(*, user: Any) -> bool:
    """Staff, or an admin of at least one organization (they moderate its repos)."""
    return user_is_staff_moderator(user=user) or bool(_admin_org_ids(user))


def _scope(user: Any, repo_field: str) -> Q | None:
    """The rows a moderator may see: None for everything (staff)."""
    if user_is_staff_moderator(user=user):
        return None
    return Q(**{f"{repo_field}__namespace__organization_id__in": _admin_org_ids(user)})


def report_list_for_moderator(
    *, user: Any, status: str | None = Report.Status.OPEN
) -> QuerySet[Report]:
    """Reports a moderator decides, newest first; empty for non-moderators.

    Staff see every report; org admins those on their organizations' repos
    (reports on users are for staff only).
    """
    qs = Report.objects.select_related(
        "reporter",
        "repo__namespace",
        "review__author",
        "review__repo__namespace",
        "comment__author",
        "comment__discussion",
        "target_user",
        "decided_by",
    ).order_by("-created_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    if not _active(user):
        return qs.none()
    scope = _scope(user, "repo")
    return qs if scope is None else qs.filter(scope)


def report_get_for_moderator(*, user: Any, report_id: int) -> Report:
    """A report the moderator may decide; NotFoundError otherwise."""
    report = report_list_for_moderator(user=user, status=None).filter(pk=report_id)
    found = report.first()
    if found is None:
        raise NotFoundError(f"Report {report_id} not found.")
    return found


def moderation_log(*, user: Any) -> QuerySet[ModerationAction]:
    """The audit log as a moderator may read it, newest first."""
    qs = ModerationAction.objects.select_related("actor", "report").order_by(
        "-created_at", "-pk"
    )
    if not _active(user):
        return qs.none()
    scope = _scope(user, "repo")
    return qs if scope is None else qs.filter(scope)


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


def report_target_resolve(*, viewer: Any, kind: str, target: str) -> dict[str, Any]:
    """The object a report names, as ``report_create`` keyword arguments.

    ``target`` is ``namespace/name`` for a model, a numeric id for a review or
    a comment, a username for a user. Only what the viewer can see is found:
    NotFoundError otherwise, ValidationError for a malformed target.
    """
    from hub.accounts.selectors import user_get_by_username
    from hub.catalog.selectors import repo_get_visible, repo_list_visible
    from hub.community.models import DiscussionEvent
    from hub.core.errors import ValidationError
    from hub.reviews.models import Review

    target = (target or "").strip()
    if kind == "model":
        namespace, slash, name = target.partition("/")
        if not slash or not namespace or not name:
            raise ValidationError("Name a model as 'namespace/name'.")
        return {"repo": repo_get_visible(user=viewer, namespace=namespace, name=name)}
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
