"""``moderation_act``: one entry point for the interfaces, taking an action
and its target named as the API and the web name them."""

from __future__ import annotations

from django.db import transaction

from hub.accounts.actors import Actor
from hub.accounts.selectors import user_get_by_username
from hub.catalog.models import ModelRepo
from hub.catalog.visibility import repo_get_visible
from hub.community.models import Discussion, DiscussionEvent
from hub.core.errors import ConflictError, NotFoundError, ValidationError
from hub.core.names import repo_typed_id_split
from hub.moderation.models import ModerationAction, Report
from hub.moderation.permissions import require_staff
from hub.moderation.selectors import REPO_ID_HELP, report_get_for_moderator
from hub.moderation.services.actions import ACTIONS, ACTS, act_run
from hub.reviews.models import Review


def _repo_by_id(actor: Actor, repo_id: str) -> ModelRepo:
    split = repo_typed_id_split(repo_id.strip())
    if split is None:
        raise ValidationError(REPO_ID_HELP)
    repo_type, namespace, name = split
    return repo_get_visible(
        user=actor.user,
        token=actor.token,
        namespace=namespace,
        name=name,
        repo_type=repo_type,
    )


def _int_id(value: str, what: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValidationError(f"A {what} is named by its numeric id.") from None


def _review_target(actor: Actor, target: str) -> Review:
    review = (
        Review.objects.select_related("repo__namespace", "author")
        .filter(pk=_int_id(target, "review"))
        .first()
    )
    if review is None:
        raise NotFoundError(f"Review {target} not found.")
    return review


def _comment_target(actor: Actor, target: str) -> DiscussionEvent:
    comment = (
        DiscussionEvent.objects.select_related("discussion__repo__namespace", "author")
        .filter(pk=_int_id(target, "comment"))
        .first()
    )
    if comment is None:
        raise NotFoundError(f"Comment {target} not found.")
    return comment


def _discussion_target(actor: Actor, target: str) -> Discussion:
    repo_id, hash_, num = target.partition("#")
    if not hash_:
        raise ValidationError("Name a discussion as 'namespace/name#num'.")
    repo = _repo_by_id(actor, repo_id)
    discussion = Discussion.objects.filter(
        repo=repo, num=_int_id(num, "discussion")
    ).first()
    if discussion is None:
        raise NotFoundError(f"Discussion {target} not found.")
    return discussion


def _user_target(actor: Actor, target: str) -> object:
    return user_get_by_username(username=target.strip().lstrip("@"))


TARGETS = {
    "review": _review_target,
    "comment": _comment_target,
    "discussion": _discussion_target,
    "repo": _repo_by_id,
    "user": _user_target,
}


@transaction.atomic
def moderation_act(
    *,
    actor: Actor,
    action: str,
    target: str,
    reason: str,
    report_id: int | None = None,
) -> ModerationAction:
    """Take ``action`` on a target named as the API and the web name it.

    ``target``: a review or comment id, ``namespace/name`` for a model,
    ``namespace/name#num`` for a discussion, a username for a user. With
    ``report_id`` (staff only) the report is resolved by the action.
    Returns the audit log entry. NotFoundError for a missing target,
    ValidationError for a malformed one, PermissionDeniedError when the
    actor may not take this action on it.
    """
    act = ACTS.get(action)
    if act is None:
        raise ValidationError(f"Unknown action {action!r}: use {', '.join(ACTIONS)}.")
    report = None
    if report_id is not None:
        require_staff(actor=actor, what="resolve reports")
        if not act.resolves_reports:
            raise ValidationError(f"{action} resolves no report: leave report_id out.")
        report = report_get_for_moderator(actor=actor, report_id=report_id)
        if report.status != Report.Status.OPEN:
            raise ConflictError(f"Report {report.pk} was {report.status} already.")
    found = TARGETS[act.about](actor, target)
    return act_run(act, target=found, actor=actor, reason=reason, report=report)
