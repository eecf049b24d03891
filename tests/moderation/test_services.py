"""Moderation: reports, who may act (staff, org admin, stranger), the audit
log, hidden content with its reason, disabled repos and bans."""

from __future__ import annotations

import pytest

from hub.accounts.actors import Actor
from hub.accounts.services import token_create
from hub.catalog.permissions import repo_has_access
from hub.community.services.comments import comment_create
from hub.community.services.discussions import discussion_create
from hub.core.errors import (
    AuthenticationError,
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)
from hub.moderation.models import ModerationAction, Report
from hub.moderation.selectors import (
    hidden_comment_reasons,
    moderation_log,
    report_list_for_moderator,
    user_ban_reason,
)
from hub.moderation.services.actions import (
    moderation_ban_user,
    moderation_disable_repo,
    moderation_hide_comment,
    moderation_hide_review,
)
from hub.moderation.services.commands import moderation_act
from hub.moderation.services.reports import report_create, report_decide
from hub.notifications.models import Notification
from hub.reviews.models import Review
from hub.reviews.services import review_submit
from tests.factories import commit_files, make_org, make_repo, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(owner):
    """An org repo (admin: owner) with a review and a comment by ``troll``,
    a user repo of ``other``, a staff moderator and a plain stranger."""
    org = make_org("lab", creator=owner)
    repo = make_repo(org, "model", creator=owner)
    head = commit_files(repo, {"config.json": b"{}"})
    troll = make_user("troll")
    review, _ = review_submit(repo=repo, author=troll, commit=head, rating=1)
    discussion = discussion_create(repo=repo, author=troll, title="Hi")
    comment = comment_create(discussion=discussion, author=troll, content="rude")
    other = make_user("other")
    other_repo = make_repo(other, "theirs")
    staff = make_user("mod", is_staff=True)
    return {
        "org": org,
        "repo": repo,
        "troll": troll,
        "review": review,
        "comment": comment,
        "discussion": discussion,
        "other_repo": other_repo,
        "staff": staff,
        "stranger": make_user("passerby"),
        "owner": owner,
    }


def test_anyone_signed_in_reports_once_per_open_target(world):
    stranger = world["stranger"]

    first = report_create(
        actor=Actor.of(stranger), reason="abuse", text="insults", review=world["review"]
    )
    again = report_create(
        actor=Actor.of(stranger), reason="spam", review=world["review"]
    )
    on_user = report_create(
        actor=Actor.of(stranger), reason="spam", target_user=world["troll"]
    )

    assert first.pk == again.pk
    assert first.repo == world["repo"]
    assert on_user.kind == "user"
    assert Report.objects.count() == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"reason": "nonsense"},
        {"reason": "spam", "text": "x" * 6000},
    ],
)
def test_bad_reports_are_refused(world, bad):
    with pytest.raises(ValidationError):
        report_create(actor=Actor.of(world["stranger"]), repo=world["repo"], **bad)
    assert not Report.objects.exists()


def test_report_needs_exactly_one_target_and_a_signed_in_reporter(world):
    with pytest.raises(ValidationError):
        report_create(
            actor=Actor.of(world["stranger"]),
            reason="spam",
            repo=world["repo"],
            review=world["review"],
        )
    with pytest.raises(AuthenticationError):
        report_create(actor=Actor.anonymous(), reason="spam", repo=world["repo"])
    with pytest.raises(ValidationError):
        report_create(
            actor=Actor.of(world["stranger"]),
            reason="spam",
            target_user=world["stranger"],
        )


def test_queue_staff_see_all_org_admins_their_org_strangers_nothing(world):
    reporter = world["stranger"]
    on_org = report_create(actor=Actor.of(reporter), reason="spam", repo=world["repo"])
    on_other = report_create(
        actor=Actor.of(reporter), reason="spam", repo=world["other_repo"]
    )
    on_user = report_create(
        actor=Actor.of(reporter), reason="spam", target_user=world["troll"]
    )

    staff = set(report_list_for_moderator(actor=Actor.of(world["staff"])))
    org_admin = set(report_list_for_moderator(actor=Actor.of(world["owner"])))

    assert staff == {on_org, on_other, on_user}
    assert org_admin == {on_org}
    with pytest.raises(PermissionDeniedError):
        report_list_for_moderator(actor=Actor.of(reporter))


