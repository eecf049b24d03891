"""Issue 13, hole 7: staff moderation sticks, through every face.

Anyone can create an organization and be its admin. The attacker here is
``mallory``: she created the org ``lab``, so she administers ``lab/model``,
and she is not staff. Staff hid a comment and a review on her repo, locked a
discussion and disabled the repo; ``whistleblower`` reported a comment. She
tries to undo each of it and to decide the report through the HF protocol,
``/api/v1`` and the web pages, and to learn who reported. Each attempt is
refused with a 403 naming the rule and changes nothing; staff can do all of
it. She may still add moderation (hide, lock) on her own repo.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from hub.accounts.actors import Actor
from hub.accounts.models import User
from hub.catalog.models import ModelRepo
from hub.community.models import Discussion, DiscussionEvent
from hub.community.services.comments import comment_create
from hub.community.services.discussions import discussion_create
from hub.moderation.models import ModerationAction, Report
from hub.moderation.services.commands import moderation_act
from hub.moderation.services.reports import report_create
from hub.reviews.models import Review
from hub.reviews.services import review_submit
from tests.api.v1.fixtures_resources import (  # noqa: F401 - fixtures
    client_for,
    no_throttle,
    token_for,
)
from tests.factories import commit_files, make_org, make_repo, make_user

pytestmark = pytest.mark.django_db

REPORTER = "whistleblower"
API = "/api/v1"


@dataclass
class Scene:
    mallory: User  # created the org: its admin, not staff
    staff: User
    repo: ModelRepo
    hidden_comment: DiscussionEvent
    hidden_review: Review
    locked: Discussion
    open_talk: Discussion
    fresh_comment: DiscussionEvent
    report: Report


@pytest.fixture
def scene() -> Scene:
    mallory = make_user("mallory")
    org = make_org("lab", creator=mallory)
    repo = make_repo(org, "model", creator=mallory)
    head = commit_files(repo, {"config.json": b"{}"})
    troll = make_user("troll")
    staff = make_user("mod", is_staff=True)
    talk = discussion_create(repo=repo, author=troll, title="Heated")
    hidden_comment = comment_create(discussion=talk, author=troll, content="abuse")
    review, _ = review_submit(repo=repo, author=troll, commit=head, rating=1)
    open_talk = discussion_create(repo=repo, author=troll, title="Other")
    fresh_comment = comment_create(discussion=open_talk, author=troll, content="meh")
    report = report_create(
        actor=Actor.of(make_user(REPORTER)),
        reason="abuse",
        text="please look",
        comment=fresh_comment,
    )
    as_staff = Actor.of(staff)
    for action, target in [
        ("hide_comment", str(hidden_comment.pk)),
        ("hide_review", str(review.pk)),
        ("lock_discussion", f"lab/model#{talk.num}"),
        ("disable_repo", "lab/model"),
    ]:
        moderation_act(actor=as_staff, action=action, target=target, reason="Staff")
    return Scene(
        mallory=mallory,
        staff=staff,
        repo=repo,
        hidden_comment=hidden_comment,
        hidden_review=review,
        locked=talk,
        open_talk=open_talk,
        fresh_comment=fresh_comment,
        report=report,
    )


def _message(answer) -> str:
    return answer.json()["error"]["message"]


def _assert_staff_moderation_stands(scene: Scene) -> None:
    scene.repo.refresh_from_db()
    assert scene.repo.disabled_at is not None
    assert DiscussionEvent.objects.get(pk=scene.hidden_comment.pk).is_hidden
    assert Review.objects.get(pk=scene.hidden_review.pk).is_hidden
    assert Discussion.objects.get(pk=scene.locked.pk).is_locked
    assert Report.objects.get(pk=scene.report.pk).status == "open"
    # Only staff's four actions are in the log.
    assert not ModerationAction.objects.exclude(actor=scene.staff).exists()


def _undo_actions(scene: Scene) -> list[tuple[str, str]]:
    return [
        ("enable_repo", "lab/model"),
        ("unhide_comment", str(scene.hidden_comment.pk)),
        ("unhide_review", str(scene.hidden_review.pk)),
        ("unlock_discussion", f"lab/model#{scene.locked.num}"),
    ]


# /api/v1 ---------------------------------------------------------------------


def test_org_admin_cannot_undo_staff_moderation_through_api_v1(scene):
    mallory = client_for(token_for(scene.mallory))

    answers = {
        action: mallory.post(
            f"{API}/moderation/actions",
            {"action": action, "target": target, "reason": "mine"},
            format="json",
        )
        for action, target in _undo_actions(scene)
    }
    unlock = mallory.post(
        f"{API}/models/lab/model/discussions/{scene.locked.num}/lock",
        {"value": False},
        format="json",
    )

    for action, answer in answers.items():
        assert answer.status_code == 403, action
        assert _message(answer).startswith("Only hub staff may"), action
    assert unlock.status_code == 403
    assert _message(unlock) == (
        "Hub staff locked this discussion: only staff may unlock it."
    )
    _assert_staff_moderation_stands(scene)


def test_org_admin_cannot_decide_reports_on_her_repo_through_api_v1(scene):
    mallory = client_for(token_for(scene.mallory))

    decided = {
        status: mallory.post(
            f"{API}/moderation/reports/{scene.report.pk}",
            {"status": status},
            format="json",
        )
        for status in ("resolved", "dismissed")
    }
    # Hiding is hers to do, but not resolving the report along with it.
    resolve_by_acting = mallory.post(
        f"{API}/moderation/actions",
        {
            "action": "hide_comment",
            "target": str(scene.fresh_comment.pk),
            "reason": "x",
            "report": scene.report.pk,
        },
        format="json",
    )

    for answer in (*decided.values(), resolve_by_acting):
        assert answer.status_code == 403
        assert "Only hub staff may" in _message(answer)
    assert not DiscussionEvent.objects.get(pk=scene.fresh_comment.pk).is_hidden
    _assert_staff_moderation_stands(scene)


def test_org_admin_still_adds_moderation_on_her_repo_through_api_v1(scene):
    mallory = client_for(token_for(scene.mallory))

    hidden = mallory.post(
        f"{API}/moderation/actions",
        {
            "action": "hide_comment",
            "target": str(scene.fresh_comment.pk),
            "reason": "x",
        },
        format="json",
    )
    locked = mallory.post(
        f"{API}/models/lab/model/discussions/{scene.open_talk.num}/lock",
        {"value": True},
        format="json",
    )
    unlocked_her_own = mallory.post(
        f"{API}/models/lab/model/discussions/{scene.open_talk.num}/lock",
        {"value": False},
        format="json",
    )
    # Hiding is final for her, even her own hide (only staff unhide).
    unhide_own = mallory.post(
        f"{API}/moderation/actions",
        {
            "action": "unhide_comment",
            "target": str(scene.fresh_comment.pk),
            "reason": "oops",
        },
        format="json",
    )

    assert hidden.status_code == 201
    assert locked.status_code == 200 and locked.json()["is_locked"] is True
    assert unlocked_her_own.status_code == 200
    assert unlocked_her_own.json()["is_locked"] is False
    assert unhide_own.status_code == 403
    assert DiscussionEvent.objects.get(pk=scene.fresh_comment.pk).is_hidden
    assert Report.objects.get(pk=scene.report.pk).status == "open"


def test_read_token_and_repo_limited_token_of_staff_never_moderate(scene):
    read = client_for(token_for(scene.staff, scope="read"))
    limited = client_for(token_for(scene.staff, repo_ids=["lab/model"]))

    answers = [
        client.post(
            f"{API}/moderation/actions",
            {"action": "enable_repo", "target": "lab/model", "reason": "x"},
            format="json",
        )
        for client in (read, limited)
    ]

    assert [a.status_code for a in answers] == [403, 403]
    assert "read-only" in _message(answers[0])
    assert "limited to some repositories" in _message(answers[1])
    _assert_staff_moderation_stands(scene)


def test_staff_undo_every_moderation_and_decide_reports_through_api_v1(scene):
    staff = client_for(token_for(scene.staff))

    answers = [
        staff.post(
            f"{API}/moderation/actions",
            {"action": action, "target": target, "reason": "Appeal granted"},
            format="json",
        )
        for action, target in _undo_actions(scene)
    ]
    decided = staff.post(
        f"{API}/moderation/reports/{scene.report.pk}",
        {"status": "dismissed", "note": "Fine"},
        format="json",
    )

    assert [a.status_code for a in answers] == [201, 201, 201, 201]
    assert [a.json()["action"] for a in answers] == [
        "enable_repo",
        "unhide_comment",
        "unhide_review",
        "unlock_discussion",
    ]
    assert decided.status_code == 200 and decided.json()["status"] == "dismissed"
    scene.repo.refresh_from_db()
    assert scene.repo.disabled_at is None
    assert not DiscussionEvent.objects.get(pk=scene.hidden_comment.pk).is_hidden
    assert not Review.objects.get(pk=scene.hidden_review.pk).is_hidden
    assert not Discussion.objects.get(pk=scene.locked.pk).is_locked


def test_staff_unlock_a_staff_lock_from_the_discussion_through_api_v1(scene):
    staff = client_for(token_for(scene.staff))

    unlocked = staff.post(
        f"{API}/models/lab/model/discussions/{scene.locked.num}/lock",
        {"value": False},
        format="json",
    )

    assert unlocked.status_code == 200 and unlocked.json()["is_locked"] is False


def test_reporter_is_shown_to_staff_only_through_api_v1(scene):
    mallory = client_for(token_for(scene.mallory))
    stranger = client_for(token_for(make_user("stranger")))
    staff = client_for(token_for(scene.staff))

    hers = mallory.get(f"{API}/moderation/reports")
    her_log = mallory.get(f"{API}/moderation/log")
    her_notifications = mallory.get(f"{API}/notifications")
    strangers = stranger.get(f"{API}/moderation/reports")
    staffs = staff.get(f"{API}/moderation/reports").json()["results"]

    assert hers.status_code == 200
    [row] = hers.json()["results"]
    assert row["id"] == scene.report.pk and row["reporter"] is None
    for answer in (hers, her_log, her_notifications, strangers):
        assert REPORTER not in answer.content.decode()
    assert strangers.status_code == 403
    assert [r["reporter"] for r in staffs] == [REPORTER]


def test_anonymous_caller_is_told_to_sign_in_through_api_v1(scene):
    anonymous = client_for()

    queue = anonymous.get(f"{API}/moderation/reports")
    act = anonymous.post(
        f"{API}/moderation/actions",
        {"action": "enable_repo", "target": "lab/model", "reason": "x"},
        format="json",
    )

    assert queue.status_code == act.status_code == 401
    _assert_staff_moderation_stands(scene)


# Web pages ----------------------------------------------------------------------


def test_org_admin_cannot_undo_staff_moderation_through_the_web(scene):
    mallory = Client()
    mallory.force_login(scene.mallory)

    answers = {
        action: mallory.post(
            "/moderation/act", {"action": action, "target": target, "reason": "mine"}
        )
        for action, target in _undo_actions(scene)
    }
    unlock = mallory.post(
        f"/lab/model/discussions/{scene.locked.num}/lock", {"value": "0"}
    )

    for action, answer in answers.items():
        assert answer.status_code == 403, action
        assert "Only hub staff may" in answer.content.decode(), action
    assert unlock.status_code == 403
    assert "only staff may unlock it" in unlock.content.decode()
    _assert_staff_moderation_stands(scene)


def test_org_admin_cannot_decide_reports_through_the_web(scene):
    mallory = Client()
    mallory.force_login(scene.mallory)

    dismissed = mallory.post(
        f"/moderation/reports/{scene.report.pk}/decide", {"status": "dismissed"}
    )
    by_acting = mallory.post(
        "/moderation/act",
        {
            "action": "hide_comment",
            "target": str(scene.fresh_comment.pk),
            "reason": "x",
            "report": str(scene.report.pk),
        },
    )

    assert dismissed.status_code == by_acting.status_code == 403
    assert "Only hub staff may decide reports" in dismissed.content.decode()
    _assert_staff_moderation_stands(scene)


def test_web_pages_offer_org_admin_no_undo_and_no_reporter(scene):
    mallory = Client()
    mallory.force_login(scene.mallory)
    stranger = Client()
    stranger.force_login(make_user("stranger"))

    queue = mallory.get("/moderation")
    log = mallory.get("/moderation/log")
    thread = mallory.get(f"/lab/model/discussions/{scene.locked.num}")
    reported_thread = mallory.get(f"/lab/model/discussions/{scene.open_talk.num}")
    notifications = mallory.get("/notifications")

    assert queue.status_code == 200
    html = queue.content.decode()
    assert "please look" in html  # the report itself is hers to read
    assert "/decide" not in html and 'name="report"' not in html
    assert "Locked by hub staff" in thread.content.decode()
    lock_form = f'action="/lab/model/discussions/{scene.locked.num}/lock"'
    assert lock_form not in thread.content.decode()
    for page in (queue, log, thread, reported_thread, notifications):
        assert REPORTER not in page.content.decode()
    assert stranger.get("/moderation").status_code == 403


def test_staff_see_reporter_and_decide_through_the_web(scene):
    staff = Client()
    staff.force_login(scene.staff)

    queue = staff.get("/moderation").content.decode()
    model_page = staff.get("/lab/model").content.decode()
    enabled = staff.post(
        "/moderation/act",
        {"action": "enable_repo", "target": "lab/model", "reason": "Appeal"},
    )
    decided = staff.post(
        f"/moderation/reports/{scene.report.pk}/decide", {"status": "dismissed"}
    )

    assert REPORTER in queue and f"/moderation/reports/{scene.report.pk}" in queue
    assert "Re-enable model" in model_page
    assert enabled.status_code == decided.status_code == 302
    scene.repo.refresh_from_db()
    assert scene.repo.disabled_at is None
    assert Report.objects.get(pk=scene.report.pk).status == "dismissed"


# HF protocol ------------------------------------------------------------------


def _hf(user: User, scope: str = "write") -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(user, scope=scope)}"}


def test_org_admin_cannot_undo_staff_moderation_through_hf(scene, client):
    auth = _hf(scene.mallory)
    base = "/api/models/lab/model"

    settings = client.put(
        f"{base}/settings",
        {"disabled": False, "private": False},
        content_type="application/json",
        **auth,
    )
    edit_hidden = client.post(
        f"{base}/discussions/{scene.locked.num}/comment/{scene.hidden_comment.pk}/edit",
        {"content": "back again"},
        content_type="application/json",
        **auth,
    )
    info = client.get(base, **auth).json()

    # The HF protocol has no undo: settings ignore ``disabled``, and a
    # hidden comment takes no edit. Nothing staff did moves.
    assert settings.json() == {"private": False, "gated": False}
    assert edit_hidden.status_code == 400
    assert info["disabled"] is True
    _assert_staff_moderation_stands(scene)


def test_org_admin_hides_through_hf_but_read_token_and_strangers_cannot(scene, client):
    url = (
        f"/api/models/lab/model/discussions/{scene.open_talk.num}/comment/"
        f"{scene.fresh_comment.pk}/hide"
    )
    stranger = make_user("stranger")

    anonymous = client.post(url)
    read_token = client.post(url, **_hf(scene.mallory, scope="read"))
    by_stranger = client.post(url, **_hf(stranger))
    unchanged = not DiscussionEvent.objects.get(pk=scene.fresh_comment.pk).is_hidden
    hidden = client.post(url, **_hf(scene.mallory))

    assert anonymous.status_code == 401
    assert read_token.status_code == 403
    assert "read-only" in read_token.headers["X-Error-Message"]
    assert by_stranger.status_code == 403
    assert unchanged
    assert hidden.status_code == 200
    assert hidden.json()["updatedComment"]["data"]["hidden"] is True
