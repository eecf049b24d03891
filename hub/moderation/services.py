"""Writes of moderation: reports, the actions moderators take, the audit log.

Anyone signed in reports a model, a review, a discussion comment or a user.
Who may act is decided here, for every face, by ``hub.moderation.permissions``:
staff act on everything, decide reports and undo moderation; admins of a
repo add moderation (hide, lock) to its community content and never remove
what staff applied. Every service takes the ``Actor`` (user and token) and
checks for itself: the HF, ``/api/v1`` and web views parse input, call one
service and render. Every action inserts one ``ModerationAction`` (who,
what, why, when, target) in the same transaction as the change it records;
the log is append-only. Authors of hidden content and owners of a disabled
repo are notified with the reason.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from hub.accounts.actors import Actor
from hub.accounts.models import User
from hub.catalog.models import ModelRepo
from hub.catalog.permissions import (
    repo_admin_users,
    repo_can_read,
)
from hub.community.models import Discussion, DiscussionEvent
from hub.community.selectors import discussion_can_participate
from hub.community.services import comment_hide, discussion_set_locked
from hub.core.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from hub.moderation.models import ModerationAction, Report
from hub.moderation.permissions import (
    actor_is_staff,
    require_repo_moderator,
    require_staff,
    require_writer,
)
from hub.moderation.selectors import (
    discussion_locked_by_staff,
    report_get_for_moderator,
)
from hub.reviews.models import Review
from hub.reviews.services import review_hide, review_rating_refresh

MAX_REASON_LENGTH = 2000
MAX_REPORT_TEXT_LENGTH = 5000


def _clean_reason(reason: str) -> str:
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


def _log(
    *,
    actor: User,
    action: str,
    reason: str,
    target_kind: str,
    target_label: str,
    report: Report | None = None,
    **targets: Any,
) -> ModerationAction:
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


def _log_action(
    *, actor: User, reason: str, report: Report | None, **log: Any
) -> ModerationAction:
    """Log a moderation action and resolve the report it answers (if any)."""
    entry = _log(actor=actor, reason=reason, report=report, **log)
    _close_report(report, actor=actor, status=Report.Status.RESOLVED, note=reason)
    return entry


def _notify(
    recipient: User | None, *, actor: User, repo: ModelRepo | None, text: str, url: str
) -> None:
    if recipient is None:
        return
    from hub.notifications.services import notification_create

    notification_create(
        recipient=recipient,
        kind="moderation",
        actor=actor,
        repo=repo,
        text=text,
        url=url,
    )


def _require_may_resolve(actor: Actor, report: Report | None) -> None:
    # Deciding a report empties staff's queue: an action answers one only
    # when staff take it (an org admin would otherwise close reports about
    # their own repos).
    if report is not None:
        require_staff(actor=actor, what="resolve reports")


def _close_report(
    report: Report | None, *, actor: User, status: str, note: str
) -> None:
    if report is None or report.status != Report.Status.OPEN:
        return
    report.status = status
    report.decided_at = timezone.now()
    report.decided_by = actor
    report.decision_note = note
    report.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])


def _require_report_about(
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


# Reports --------------------------------------------------------------------


def _review_label(review: Review) -> str:
    return f"review {review.pk} by {review.author.username} on {review.repo.full_name}"


def _comment_label(event: DiscussionEvent) -> str:
    discussion = event.discussion
    author = event.author.username if event.author else "deleted user"
    return (
        f"comment {event.pk} by {author} on {discussion.repo.full_name}"
        f"#{discussion.num}"
    )


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
    fields: dict[str, Any]
    if repo is not None:
        fields = {"kind": Report.Kind.MODEL, "repo": repo}
    elif review is not None:
        if review.is_hidden and review.author_id != reporter.pk:
            raise PermissionDeniedError("This review is hidden already.")
        fields = {"kind": Report.Kind.REVIEW, "repo": review.repo, "review": review}
    elif comment is not None:
        if comment.type != DiscussionEvent.Type.COMMENT:
            raise ValidationError("Only comments can be reported, not other events.")
        fields = {
            "kind": Report.Kind.COMMENT,
            "repo": comment.discussion.repo,
            "comment": comment,
        }
    else:
        assert target_user is not None
        if target_user.pk == reporter.pk:
            raise ValidationError("You cannot report yourself.")
        fields = {"kind": Report.Kind.USER, "target_user": target_user}
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
    _close_report(locked, actor=actor.user, status=status, note=note)
    _log(
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


# Adding moderation: staff, or the repo's admins --------------------------------


@transaction.atomic
def moderation_hide_review(
    *, review: Review, actor: Actor, reason: str, report: Report | None = None
) -> ModerationAction:
    """Hide a review; its author sees why and is notified. Logged. Staff or
    the repo's admins; resolving ``report`` is staff's."""
    _require_report_about(report, review=review)
    require_repo_moderator(actor=actor, repo=review.repo, what="hide reviews")
    _require_may_resolve(actor, report)
    reason = _clean_reason(reason)
    if review.is_hidden:
        raise ConflictError("This review is hidden already.")
    review = review_hide(review=review, actor=actor.user, reason=reason)
    entry = _log_action(
        actor=actor.user,
        action=ModerationAction.Action.HIDE_REVIEW,
        reason=reason,
        target_kind="review",
        target_label=_review_label(review),
        report=report,
        repo=review.repo,
        review=review,
    )
    _notify(
        review.author,
        actor=actor.user,
        repo=review.repo,
        text=f"A moderator hid your review of {review.repo.full_name}: {reason}",
        url=f"/{review.repo.full_name}#review-{review.pk}",
    )
    return entry


@transaction.atomic
def moderation_hide_comment(
    *,
    comment: DiscussionEvent,
    actor: Actor,
    reason: str,
    report: Report | None = None,
) -> ModerationAction:
    """Hide a discussion comment; its author is notified with the reason.
    Logged. Staff or the repo's admins; resolving ``report`` is staff's."""
    _require_report_about(report, comment=comment)
    discussion = comment.discussion
    require_repo_moderator(actor=actor, repo=discussion.repo, what="hide comments")
    _require_may_resolve(actor, report)
    reason = _clean_reason(reason)
    locked = DiscussionEvent.objects.select_for_update().get(pk=comment.pk)
    if locked.type != DiscussionEvent.Type.COMMENT:
        raise ValidationError("Only comments can be hidden.")
    if locked.is_hidden:
        raise ConflictError("This comment is hidden already.")
    locked.is_hidden = True
    locked.hidden_by = actor.user
    locked.save(update_fields=["is_hidden", "hidden_by"])
    entry = _log_action(
        actor=actor.user,
        action=ModerationAction.Action.HIDE_COMMENT,
        reason=reason,
        target_kind="comment",
        target_label=_comment_label(locked),
        report=report,
        repo=discussion.repo,
        comment=locked,
        discussion=discussion,
    )
    _notify(
        locked.author,
        actor=actor.user,
        repo=discussion.repo,
        text=f"A moderator hid your comment on {discussion.repo.full_name}"
        f"#{discussion.num}: {reason}",
        url=f"/{discussion.repo.full_name}/discussions/{discussion.num}",
    )
    return entry


@transaction.atomic
def moderation_lock_discussion(
    *,
    discussion: Discussion,
    actor: Actor,
    reason: str,
    report: Report | None = None,
) -> ModerationAction:
    """Lock a discussion (only maintainers may comment then). Logged. Staff
    or the repo's admins; a lock by staff is lifted by staff only."""
    _require_report_about(report, discussion=discussion)
    require_repo_moderator(actor=actor, repo=discussion.repo, what="lock discussions")
    _require_may_resolve(actor, report)
    reason = _clean_reason(reason)
    if discussion.is_locked:
        raise ConflictError("This discussion is locked already.")
    discussion = discussion_set_locked(
        discussion=discussion, actor=actor.user, locked=True
    )
    return _log_action(
        actor=actor.user,
        action=ModerationAction.Action.LOCK_DISCUSSION,
        reason=reason,
        target_kind="discussion",
        target_label=f"{discussion.repo.full_name}#{discussion.num}",
        report=report,
        repo=discussion.repo,
        discussion=discussion,
    )