def test_org_admin_hides_review_author_sees_why_report_stays_for_staff(world):
    report = report_create(
        actor=Actor.of(world["stranger"]), reason="abuse", review=world["review"]
    )
    with pytest.raises(PermissionDeniedError, match="Only hub staff may resolve"):
        moderation_hide_review(
            review=world["review"],
            actor=Actor.of(world["owner"]),
            reason="Personal attacks",
            report=report,
        )

    entry = moderation_hide_review(
        review=world["review"],
        actor=Actor.of(world["owner"]),
        reason="Personal attacks",
    )

    review = Review.objects.get(pk=world["review"].pk)
    assert review.is_hidden and review.hidden_reason == "Personal attacks"
    assert (entry.actor, entry.action, entry.reason) == (
        world["owner"],
        "hide_review",
        "Personal attacks",
    )
    assert entry.target_label.startswith(f"review {review.pk} by troll")
    assert entry.created_at is not None
    report.refresh_from_db()
    assert report.status == "open"  # staff decide it
    note = Notification.objects.get(recipient=world["troll"], kind="moderation")
    assert "Personal attacks" in note.text


def test_stranger_and_other_org_admins_cannot_moderate(world):
    outsider = make_user("outsider")
    make_org("elsewhere", creator=outsider)  # admin of another org

    for actor in (world["stranger"], outsider, world["troll"]):
        with pytest.raises(PermissionDeniedError):
            moderation_hide_review(
                review=world["review"], actor=Actor.of(actor), reason="x"
            )
        with pytest.raises(PermissionDeniedError):
            moderation_disable_repo(
                repo=world["repo"], actor=Actor.of(actor), reason="x"
            )
    assert not ModerationAction.objects.exists()
    assert not Review.objects.get(pk=world["review"].pk).is_hidden


def test_org_admin_cannot_moderate_a_user_repo_staff_can(world):
    with pytest.raises(PermissionDeniedError):
        moderation_disable_repo(
            repo=world["other_repo"], actor=Actor.of(world["owner"]), reason="x"
        )
    entry = moderation_disable_repo(
        repo=world["other_repo"], actor=Actor.of(world["staff"]), reason="Malware"
    )
    assert entry.repo == world["other_repo"]


def test_hidden_comment_keeps_its_reason_for_the_author(world):
    moderation_hide_comment(
        comment=world["comment"], actor=Actor.of(world["staff"]), reason="Off topic"
    )

    world["comment"].refresh_from_db()
    assert world["comment"].is_hidden
    assert hidden_comment_reasons(event_ids=[world["comment"].pk]) == {
        world["comment"].pk: "Off topic"
    }
    assert Notification.objects.filter(recipient=world["troll"]).exists()
    with pytest.raises(ConflictError):
        moderation_hide_comment(
            comment=world["comment"], actor=Actor.of(world["staff"]), reason="again"
        )


def test_reason_is_required(world):
    with pytest.raises(ValidationError):
        moderation_hide_review(
            review=world["review"], actor=Actor.of(world["staff"]), reason=" "
        )
    assert not ModerationAction.objects.exists()


def test_disabled_repo_serves_nothing_and_owner_is_told(world):
    moderation_disable_repo(
        repo=world["repo"], actor=Actor.of(world["staff"]), reason="DMCA"
    )

    world["repo"].refresh_from_db()
    assert world["repo"].disabled_reason == "DMCA"
    assert not repo_has_access(user=world["owner"], repo=world["repo"])
    assert Notification.objects.filter(
        recipient=world["owner"], kind="moderation"
    ).exists()
    with pytest.raises(ConflictError):
        moderation_disable_repo(
            repo=world["repo"], actor=Actor.of(world["staff"]), reason="x"
        )


def test_ban_is_staff_only_and_stops_tokens(world):
    from hub.accounts.services import token_authenticate

    _, secret = token_create(user=world["troll"], name="t", scope="write")
    with pytest.raises(PermissionDeniedError):
        moderation_ban_user(
            user=world["troll"], actor=Actor.of(world["owner"]), reason="x"
        )

    moderation_ban_user(
        user=world["troll"], actor=Actor.of(world["staff"]), reason="Spammer"
    )

    world["troll"].refresh_from_db()
    assert not world["troll"].is_active
    assert user_ban_reason(user=world["troll"]) == "Spammer"
    with pytest.raises(AuthenticationError):
        token_authenticate(secret=secret)


