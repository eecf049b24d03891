"""``/api/v1/audit``: who may read which events, searching, the export, and
the log's other side: nobody changes it and no filter makes it fail."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from hub.accounts.memberships import membership_set
from hub.accounts.models import Organization
from hub.accounts.services import token_create, token_revoke
from hub.audit.models import AuditEvent
from hub.audit.services import audit_record
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(db):
    """Staff, two organisations with their admins, and events of each."""
    staff = make_user("mod")
    staff.is_staff = True
    staff.save()
    alice = make_user("alice")  # admin of lab-a
    bob = make_user("bob")  # admin of lab-b
    member = make_user("member")  # writer in lab-a, admin of nothing
    stranger = make_user("stranger")
    make_org("lab-a", creator=alice)
    make_org("lab-b", creator=bob)
    membership_set(
        organization=Organization.objects.get(name="lab-a"),
        user=member,
        role="write",
        by=alice,
    )
    audit_record("repo.delete", actor=alice, organization="lab-a", repo="lab-a/m1")
    audit_record("repo.delete", actor=bob, organization="lab-b", repo="lab-b/m2")
    audit_record("auth.sign_in", actor=stranger, target="stranger")
    return {
        "staff": staff,
        "alice": alice,
        "bob": bob,
        "member": member,
        "stranger": stranger,
    }


def session(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def bearer(user, **kwargs) -> APIClient:
    _token, secret = token_create(user=user, name="t", **kwargs)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def repos(response) -> list[str]:
    return [e["repo"] for e in response.json()["results"] if e["repo"]]


# Who reads what -------------------------------------------------------------------


def test_anonymous_is_401_and_a_stranger_or_plain_member_403(log):
    assert APIClient().get("/api/v1/audit").status_code == 401
    assert APIClient().get("/api/v1/audit/export").status_code == 401
    assert session(log["stranger"]).get("/api/v1/audit").status_code == 403
    assert session(log["member"]).get("/api/v1/audit").status_code == 403
    assert (
        session(log["member"]).get("/api/v1/organizations/lab-a/audit").status_code
        == 403
    )


def test_staff_read_every_event_newest_first(log):
    response = session(log["staff"]).get("/api/v1/audit")
    assert response.status_code == 200
    rows = response.json()["results"]
    # The newest: staff's own sign-in (force_login), then the fixture's.
    assert [(e["action"], e["actor"]) for e in rows[:4]] == [
        ("auth.sign_in", "mod"),
        ("auth.sign_in", "stranger"),
        ("repo.delete", "bob"),
        ("repo.delete", "alice"),
    ]
    assert len(rows) == AuditEvent.objects.count()


def test_an_org_admin_reads_only_the_orgs_they_administer(log):
    alice = session(log["alice"])
    all_of_hers = alice.get("/api/v1/audit")
    assert all_of_hers.status_code == 200
    assert {e["organization"] for e in all_of_hers.json()["results"]} == {"lab-a"}
    assert repos(alice.get("/api/v1/organizations/lab-a/audit")) == ["lab-a/m1"]


def test_an_org_admin_cannot_read_another_orgs_events_by_any_route(log):
    alice = session(log["alice"])
    assert alice.get("/api/v1/organizations/lab-b/audit").status_code == 403
    assert alice.get("/api/v1/organizations/lab-b/audit/export").status_code == 403
    # Filtering her own view by the other organisation finds nothing of it.
    response = alice.get("/api/v1/audit", {"organization": "lab-b"})
    assert response.status_code == 200 and response.json()["results"] == []
    export = alice.get("/api/v1/audit/export", {"q": "lab-b"})
    assert b"lab-b" not in b"".join(export.streaming_content)  # type: ignore[attr-defined]


def test_an_unknown_org_is_404_for_readers_and_401_for_anonymous(log):
    assert (
        session(log["alice"]).get("/api/v1/organizations/nope/audit").status_code == 404
    )
    assert APIClient().get("/api/v1/organizations/nope/audit").status_code == 401


def test_a_read_token_reads_what_its_user_may(log):
    response = bearer(log["alice"], scope="read").get("/api/v1/audit")
    assert response.status_code == 200
    assert repos(response) == ["lab-a/m1"]
    assert bearer(log["stranger"], scope="read").get("/api/v1/audit").status_code == 403


def test_a_repo_limited_token_reads_no_log_even_for_staff(log):
    limited = bearer(log["staff"], scope="write", repo_ids=["lab-a/m1"])
    response = limited.get("/api/v1/audit")
    assert response.status_code == 403
    assert "limited to some repositories" in response.json()["error"]["message"]
    assert limited.get("/api/v1/organizations/lab-a/audit").status_code == 403
    assert limited.get("/api/v1/audit/export").status_code == 403


def test_a_revoked_token_is_401(log):
    token, secret = token_create(user=log["staff"], name="old")
    token_revoke(token=token)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/audit").status_code == 401


def test_a_banned_staff_member_reads_nothing(log):
    log["staff"].is_active = False
    log["staff"].save()
    client = APIClient()
    client.force_login(log["staff"])
    assert client.get("/api/v1/audit").status_code in (401, 403)


# Searching ----------------------------------------------------------------------


def test_filters_narrow_the_events(log):
    staff = session(log["staff"])

    def found(**params) -> list[str]:
        response = staff.get("/api/v1/audit", params)
        assert response.status_code == 200, response.content
        return [
            f"{e['action']}:{e['repo'] or e['target']}"
            for e in response.json()["results"]
        ]

    assert found(q="m2") == ["repo.delete:lab-b/m2"]
    assert found(actor="ALICE", action="repo.delete") == ["repo.delete:lab-a/m1"]
    assert found(action="auth", q="str") == ["auth.sign_in:stranger"]
    assert found(organization="lab-b") == ["repo.delete:lab-b/m2", "org.create:lab-b"]
    assert found(repo="lab-a/m1") == ["repo.delete:lab-a/m1"]
    assert found(since="2999-01-01") == []
    assert len(found(until="2999-01-01")) == AuditEvent.objects.count()
    assert found(until="2000-01-01") == []


def test_pages_follow_the_cursor_without_repeats(log):
    for n in range(25):
        audit_record("auth.sign_in_failed", target=f"guess{n}")
    staff = session(log["staff"])
    first = staff.get("/api/v1/audit", {"limit": "10", "action": "auth.sign_in_failed"})
    second = APIClient()
    second.force_login(log["staff"])
    page2 = second.get(first.json()["next"])
    names = [e["target"] for e in first.json()["results"] + page2.json()["results"]]
    assert names == [f"guess{n}" for n in range(24, 4, -1)]


@pytest.mark.parametrize(
    "params",
    [
        {"since": "yesterday"},
        {"until": "2026-13-45"},
        {"since": "99999-01-01"},
        {"until": "9999-12-31"},  # its next day is past the calendar
        {"since": "2026-12-07", "until": "2026-12-01"},
        {"action": "repo.frobnicate"},
        {"q": "x" * 500},
        {"q": "a\x00b"},
        {"actor": "\x00"},
    ],
)
def test_hostile_filters_are_400_with_a_message(log, params):
    staff = session(log["staff"])
    for url in ("/api/v1/audit", "/api/v1/audit/export"):
        response = staff.get(url, params)
        assert response.status_code == 400, (url, response.status_code)
        assert response.json()["error"]["message"]


def test_a_huge_limit_or_a_forged_cursor_is_never_a_500(log):
    staff = session(log["staff"])
    huge = staff.get("/api/v1/audit", {"limit": "9" * 30})
    assert huge.status_code == 200
    assert len(huge.json()["results"]) <= 100
    forged = staff.get("/api/v1/audit", {"cursor": "%%%not-a-cursor"})
    assert forged.status_code == 404
    assert forged.json()["error"]["message"]


def test_the_log_cannot_be_changed_through_the_api(log):
    staff = session(log["staff"])
    event = AuditEvent.objects.earliest("id")
    for url in ("/api/v1/audit", f"/api/v1/audit/{event.pk}", "/api/v1/audit/export"):
        for method in ("put", "patch", "delete", "post"):
            status = getattr(staff, method)(url, {}, format="json").status_code
            assert status in (404, 405), (method, url, status)
    assert staff.delete("/api/v1/audit").status_code == 405
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# The export ---------------------------------------------------------------------


def test_the_export_streams_the_filtered_events_as_json_lines(log):
    response = session(log["staff"]).get("/api/v1/audit/export", {"action": "repo"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    assert response.streaming
    assert "audit-all.jsonl" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    lines = body.decode().splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["repo"] for r in rows] == ["lab-b/m2", "lab-a/m1"]
    assert set(rows[0]) == set(
        session(log["staff"]).get("/api/v1/audit").json()["results"][0]
    )


def test_the_list_query_count_does_not_grow_with_the_page(
    log, django_assert_max_num_queries
):
    for n in range(40):
        audit_record("auth.sign_in_failed", target=f"guess{n}")
    staff = session(log["staff"])
    with django_assert_max_num_queries(4):  # session, user, page
        response = staff.get("/api/v1/audit", {"limit": 100})
    assert len(response.json()["results"]) == AuditEvent.objects.count() > 40
