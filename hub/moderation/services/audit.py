"""The audit log and the report a moderation action answers: shared by the
report services and the action table."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hub.accounts.actors import Actor
from hub.accounts.models import Namespace, User
from hub.audit.services import audit_record
from hub.catalog.models import ModelRepo
from hub.community.models import Discussion, DiscussionEvent
from hub.core.errors import ValidationError
from hub.moderation.models import ModerationAction, Report
from hub.moderation.permissions import require_staff
from hub.reviews.models import Review

MAX_REASON_LENGTH = 2000


def reason_clean(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            "Give a reason: the author and the audit log will show it."
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            f"The reason is too long: at most {MAX_REASON_LENGTH} characters."
        )
    return reason


def audit_log_write(
    *,
    actor: User,
    action: str,
    reason: str,
    target_kind: str,
    target_label: str,
    report: Report | None = None,
    **targets: Any,
) -> ModerationAction:
    """Insert one entry of the append-only moderation log, and the same act
    as ``moderation.act`` in the security audit log (hub.audit)."""
    repo = targets.get("repo")
    audit_record(
        "moderation.act",
        actor=actor,
        organization=(
            repo.namespace.name
            if repo is not None and repo.namespace.kind == Namespace.Kind.ORGANIZATION
            else ""
        ),
        repo=repo.full_name if repo is not None else "",
        target=target_label,
        details={
            "kind": str(action),
            "target_kind": target_kind,
            "reason": reason[:500],
            "report": report.pk if report is not None else None,
        },
    )
    return ModerationAction.objects.create(
        actor=actor,
        actor_username=actor.username,
        action=action,
        reason=reason,
        target_kind=target_kind,
        target_label=target_label[:300],
        report=report,
        **targets,
    )


def report_require_may_resolve(actor: Actor, report: Report | None) -> None:
    # Deciding a report empties staff's queue: an action answers one only
    # when staff take it (an org admin would otherwise close reports about
    # their own repos).
    if report is not None:
        require_staff(actor=actor, what="resolve reports")


def report_close(report: Report | None, *, actor: User, status: str, note: str) -> None:
    if report is None or report.status != Report.Status.OPEN:
        return
    report.status = status
    report.decided_at = timezone.now()
    report.decided_by = actor
    report.decision_note = note
    report.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])


def report_require_about(
    report: Report | None,
    *,
    review: Review | None = None,
    comment: DiscussionEvent | None = None,
    discussion: Discussion | None = None,
    repo: ModelRepo | None = None,
    user: User | None = None,
) -> None:
    """An action resolves only a report about what it acts on: the reported
    review or comment, a comment of the locked discussion, anything on the
    disabled repo, the banned user or something they wrote."""
    if report is None:
        return
    if review is not None:
        about = report.review_id == review.pk
    elif comment is not None:
        about = report.comment_id == comment.pk
    elif discussion is not None:
        about = (
            report.comment is not None and report.comment.discussion_id == discussion.pk
        )
    elif repo is not None:
        about = report.repo_id == repo.pk
    else:
        assert user is not None
        authors = {
            report.target_user_id,
            report.review.author_id if report.review is not None else None,
            report.comment.author_id if report.comment is not None else None,
        }
        about = user.pk in authors
    if not about:
        raise ValidationError(
            f"Report {report.pk} is about something else: act on what it reports, "
            "or decide it on its own."
        )
