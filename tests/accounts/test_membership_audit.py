"""Every change of an organization's members reaches the audit log, with
the admin who made it, whichever face it came through (single sign-on's
group sync is in tests/sso)."""

from __future__ import annotations

import pytest

from hub.audit.models import AuditEvent
from tests.factories import make_org, make_user, make_user_with_token

pytestmark = pytest.mark.django_db


def _events() -> list[tuple[str, str, str, str, str]]:
    return [
        (e.action, e.actor_name, e.organization, e.target, e.details.get("role", ""))
        for e in AuditEvent.objects.filter(action__startswith="org.member").order_by(
            "pk"
        )
    ]


def test_members_changed_through_the_api_are_audited_with_the_admin(client):
    boss, secret = make_user_with_token("boss")
    make_org("lab", creator=boss)
    make_user("newcomer")
    url = "/api/v1/organizations/lab/members/newcomer"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client.put(url, {"role": "write"}, content_type="application/json", **auth)
    client.put(url, {"role": "write"}, content_type="application/json", **auth)
    client.delete(url, **auth)
    # The repeated PUT changed nothing, so it recorded nothing.
    assert _events() == [
        ("org.member_set", "boss", "lab", "newcomer", "write"),
        ("org.member_remove", "boss", "lab", "newcomer", "write"),
    ]


def test_members_changed_on_the_web_page_are_audited_with_the_admin(client):
    boss = make_user("boss")
    make_org("lab", creator=boss)
    make_user("newcomer")
    client.force_login(boss)
    page = "/organizations/lab/members"
    client.post(page, {"username": "newcomer", "role": "read"})
    client.post(page, {"action": "remove", "username": "newcomer"})
    assert _events() == [
        ("org.member_set", "boss", "lab", "newcomer", "read"),
        ("org.member_remove", "boss", "lab", "newcomer", "read"),
    ]


def test_a_refused_change_records_nothing(client):
    boss, secret = make_user_with_token("boss")
    make_org("lab", creator=boss)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    response = client.delete("/api/v1/organizations/lab/members/boss", **auth)
    assert response.status_code == 400  # the last admin
    assert _events() == []
