"""``/settings/audit`` and ``/organizations/{name}/audit``: who may open
them, searching, the JSON-lines export, and the links to them."""

from __future__ import annotations

import json

import pytest

from hub.audit.services import audit_record
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    staff = make_user("mod")
    staff.is_staff = True
    staff.save()
    alice = make_user("alice")
    bob = make_user("bob")
    make_org("lab-a", creator=alice)
    make_org("lab-b", creator=bob)
    audit_record("repo.delete", actor=alice, organization="lab-a", repo="lab-a/m1")
    audit_record("repo.delete", actor=bob, organization="lab-b", repo="lab-b/m2")
    return {"staff": staff, "alice": alice, "bob": bob, "stranger": make_user("zed")}


def as_user(client, user):
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client, people):
    for url in (
        "/settings/audit",
        "/organizations/lab-a/audit",
        "/settings/audit/export",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_a_stranger_is_refused_the_log_and_its_export(client, people):
    as_user(client, people["stranger"])
    assert client.get("/settings/audit").status_code == 403
    assert client.get("/settings/audit/export").status_code == 403
    assert client.get("/organizations/lab-a/audit").status_code == 403
    # Refused before the filters are read: no hint from a 400.
    assert client.get("/settings/audit", {"since": "bad"}).status_code == 403


def test_staff_search_the_whole_log(client, people):
    as_user(client, people["staff"])
    page = client.get("/settings/audit")
    assert page.status_code == 200
    assert b"lab-a/m1" in page.content and b"lab-b/m2" in page.content
    found = client.get("/settings/audit", {"q": "m2", "action": "repo.delete"})
    assert b"lab-b/m2" in found.content and b"lab-a/m1" not in found.content
    none = client.get("/settings/audit", {"actor": "nobody"})
    assert b"No events match these filters." in none.content


def test_an_org_admin_reads_their_org_and_not_another(client, people):
    as_user(client, people["alice"])
    own = client.get("/organizations/lab-a/audit")
    assert own.status_code == 200
    assert b"lab-a/m1" in own.content and b"lab-b/m2" not in own.content
    assert client.get("/organizations/lab-b/audit").status_code == 403
    assert client.get("/organizations/lab-b/audit/export").status_code == 403
    assert client.get("/organizations/nope/audit").status_code == 404


def test_a_bad_filter_is_a_400_page_that_says_what_to_fix(client, people):
    as_user(client, people["staff"])
    response = client.get("/settings/audit", {"since": "tomorrow-ish"})
    assert response.status_code == 400
    assert b"must be a date (YYYY-MM-DD)" in response.content
    export = client.get("/settings/audit/export", {"action": "nope"})
    assert export.status_code == 400 and b"Unknown action" in export.content
    before = client.get("/settings/audit", {"before": "99999999999999999999999"})
    assert before.status_code == 400


def test_pages_go_back_in_time_without_repeats(client, people):
    for n in range(60):
        audit_record("auth.sign_in_failed", target=f"guess{n:02d}")
    as_user(client, people["staff"])
    first = client.get("/settings/audit", {"action": "auth.sign_in_failed"})
    older = first.context["next_query"]
    second = client.get(f"/settings/audit?{older}")
    targets = [e.target for e in first.context["events"] + second.context["events"]]
    assert targets == [f"guess{n:02d}" for n in range(59, -1, -1)]
    assert second.context["next_before"] is None


def test_the_export_link_streams_what_the_filters_select(client, people):
    as_user(client, people["alice"])
    page = client.get("/organizations/lab-a/audit", {"action": "repo.delete"})
    link = "/organizations/lab-a/audit/export?action=repo.delete"
    assert link.encode() in page.content.replace(b"&amp;", b"&")
    response = client.get(link)
    assert response["Content-Type"] == "application/x-ndjson"
    rows = [json.loads(x) for x in b"".join(response.streaming_content).splitlines()]
    assert [(r["action"], r["repo"]) for r in rows] == [("repo.delete", "lab-a/m1")]


def test_staff_find_the_log_in_their_menu_and_admins_on_the_members_page(
    client, people
):
    as_user(client, people["staff"])
    assert b'href="/settings/audit"' in client.get("/").content
    as_user(client, people["stranger"])
    assert b'href="/settings/audit"' not in client.get("/").content
    as_user(client, people["alice"])
    members = client.get("/organizations/lab-a/members")
    assert b'href="/organizations/lab-a/audit"' in members.content