def _require_discussion_writer(actor: Actor, repo: ModelRepo, what: str) -> None:
    require_writer(actor=actor, what=what)
    if not discussion_can_participate(user=actor.user, token=actor.token, repo=repo):
        raise PermissionDeniedError(
            f"You may not {what} on {repo.full_name}: use a write token that is "
            "allowed on this repository."
        )


@transaction.atomic
def discussion_lock_set(
    *, actor: Actor, discussion: Discussion, locked: bool
) -> Discussion:
    """Lock or unlock from the discussion itself (no reason, not logged):
    maintainers or staff. A lock staff applied is lifted by staff only.

    Idempotent. AuthenticationError, PermissionDeniedError.
    """
    what = "lock discussions" if locked else "unlock discussions"
    _require_discussion_writer(actor, discussion.repo, what)
    if (
        not locked
        and discussion_locked_by_staff(discussion=discussion)
        and not actor_is_staff(actor=actor)
    ):
        raise PermissionDeniedError(
            "Hub staff locked this discussion: only staff may unlock it."
        )
    return discussion_set_locked(discussion=discussion, actor=actor.user, locked=locked)


@transaction.atomic
def discussion_comment_hide(
    *, actor: Actor, comment: DiscussionEvent
) -> DiscussionEvent:
    """Hide a comment for good from the discussion (no reason, not logged):
    its author or a maintainer. Idempotent; hiding is never undone here.

    AuthenticationError, PermissionDeniedError.
    """
    _require_discussion_writer(actor, comment.discussion.repo, "hide comments")
    return comment_hide(event=comment, actor=actor.user)


