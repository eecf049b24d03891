"""/api/v1: reviews and ratings, gated access, moderation, license lineage."""

from __future__ import annotations

import pytest

from hub.accounts.actors import Actor
from hub.catalog.services.repos import repo_update_settings
from hub.community.services.comments import comment_create
from hub.community.services.discussions import discussion_create
from hub.licenses.models import LicenseAcceptance
from hub.moderation.models import ModerationAction, Report
from hub.reviews.models import Review
from hub.reviews.services import download_record, review_submit
from tests.api.v1.fixtures_resources import (  # noqa: F401 - fixtures
    PRIVATE_NAME,
    client_for,
    lab_fixture,
    no_throttle,
    token_for,
)
from tests.factories import commit_files, make_repo, make_user

REPO = "/api/v1/models/lab/open-model"


# Reviews ------------------------------------------------------------------------


def test_review_create_edit_and_rating_in_detail(lab):
    client = client_for(token_for(lab.stranger))

    created = client.post(
        f"{REPO}/reviews",
        {
            "rating": 4,
            "text": "Solid",
            "evidence": {"hardware": "A100", "reproduced_eval": True},
        },
        format="json",
    )
    edited = client.post(f"{REPO}/reviews", {"rating": 2}, format="json")
    detail = client_for().get(REPO).json()

    assert created.status_code == 201
    body = created.json()
    assert body["rating"] == 4 and body["author"] == "stranger"
    assert body["revision"] == lab.public_head.oid
    assert body["evidence"]["hardware"] == "A100"
    assert body["evidence"]["reproduced_eval"] is True
    assert body["is_verified_download"] is False
    assert edited.status_code == 200 and edited.json()["id"] == body["id"]
    assert detail["rating"] == {
        "average": 2.0,
        "count": 1,
        "distribution": {
            "stars_1": 0,
            "stars_2": 1,
            "stars_3": 0,
            "stars_4": 0,
            "stars_5": 0,
        },
    }
    assert (detail["rating_avg"], detail["rating_count"]) == (2.0, 1)
    history = client.get(f"{REPO}/reviews/{body['id']}/history").json()
    assert [h["rating"] for h in history] == [4]


@pytest.mark.parametrize(
    "payload",
    [
        {"rating": 0},
        {"rating": 6},
        {"text": "no rating"},
        {"rating": 3, "revision": "x"},
    ],
)
def test_bad_reviews_are_refused_and_change_nothing(lab, payload):
    response = client_for(token_for(lab.stranger)).post(
        f"{REPO}/reviews", payload, format="json"
    )

    assert response.status_code in (400, 404)
    assert "error" in response.json()
    assert not Review.objects.exists()


def test_reviews_need_a_write_token_and_a_visible_repo(lab):
    read = client_for(token_for(lab.stranger, "read")).post(
        f"{REPO}/reviews", {"rating": 3}, format="json"
    )
    anonymous = client_for().post(f"{REPO}/reviews", {"rating": 3}, format="json")
    private = client_for(token_for(lab.stranger)).post(
        f"/api/v1/models/lab/{PRIVATE_NAME}/reviews", {"rating": 3}, format="json"
    )

    assert read.status_code == 403
    assert anonymous.status_code == 401
    assert private.status_code == 404
    assert not Review.objects.exists()


def test_review_list_marks_verified_downloads_with_bounded_queries(
    lab, django_assert_max_num_queries
):
    for n in range(5):
        user = make_user(f"rev{n}")
        if n % 2 == 0:
            download_record(user=user, repo=lab.public, commit=lab.public_head)
        review_submit(
            repo=lab.public, author=user, commit=lab.public_head, rating=n + 1
        )

    with django_assert_max_num_queries(4):
        response = client_for().get(f"{REPO}/reviews")

    results = response.json()["results"]
    assert len(results) == 5
    verified = {r["author"]: r["is_verified_download"] for r in results}
    assert verified == {f"rev{n}": n % 2 == 0 for n in range(5)}


def test_helpful_votes_and_reply_through_the_api(lab):
    review, _ = review_submit(
        repo=lab.public, author=lab.stranger, commit=lab.public_head, rating=3
    )
    url = f"{REPO}/reviews/{review.pk}"
    voter = client_for(token_for(make_user("voter")))

    first = voter.post(f"{url}/helpful")
    second = voter.post(f"{url}/helpful")
    own = client_for(token_for(lab.stranger)).post(f"{url}/helpful")
    undone = voter.delete(f"{url}/helpful")
    reply = client_for(token_for(lab.owner)).post(
        f"{url}/reply", {"text": "Thanks"}, format="json"
    )
    again = client_for(token_for(lab.owner)).post(
        f"{url}/reply", {"text": "Again"}, format="json"
    )
    stranger_reply = client_for(token_for(make_user("nobody"))).post(
        f"{url}/reply", {"text": "Hi"}, format="json"
    )

    assert first.json() == {"helpful_count": 1, "voted": True}
    assert second.json() == {"helpful_count": 1, "voted": True}
    assert own.status_code == 403
    assert undone.json() == {"helpful_count": 0, "voted": False}
    assert reply.status_code == 201 and reply.json()["author"] == "owner"
    assert again.status_code == 409
    assert stranger_reply.status_code == 403
    assert client_for().get(url).json()["reply"]["text"] == "Thanks"


