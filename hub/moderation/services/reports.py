"""Reports: anyone signed in reports a target; staff decide them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hub.accounts.actors import Actor
from hub.accounts.models import User
from hub.catalog.models import ModelRepo
from hub.catalog.permissions import repo_can_read
from hub.community.models import DiscussionEvent
from hub.core.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from hub.moderation.models import ModerationAction, Report
from hub.moderation.permissions import require_staff, require_writer
from hub.moderation.services.audit import (
    MAX_REASON_LENGTH,
    audit_log_write,
    report_close,
)
from hub.reviews.models import Review

MAX_REPORT_TEXT_LENGTH = 5000


def _report_fields(
    *,
    reporter: User,
    repo: ModelRepo | None,
    review: Review | None,
    comment: DiscussionEvent | None,
    target_user: User | None,
) -> dict[str, Any]:
    """The Report columns naming its one target; errors for a target that
    cannot be reported."""
    if repo is not None:
        return {"kind": Report.Kind.MODEL, "repo": repo}
    if review is not None:
        if review.is_hidden and review.author_id != reporter.pk:
            raise PermissionDeniedError("This review is hidden already.")
        return {"kind": Report.Kind.REVIEW, "repo": review.repo, "review": review}
    if comment is not None:
        if comment.type != DiscussionEvent.Type.COMMENT:
            raise ValidationError("Only comments can be reported, not other events.")
        return {
            "kind": Report.Kind.COMMENT,
            "repo": comment.discussion.repo,
            "comment": comment,
        }
    assert target_user is not None
    if target_user.pk == reporter.pk:
        raise ValidationError("You cannot report yourself.")
    return {"kind": Report.Kind.USER, "target_user": target_user}


@transaction.atomic
def report_create(
    *,
    actor: Actor,
    reason: str,
    text: str = "",
    repo: ModelRepo | None = None,
    review: Review | None = None,
    comment: DiscussionEvent | None = None,
    target_user: User | None = None,
) -> Report:
    """Report exactly one target with a reason (a Report.Reason) and a note.

    Idempotent while the reporter's report on that target is open (the open
    one is returned). AuthenticationError for anonymous callers;
    PermissionDeniedError for a read token and for targets the reporter
    cannot see; ValidationError for bad input.
    """
    require_writer(actor=actor, what="report content")
    reporter = actor.user
    given = [t for t in (repo, review, comment, target_user) if t is not None]
    if len(given) != 1:
        raise ValidationError("Report exactly one model, review, comment or user.")
    if reason not in Report.Reason.values:
        raise ValidationError(
            f"Unknown reason {reason!r}: use one of {', '.join(Report.Reason.values)}."
        )
    text = (text or "").strip()
    if len(text) > MAX_REPORT_TEXT_LENGTH:
        raise ValidationError(
            f"The report is too long: at most {MAX_REPORT_TEXT_LENGTH} characters."
        )
    fields = _report_fields(
        reporter=reporter,
        repo=repo,
        review=review,
        comment=comment,
        target_user=target_user,
    )
    target_repo = fields.get("repo")
    if target_repo is not None and not repo_can_read(
        user=reporter, repo=target_repo, token=actor.token
    ):
        raise PermissionDeniedError("You cannot report content you cannot see.")
    existing = Report.objects.filter(
        reporter=reporter, status=Report.Status.OPEN, **fields
    ).first()
    if existing is not None:
        return existing
    return Report.objects.create(reporter=reporter, reason=reason, text=text, **fields)


@transaction.atomic
def report_decide(
    *, actor: Actor, report_id: int, status: str, note: str = ""
) -> Report:
    """Resolve or dismiss an open report (logged); hub staff only, so nobody
    empties staff's queue of reports about their own repos.

    PermissionDeniedError for anyone else (org admins included: they add
    moderation themselves), NotFoundError for an unknown report,
    ValidationError for another status, ConflictError when decided already.
    """
    require_staff(actor=actor, what="decide reports")
    if status not in (Report.Status.RESOLVED, Report.Status.DISMISSED):
        raise ValidationError("Decide a report as resolved or dismissed.")
    locked = Report.objects.select_for_update().filter(pk=report_id).first()
    if locked is None:
        raise NotFoundError(f"Report {report_id} not found.")
    if locked.status != Report.Status.OPEN:
        raise ConflictError(f"This report was {locked.status} already.")
    note = (note or "").strip()[:MAX_REASON_LENGTH]
    report_close(locked, actor=actor.user, status=status, note=note)
    audit_log_write(
        actor=actor.user,
        action=(
            ModerationAction.Action.RESOLVE_REPORT
            if status == Report.Status.RESOLVED
            else ModerationAction.Action.DISMISS_REPORT
        ),
        reason=note or f"Report {locked.pk} {status}.",
        target_kind=locked.kind,
        target_label=f"report {locked.pk} ({locked.get_reason_display()})",
        report=locked,
        repo=locked.repo,
        review=locked.review,
        comment=locked.comment,
        target_user=locked.target_user,
    )
    return locked