# Undoing moderation, and the hub-wide actions: staff only --------------------


@transaction.atomic
def moderation_disable_repo(
    *, repo: ModelRepo, actor: Actor, reason: str, report: Report | None = None
) -> ModerationAction:
    """Disable a repo (staff only): its pages show the reason, no file is
    served. Logged; the repo's admins are notified."""
    _require_report_about(report, repo=repo)
    require_staff(actor=actor, what="disable models")
    reason = _clean_reason(reason)
    locked = ModelRepo.objects.select_for_update().get(pk=repo.pk)
    if locked.disabled_at is not None:
        raise ConflictError(f"{repo.full_name} is disabled already.")
    now = timezone.now()
    ModelRepo.objects.filter(pk=repo.pk).update(disabled_at=now, disabled_reason=reason)
    repo.disabled_at, repo.disabled_reason = now, reason
    entry = _log_action(
        actor=actor.user,
        action=ModerationAction.Action.DISABLE_REPO,
        reason=reason,
        target_kind="model",
        target_label=repo.full_name,
        report=report,
        repo=repo,
    )
    from hub.notifications.services import notifications_fan_out

    notifications_fan_out(
        recipients=repo_admin_users(repo=repo),
        kind="moderation",
        actor=actor.user,
        repo=repo,
        text=f"A moderator disabled {repo.full_name}: {reason}",
        url=f"/{repo.full_name}",
    )
    return entry


@transaction.atomic
def moderation_enable_repo(
    *, repo: ModelRepo, actor: Actor, reason: str
) -> ModerationAction:
    """Lift a repo's disabling (staff only: never its own admins). Logged."""
    require_staff(actor=actor, what="re-enable a disabled model")
    reason = _clean_reason(reason)
    locked = ModelRepo.objects.select_for_update().get(pk=repo.pk)
    if locked.disabled_at is None:
        raise ConflictError(f"{repo.full_name} is not disabled.")
    ModelRepo.objects.filter(pk=repo.pk).update(disabled_at=None, disabled_reason="")
    repo.disabled_at, repo.disabled_reason = None, ""
    return _log(
        actor=actor.user,
        action=ModerationAction.Action.ENABLE_REPO,
        reason=reason,
        target_kind="model",
        target_label=repo.full_name,
        repo=repo,
    )