def test_models_sort_by_rating_and_filter_by_minimum(lab):
    for name, rating in [("low", 1), ("top", 5)]:
        repo = make_repo(lab.owner, name)
        head = commit_files(repo, {"a.txt": b"a"})
        review_submit(repo=repo, author=lab.stranger, commit=head, rating=rating)

    page = client_for().get("/api/v1/models?sort=rating&limit=1").json()
    second = client_for().get(page["next"]).json()
    filtered = client_for().get("/api/v1/models?min_rating=3").json()
    bad = client_for().get("/api/v1/models?min_rating=7")

    assert [r["id"] for r in page["results"]] == ["owner/top"]
    assert [r["id"] for r in second["results"]] == ["owner/low"]
    assert [r["id"] for r in filtered["results"]] == ["owner/top"]
    assert bad.status_code == 400


# Gated access -------------------------------------------------------------------


def test_gated_access_auto_and_manual_through_the_api(lab):
    repo_update_settings(repo=lab.public, gated="manual")
    stranger = client_for(token_for(lab.stranger))
    owner = client_for(token_for(lab.owner))

    before = stranger.get(f"{REPO}/access").json()
    unticked = stranger.post(f"{REPO}/access", {"accept_license": False}, format="json")
    asked = stranger.post(
        f"{REPO}/access",
        {"accept_license": True, "answers": {"use": "research"}},
        format="json",
    )
    listed = owner.get(f"{REPO}/access-requests?status=pending")
    forbidden = stranger.get(f"{REPO}/access-requests")
    decided = owner.post(
        f"{REPO}/access-requests/stranger", {"status": "accepted"}, format="json"
    )
    bad = owner.post(
        f"{REPO}/access-requests/stranger", {"status": "maybe"}, format="json"
    )
    after = stranger.get(f"{REPO}/access").json()

    assert before == {
        "gated": "manual",
        "has_access": False,
        "request": None,
        "license": "apache-2.0",
    }
    assert unticked.status_code == 400
    assert asked.json()["request"]["status"] == "pending"
    assert [r["user"] for r in listed.json()["results"]] == ["stranger"]
    assert listed.json()["results"][0]["fields"] == {"use": "research"}
    assert forbidden.status_code == 403
    assert decided.json()["status"] == "accepted"
    assert bad.status_code == 400
    assert after["has_access"] is True
    assert LicenseAcceptance.objects.get().decided_by == lab.owner


def test_access_request_list_query_count(lab, django_assert_max_num_queries):
    repo_update_settings(repo=lab.public, gated="manual")
    from hub.access.services import license_accept

    for n in range(5):
        license_accept(repo=lab.public, user=make_user(f"asker{n}"))
    owner = client_for(token_for(lab.owner))
    owner.get(f"{REPO}/access-requests")  # the token's first use from here

    with django_assert_max_num_queries(8):
        response = owner.get(f"{REPO}/access-requests")

    assert len(response.json()["results"]) == 5


# Lineage --------------------------------------------------------------------------


def test_detail_has_license_lineage(lab):
    child = make_repo(lab.owner, "child")
    commit_files(
        child,
        {
            "README.md": b"---\nlicense: cc-by-sa-4.0\n"
            b"base_model: lab/open-model\n---\n# Child\n"
        },
    )

    data = client_for().get("/api/v1/models/owner/child").json()
    base = client_for().get(REPO).json()

    [entry] = data["license_lineage"]["bases"]
    assert entry["repo_id"] == "lab/open-model"
    assert entry["status"] == "ok"  # apache-2.0 allows a share-alike derivative
    assert base["license_lineage"] == {"bases": [], "derivative_conflicts": []}


# Moderation ------------------------------------------------------------------------


