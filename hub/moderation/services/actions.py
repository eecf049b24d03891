"""Moderation actions as data: each is one ``Act`` (what it does to its
target, the audit log entry, who is notified), all run by ``act_run``.

The skeleton is the same for every action: the report it answers must be
about its target, the actor must be allowed (staff for the hub-wide actions
and for every undo; staff or the repo's admins to add a hide or a lock),
the reason is cleaned, the target changed, one ``ModerationAction`` logged,
the report resolved and the people concerned notified.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from hub.accounts.actors import Actor
from hub.accounts.models import User
from hub.catalog.models import ModelRepo
from hub.catalog.permissions import repo_admin_users
from hub.community.models import DiscussionEvent
from hub.moderation.models import ModerationAction, Report
from hub.moderation.permissions import require_repo_moderator, require_staff
from hub.moderation.services.audit import (
    audit_log_write,
    reason_clean,
    report_close,
    report_require_about,
    report_require_may_resolve,
)
from hub.moderation.services.targets import (
    Notice,
    ban_user,
    comment_notice,
    comment_record,
    disable_repo,
    discussion_record,
    enable_repo,
    hide_comment,
    hide_review,
    lock_discussion,
    repo_record,
    review_record,
    review_url,
    unban_user,
    unhide_comment,
    unhide_review,
    unlock_discussion,
    user_record,
)
from hub.notifications.services import notifications_fan_out
from hub.reviews.models import Review

A = ModerationAction.Action


@dataclass(frozen=True)
class Act:
    """One moderation action.

    ``about``: the kind of target (the keyword of ``report_require_about``);
    ``what``: the action in the permission message ("hide reviews");
    ``staff_only``: else staff or the target repo's admins may take it;
    ``resolves_reports``: whether a report can be answered by it;
    ``apply(target, actor, reason)``: checks the target's state and changes
    it, returning the target as changed; ``record(target)``: the log entry's
    target columns; ``notice(target, reason)``: who is told what, if anyone.
    """

    action: str
    about: str
    what: str
    staff_only: bool
    resolves_reports: bool
    apply: Callable[[Any, User, str], Any]
    record: Callable[[Any], dict[str, Any]]
    notice: Callable[[Any, str], Notice | None] = lambda target, reason: None


def _target_repo(about: str, target: Any) -> ModelRepo:
    if about == "review":
        return target.repo
    if about == "comment":
        return target.discussion.repo
    assert about == "discussion"
    return target.repo


@transaction.atomic
def act_run(
    act: Act, *, target: Any, actor: Actor, reason: str, report: Report | None = None
) -> ModerationAction:
    """Take ``act`` on ``target``: check, change, log, resolve, notify."""
    report_require_about(report, **{act.about: target})
    if act.staff_only:
        require_staff(actor=actor, what=act.what)
    else:
        repo = _target_repo(act.about, target)
        require_repo_moderator(actor=actor, repo=repo, what=act.what)
    report_require_may_resolve(actor, report)
    reason = reason_clean(reason)
    target = act.apply(target, actor.user, reason)
    entry = audit_log_write(
        actor=actor.user,
        action=act.action,
        reason=reason,
        report=report,
        **act.record(target),
    )
    report_close(report, actor=actor.user, status=Report.Status.RESOLVED, note=reason)
    notice = act.notice(target, reason)
    if notice is not None:
        notifications_fan_out(
            recipients=[r for r in notice.recipients if r is not None],
            kind="moderation",
            actor=actor.user,
            repo=notice.repo,
            text=notice.text,
            url=notice.url,
        )
    return entry


# The table ----------------------------------------------------------------------

ACTS: dict[str, Act] = {
    str(act.action): act
    for act in (
        Act(
            action=A.HIDE_REVIEW,
            about="review",
            what="hide reviews",
            staff_only=False,
            resolves_reports=True,
            apply=hide_review,
            record=review_record,
            notice=lambda review, reason: Notice(
                [review.author],
                review.repo,
                f"A moderator hid your review of {review.repo.full_name}: {reason}",
                review_url(review),
            ),
        ),
        Act(
            action=A.HIDE_COMMENT,
            about="comment",
            what="hide comments",
            staff_only=False,
            resolves_reports=True,
            apply=hide_comment,
            record=comment_record,
            notice=lambda event, reason: comment_notice(
                event,
                "A moderator hid your comment on",
                f": {reason}",
            ),
        ),
        Act(
            action=A.LOCK_DISCUSSION,
            about="discussion",
            what="lock discussions",
            staff_only=False,
            resolves_reports=True,
            apply=lock_discussion,
            record=discussion_record,
        ),
        Act(
            action=A.UNHIDE_REVIEW,
            about="review",
            what="unhide reviews",
            staff_only=True,
            resolves_reports=False,
            apply=unhide_review,
            record=review_record,
            notice=lambda review, reason: Notice(
                [review.author],
                review.repo,
                f"A moderator restored your review of {review.repo.full_name}.",
                review_url(review),
            ),
        ),
        Act(
            action=A.UNHIDE_COMMENT,
            about="comment",
            what="unhide comments",
            staff_only=True,
            resolves_reports=False,
            apply=unhide_comment,
            record=comment_record,
            notice=lambda event, reason: comment_notice(
                event,
                "A moderator restored your comment on",
                ".",
            ),
        ),
        Act(
            action=A.UNLOCK_DISCUSSION,
            about="discussion",
            what="unlock discussions from the queue",
            staff_only=True,
            resolves_reports=False,
            apply=unlock_discussion,
            record=discussion_record,
        ),
        Act(
            action=A.DISABLE_REPO,
            about="repo",
            what="disable models",
            staff_only=True,
            resolves_reports=True,
            apply=disable_repo,
            record=repo_record,
            notice=lambda repo, reason: Notice(
                list(repo_admin_users(repo=repo)),
                repo,
                f"A moderator disabled {repo.full_name}: {reason}",
                f"/{repo.typed_id}",
            ),
        ),
        Act(
            action=A.ENABLE_REPO,
            about="repo",
            what="re-enable a disabled model",
            staff_only=True,
            resolves_reports=False,
            apply=enable_repo,
            record=repo_record,
        ),
        Act(
            action=A.BAN_USER,
            about="user",
            what="ban users",
            staff_only=True,
            resolves_reports=True,
            apply=ban_user,
            record=user_record,
        ),
        Act(
            action=A.UNBAN_USER,
            about="user",
            what="lift bans",
            staff_only=True,
            resolves_reports=False,
            apply=unban_user,
            record=user_record,
        ),
    )
}
ACTIONS = tuple(ACTS)


def moderation_hide_review(
    *, review: Review, actor: Actor, reason: str, report: Report | None = None
) -> ModerationAction:
    """Hide a review; its author sees why and is notified. Logged. Staff or
    the repo's admins; resolving ``report`` is staff's."""
    act = ACTS[A.HIDE_REVIEW]
    return act_run(act, target=review, actor=actor, reason=reason, report=report)


def moderation_hide_comment(
    *,
    comment: DiscussionEvent,
    actor: Actor,
    reason: str,
    report: Report | None = None,
) -> ModerationAction:
    """Hide a discussion comment; its author is notified with the reason.
    Logged. Staff or the repo's admins; resolving ``report`` is staff's."""
    act = ACTS[A.HIDE_COMMENT]
    return act_run(act, target=comment, actor=actor, reason=reason, report=report)


def moderation_disable_repo(
    *, repo: ModelRepo, actor: Actor, reason: str, report: Report | None = None
) -> ModerationAction:
    """Disable a repo (staff only): its pages show the reason, no file is
    served. Logged; the repo's admins are notified."""
    act = ACTS[A.DISABLE_REPO]
    return act_run(act, target=repo, actor=actor, reason=reason, report=report)


def moderation_ban_user(
    *, user: User, actor: Actor, reason: str, report: Report | None = None
) -> ModerationAction:
    """Ban a user (staff only): the account is deactivated, so neither its
    tokens nor its sessions authenticate any more. Logged."""
    act = ACTS[A.BAN_USER]
    return act_run(act, target=user, actor=actor, reason=reason, report=report)