@transaction.atomic
def moderation_unhide_review(
    *, review: Review, actor: Actor, reason: str
) -> ModerationAction:
    """Show a hidden review again (staff only). Logged; the author is told."""
    require_staff(actor=actor, what="unhide reviews")
    reason = _clean_reason(reason)
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if not locked.is_hidden:
        raise ConflictError("This review is not hidden.")
    locked.is_hidden, locked.hidden_reason = False, ""
    locked.hidden_by, locked.hidden_at = None, None
    locked.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    review_rating_refresh(repo=review.repo)
    entry = _log(
        actor=actor.user,
        action=ModerationAction.Action.UNHIDE_REVIEW,
        reason=reason,
        target_kind="review",
        target_label=_review_label(review),
        repo=review.repo,
        review=locked,
    )
    _notify(
        review.author,
        actor=actor.user,
        repo=review.repo,
        text=f"A moderator restored your review of {review.repo.full_name}.",
        url=f"/{review.repo.full_name}#review-{review.pk}",
    )
    return entry


@transaction.atomic
def moderation_unhide_comment(
    *, comment: DiscussionEvent, actor: Actor, reason: str
) -> ModerationAction:
    """Show a comment a moderator hid again (staff only; a comment its
    author hid stays hidden). Logged; the author is told."""
    require_staff(actor=actor, what="unhide comments")
    reason = _clean_reason(reason)
    locked = DiscussionEvent.objects.select_for_update().get(pk=comment.pk)
    if locked.type != DiscussionEvent.Type.COMMENT or not locked.is_hidden:
        raise ConflictError("This comment is not hidden.")
    if locked.hidden_by_id is not None and locked.hidden_by_id == locked.author_id:
        raise ValidationError(
            "Its author hid this comment: a moderator does not show it again."
        )
    locked.is_hidden, locked.hidden_by = False, None
    locked.save(update_fields=["is_hidden", "hidden_by"])
    discussion = comment.discussion
    entry = _log(
        actor=actor.user,
        action=ModerationAction.Action.UNHIDE_COMMENT,
        reason=reason,
        target_kind="comment",
        target_label=_comment_label(locked),
        repo=discussion.repo,
        comment=locked,
        discussion=discussion,
    )
    _notify(
        locked.author,
        actor=actor.user,
        repo=discussion.repo,
        text=f"A moderator restored your comment on {discussion.repo.full_name}"
        f"#{discussion.num}.",
        url=f"/{discussion.repo.full_name}/discussions/{discussion.num}",
    )
    return entry


@transaction.atomic
def moderation_unlock_discussion(
    *, discussion: Discussion, actor: Actor, reason: str
) -> ModerationAction:
    """Unlock a discussion (staff only, whoever locked it). Logged."""
    require_staff(actor=actor, what="unlock discussions from the queue")
    reason = _clean_reason(reason)
    if not Discussion.objects.filter(pk=discussion.pk, is_locked=True).exists():
        raise ConflictError("This discussion is not locked.")
    discussion = discussion_set_locked(
        discussion=discussion, actor=actor.user, locked=False
    )
    return _log(
        actor=actor.user,
        action=ModerationAction.Action.UNLOCK_DISCUSSION,
        reason=reason,
        target_kind="discussion",
        target_label=f"{discussion.repo.full_name}#{discussion.num}",
        repo=discussion.repo,
        discussion=discussion,
    )


@transaction.atomic
def moderation_ban_user(
    *, user: User, actor: Actor, reason: str, report: Report | None = None
) -> ModerationAction:
    """Ban a user (staff only): the account is deactivated, so neither its
    tokens nor its sessions authenticate any more. Logged."""
    _require_report_about(report, user=user)
    require_staff(actor=actor, what="ban users")
    reason = _clean_reason(reason)
    if user.pk == actor.user.pk:
        raise ValidationError("You cannot ban yourself.")
    if user.is_superuser:
        raise PermissionDeniedError("Superusers cannot be banned here.")
    if not user.is_active:
        raise ConflictError(f"{user.username} is banned already.")
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    return _log_action(
        actor=actor.user,
        action=ModerationAction.Action.BAN_USER,
        reason=reason,
        target_kind="user",
        target_label=f"@{user.username}",
        report=report,
        target_user=user,
    )