def test_report_then_staff_hides_via_api_with_audit_log(lab):
    review, _ = review_submit(
        repo=lab.public, author=lab.stranger, commit=lab.public_head, rating=1
    )
    reporter = client_for(token_for(make_user("reporter")))
    staff = client_for(token_for(make_user("mod", is_staff=True)))

    report = reporter.post(
        "/api/v1/reports",
        {"kind": "review", "target": str(review.pk), "reason": "abuse", "text": "!"},
        format="json",
    )
    unknown = reporter.post(
        "/api/v1/reports",
        {"kind": "planet", "target": "x", "reason": "abuse"},
        format="json",
    )
    queue_denied = reporter.get("/api/v1/moderation/reports")
    queue = staff.get("/api/v1/moderation/reports").json()
    acted = staff.post(
        "/api/v1/moderation/actions",
        {
            "action": "hide_review",
            "target": str(review.pk),
            "reason": "Abusive",
            "report": report.json()["id"],
        },
        format="json",
    )
    log = staff.get("/api/v1/moderation/log").json()
    own = client_for(token_for(lab.stranger)).get(f"{REPO}/reviews/{review.pk}")
    public = client_for().get(f"{REPO}/reviews/{review.pk}")

    assert report.status_code == 201 and report.json()["kind"] == "review"
    assert unknown.status_code == 400
    assert queue_denied.status_code == 403
    assert [r["id"] for r in queue["results"]] == [report.json()["id"]]
    assert acted.status_code == 201
    assert acted.json()["action"] == "hide_review"
    assert acted.json()["reason"] == "Abusive"
    assert [e["action"] for e in log["results"]] == ["hide_review"]
    assert own.json()["is_hidden"] is True and own.json()["hidden_reason"] == "Abusive"
    assert public.status_code == 404
    assert Report.objects.get().status == "resolved"


def test_org_admin_moderates_their_org_only(lab):
    discussion = discussion_create(repo=lab.public, author=lab.stranger, title="t")
    comment = comment_create(discussion=discussion, author=lab.stranger, content="x")
    other = make_repo(make_user("someone"), "theirs")
    owner = client_for(token_for(lab.owner))

    hidden = owner.post(
        "/api/v1/moderation/actions",
        {"action": "hide_comment", "target": str(comment.pk), "reason": "Spam"},
        format="json",
    )
    elsewhere = owner.post(
        "/api/v1/moderation/actions",
        {"action": "disable_repo", "target": other.full_name, "reason": "x"},
        format="json",
    )
    ban = owner.post(
        "/api/v1/moderation/actions",
        {"action": "ban_user", "target": "stranger", "reason": "x"},
        format="json",
    )
    reader = client_for(token_for(lab.reader)).post(
        "/api/v1/moderation/actions",
        {"action": "hide_comment", "target": str(comment.pk), "reason": "x"},
        format="json",
    )

    assert hidden.status_code == 201
    assert elsewhere.status_code == 403
    assert ban.status_code == 403
    assert reader.status_code == 403
    assert ModerationAction.objects.count() == 1


def test_disabled_repo_answers_403_with_the_reason(lab):
    staff = client_for(token_for(make_user("mod", is_staff=True)))
    staff.post(
        "/api/v1/moderation/actions",
        {"action": "disable_repo", "target": "lab/open-model", "reason": "DMCA"},
        format="json",
    )

    response = client_for(token_for(lab.reader)).get(REPO)
    moderator = client_for(token_for(lab.owner)).get(REPO)  # the org's admin

    assert moderator.status_code == 200
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "repo_disabled",
        "message": "Access to this resource is disabled.",
        "details": {"reason": "DMCA"},
    }


def test_disabled_repo_leaves_lists_but_not_for_its_members_and_staff(lab):
    staff_user = make_user("mod", is_staff=True)
    staff = client_for(token_for(staff_user))
    staff.post(
        "/api/v1/moderation/actions",
        {"action": "disable_repo", "target": "lab/open-model", "reason": "DMCA"},
        format="json",
    )

    def listed(client) -> bool:
        ids = [m["id"] for m in client.get("/api/v1/models").json()["results"]]
        return "lab/open-model" in ids

    assert not listed(client_for())
    assert not listed(client_for(token_for(lab.stranger)))
    assert listed(client_for(token_for(lab.reader)))  # a member of lab
    assert listed(staff)
    # Its page still answers, with the reason (not a 404).
    assert client_for().get(REPO).status_code == 403


def test_banned_user_token_is_refused(lab):
    secret = token_for(lab.stranger)
    staff = client_for(token_for(make_user("mod", is_staff=True)))
    staff.post(
        "/api/v1/moderation/actions",
        {"action": "ban_user", "target": "stranger", "reason": "Spam bot"},
        format="json",
    )

    assert client_for(secret).get("/api/v1/tokens").status_code == 401


def test_moderation_queue_query_count(lab, django_assert_max_num_queries):
    from hub.moderation.services.reports import report_create

    review, _ = review_submit(
        repo=lab.public, author=lab.stranger, commit=lab.public_head, rating=1
    )
    for n in range(5):
        report_create(actor=Actor.of(make_user(f"r{n}")), reason="spam", review=review)
    staff = client_for(token_for(make_user("mod", is_staff=True)))

    with django_assert_max_num_queries(6):
        response = staff.get("/api/v1/moderation/reports")

    assert len(response.json()["results"]) == 5