def test_banned_user_session_is_signed_out(world, client):
    client.force_login(world["troll"])
    assert client.get("/settings/tokens").status_code == 200

    moderation_ban_user(
        user=world["troll"], actor=Actor.of(world["staff"]), reason="Spammer"
    )

    assert client.get("/settings/tokens").status_code == 302  # to the login page


def test_report_decisions_are_staff_only_logged_and_final(world):
    report = report_create(
        actor=Actor.of(world["stranger"]), reason="spam", repo=world["repo"]
    )
    for outsider in (world["stranger"], world["owner"]):  # owner: the org's admin
        with pytest.raises(PermissionDeniedError, match="Only hub staff"):
            report_decide(
                actor=Actor.of(outsider), report_id=report.pk, status="dismissed"
            )
    report.refresh_from_db()
    assert report.status == "open"

    report_decide(
        actor=Actor.of(world["staff"]),
        report_id=report.pk,
        status="dismissed",
        note="Not spam",
    )
    with pytest.raises(ConflictError):
        report_decide(
            actor=Actor.of(world["staff"]), report_id=report.pk, status="resolved"
        )

    [entry] = ModerationAction.objects.all()
    assert (entry.action, entry.reason, entry.report) == (
        "dismiss_report",
        "Not spam",
        report,
    )


def test_log_is_scoped_like_the_queue(world):
    moderation_hide_review(
        review=world["review"], actor=Actor.of(world["owner"]), reason="a"
    )
    moderation_disable_repo(
        repo=world["other_repo"], actor=Actor.of(world["staff"]), reason="b"
    )

    assert moderation_log(actor=Actor.of(world["staff"])).count() == 2
    assert [e.reason for e in moderation_log(actor=Actor.of(world["owner"]))] == ["a"]
    with pytest.raises(PermissionDeniedError):
        moderation_log(actor=Actor.of(world["stranger"]))


def test_act_names_targets_like_the_interfaces(world):
    entry = moderation_act(
        actor=Actor.of(world["staff"]),
        action="disable_repo",
        target="lab/model",
        reason="x",
    )
    assert entry.action == "disable_repo"
    with pytest.raises(ValidationError):
        moderation_act(
            actor=Actor.of(world["staff"]),
            action="hide_review",
            target="abc",
            reason="x",
        )
    with pytest.raises(ValidationError):
        moderation_act(
            actor=Actor.of(world["staff"]), action="explode", target="x", reason="x"
        )


def test_an_action_resolves_only_a_report_about_its_target(world):
    about_comment = report_create(
        actor=Actor.of(world["stranger"]), reason="abuse", comment=world["comment"]
    )
    with pytest.raises(ValidationError):
        moderation_act(
            actor=Actor.of(world["staff"]),
            action="hide_review",
            target=str(world["review"].pk),
            reason="x",
            report_id=about_comment.pk,
        )
    with pytest.raises(ValidationError):
        moderation_act(
            actor=Actor.of(world["staff"]),
            action="enable_repo",
            target="lab/model",
            reason="x",
            report_id=about_comment.pk,
        )
    about_comment.refresh_from_db()
    assert about_comment.status == "open"
    assert not Review.objects.get(pk=world["review"].pk).is_hidden
    assert not ModerationAction.objects.exists()
    # Banning the comment's author may resolve the report on their comment.
    moderation_act(
        actor=Actor.of(world["staff"]),
        action="ban_user",
        target="troll",
        reason="x",
        report_id=about_comment.pk,
    )
    about_comment.refresh_from_db()
    assert about_comment.status == "resolved"


def test_org_admin_locks_a_discussion_with_a_logged_reason(world):
    entry = moderation_act(
        actor=Actor.of(world["owner"]),
        action="lock_discussion",
        target=f"lab/model#{world['discussion'].num}",
        reason="Heated thread",
    )

    world["discussion"].refresh_from_db()
    assert world["discussion"].is_locked
    assert (entry.action, entry.discussion) == ("lock_discussion", world["discussion"])
    with pytest.raises(PermissionDeniedError):
        moderation_act(
            actor=Actor.of(world["stranger"]),
            action="lock_discussion",
            target=f"lab/model#{world['discussion'].num}",
            reason="x",
        )