@transaction.atomic
def moderation_unban_user(*, user: User, actor: Actor, reason: str) -> ModerationAction:
    """Lift a ban (staff only). Logged."""
    require_staff(actor=actor, what="lift bans")
    reason = _clean_reason(reason)
    if user.is_active:
        raise ConflictError(f"{user.username} is not banned.")
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    return _log(
        actor=actor.user,
        action=ModerationAction.Action.UNBAN_USER,
        reason=reason,
        target_kind="user",
        target_label=f"@{user.username}",
        target_user=user,
    )


# One entry point for the interfaces -----------------------------------------

ACTIONS = (
    "hide_review",
    "hide_comment",
    "lock_discussion",
    "unhide_review",
    "unhide_comment",
    "unlock_discussion",
    "disable_repo",
    "enable_repo",
    "ban_user",
    "unban_user",
)
# Undoing moderation resolves no report.
UNDO_ACTIONS = ("unhide_review", "unhide_comment", "unlock_discussion")


def _repo_by_id(actor: Actor, repo_id: str) -> ModelRepo:
    from hub.catalog.visibility import repo_get_visible

    namespace, slash, name = repo_id.strip().partition("/")
    if not slash or not namespace or not name or "/" in name:
        raise ValidationError("Name a model as 'namespace/name'.")
    return repo_get_visible(
        user=actor.user, token=actor.token, namespace=namespace, name=name
    )


def _int_id(value: str, what: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValidationError(f"A {what} is named by its numeric id.") from None


def _review_target(target: str) -> Review:
    review = (
        Review.objects.select_related("repo__namespace", "author")
        .filter(pk=_int_id(target, "review"))
        .first()
    )
    if review is None:
        raise NotFoundError(f"Review {target} not found.")
    return review


def _comment_target(target: str) -> DiscussionEvent:
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
    from hub.accounts.selectors import user_get_by_username

    if action not in ACTIONS:
        raise ValidationError(f"Unknown action {action!r}: use {', '.join(ACTIONS)}.")
    report = None
    if report_id is not None:
        require_staff(actor=actor, what="resolve reports")
        if action in ("enable_repo", "unban_user", *UNDO_ACTIONS):
            raise ValidationError(f"{action} resolves no report: leave report_id out.")
        report = report_get_for_moderator(actor=actor, report_id=report_id)
        if report.status != Report.Status.OPEN:
            raise ConflictError(f"Report {report.pk} was {report.status} already.")
    if action == "hide_review":
        return moderation_hide_review(
            review=_review_target(target), actor=actor, reason=reason, report=report
        )
    if action == "unhide_review":
        return moderation_unhide_review(
            review=_review_target(target), actor=actor, reason=reason
        )
    if action == "hide_comment":
        return moderation_hide_comment(
            comment=_comment_target(target), actor=actor, reason=reason, report=report
        )
    if action == "unhide_comment":
        return moderation_unhide_comment(
            comment=_comment_target(target), actor=actor, reason=reason
        )
    if action == "lock_discussion":
        return moderation_lock_discussion(
            discussion=_discussion_target(actor, target),
            actor=actor,
            reason=reason,
            report=report,
        )
    if action == "unlock_discussion":
        return moderation_unlock_discussion(
            discussion=_discussion_target(actor, target), actor=actor, reason=reason
        )
    if action == "disable_repo":
        return moderation_disable_repo(
            repo=_repo_by_id(actor, target), actor=actor, reason=reason, report=report
        )
    if action == "enable_repo":
        return moderation_enable_repo(
            repo=_repo_by_id(actor, target), actor=actor, reason=reason
        )
    user = user_get_by_username(username=target.strip().lstrip("@"))
    if action == "ban_user":
        return moderation_ban_user(user=user, actor=actor, reason=reason, report=report)
    return moderation_unban_user(user=user, actor=actor, reason=reason)
