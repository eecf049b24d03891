"""``/api/v1/namespaces/{name}/quota`` and the usage pages, from every side:
who sees a namespace's usage, and that only staff change its limits."""

from __future__ import annotations

import pytest
from django.test import Client

from hub.accounts.memberships import membership_set
from hub.accounts.models import Membership, NamespaceQuota
from hub.accounts.services import token_revoke
from hub.audit.models import AuditEvent
from tests.api.v1.fixtures_resources import client_for, no_throttle, token_for
from tests.factories import commit_files, make_org, make_repo, make_user

__all__ = ["no_throttle"]
URL = "/api/v1/namespaces/{}/quota"


@pytest.fixture
def people(db, settings):
    settings.HUB_QUOTA_STORAGE_BYTES = 10_000_000
    settings.HUB_QUOTA_REPOS = 5
    settings.HUB_QUOTA_FILE_BYTES = None
    alice = make_user("alice")
    ada = make_user("ada")  # admin of acme, not staff
    reader = make_user("rita")  # read member of acme
    stranger = make_user("stan")
    staff = make_user("sam", is_staff=True)
    acme = make_org("acme", creator=ada)
    membership_set(organization=acme, user=reader, role=Membership.Role.READ)
    commit_files(make_repo(alice, "secret", is_private=True), {"w.bin": b"x" * 5000})
    make_repo(acme, "model")
    return {
        "alice": alice,
        "ada": ada,
        "reader": reader,
        "stranger": stranger,
        "staff": staff,
    }


def test_owner_sees_limits_and_usage_per_repository(people):
    response = client_for(token_for(people["alice"], "read")).get(URL.format("alice"))
    assert response.status_code == 200
    body = response.json()
    assert body["namespace"] == "alice" and body["kind"] == "user"
    assert body["storage"]["limit_bytes"] == 10_000_000
    assert body["storage"]["is_default"] is True
    assert body["repos"] == {"used": 1, "limit": 5, "is_default": True}
    assert body["file_size"] == {"limit_bytes": None, "is_default": True}
    [repo] = body["repositories"]
    assert repo["id"] == "alice/secret" and repo["private"] is True
    assert body["storage"]["used_bytes"] == repo["stored_bytes"] > 5000


@pytest.mark.parametrize("who", ["ada", "reader", "staff"])
def test_organisation_members_of_any_role_and_staff_see_its_usage(people, who):
    response = client_for(token_for(people[who], "read")).get(URL.format("acme"))
    assert response.status_code == 200
    assert response.json()["repos"]["used"] == 1


def test_strangers_anonymous_and_limited_tokens_do_not_see_usage(people):
    assert client_for().get(URL.format("alice")).status_code == 401
    stranger = client_for(token_for(people["stranger"])).get(URL.format("alice"))
    assert stranger.status_code == 403
    assert "alice themselves and the hub's staff" in stranger.json()["error"]["message"]
    assert (
        client_for(user=people["stranger"]).get(URL.format("acme")).status_code == 403
    )
    limited = token_for(people["alice"], repo_ids=["alice/secret"])
    assert client_for(limited).get(URL.format("alice")).status_code == 403
    revoked = token_for(people["alice"])
    token_revoke(token=people["alice"].api_tokens.order_by("-pk").first())
    assert client_for(revoked).get(URL.format("alice")).status_code == 401
    assert client_for(user=people["alice"]).get(URL.format("nobody")).status_code == 404


def test_staff_set_limits_and_the_audit_log_records_it(people):
    staff = client_for(token_for(people["staff"]))
    response = staff.patch(
        URL.format("acme"),
        {"storage": "50GB", "repos": "unlimited", "file_size": 1000},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["storage"] == {
        "used_bytes": body["storage"]["used_bytes"],
        "limit_bytes": 50 * 1000**3,
        "is_default": False,
    }
    assert body["repos"]["limit"] is None and body["repos"]["is_default"] is False
    assert body["file_size"]["limit_bytes"] == 1000
    event = AuditEvent.objects.get(action="org.quota_set")
    assert (event.actor_name, event.organization, event.target) == (
        "sam",
        "acme",
        "acme",
    )
    assert event.details["storage"] == {
        "from": 10_000_000,
        "to": 50 * 1000**3,
        "default": False,
    }
    assert event.details["repos"]["to"] == "unlimited"
    # Back to the hub's default.
    reset = staff.patch(URL.format("acme"), {"storage": "default"}, format="json")
    assert reset.json()["storage"]["limit_bytes"] == 10_000_000
    assert reset.json()["storage"]["is_default"] is True
    staff.patch(URL.format("alice"), {"repos": "9"}, format="json")
    assert AuditEvent.objects.filter(action="user.quota_set", target="alice").exists()


@pytest.mark.parametrize("who", ["ada", "alice", "reader", "stranger"])
def test_only_staff_change_quotas_org_admins_and_owners_included(people, who):
    name = "alice" if who == "alice" else "acme"
    for client in (client_for(token_for(people[who])), client_for(user=people[who])):
        response = client.patch(URL.format(name), {"storage": "1PB"}, format="json")
        assert response.status_code == 403
        assert response.json()["error"]["message"] == "Only staff can change quotas."
        # Even nonsense is refused as "not yours", not parsed for them.
        junk = client.patch(URL.format(name), {"repos": "many"}, format="json")
        assert junk.status_code == 403
    assert not NamespaceQuota.objects.exists()
    assert not AuditEvent.objects.filter(action__endswith="quota_set").exists()


def test_staff_read_token_limited_token_and_anonymous_cannot_change_quotas(people):
    staff = people["staff"]
    read = client_for(token_for(staff, "read"))
    assert (
        read.patch(URL.format("acme"), {"repos": "1"}, format="json").status_code == 403
    )
    limited = client_for(token_for(staff, repo_ids=["acme/model"]))
    response = limited.patch(URL.format("acme"), {"repos": "1"}, format="json")
    assert response.status_code == 403
    anonymous = client_for().patch(URL.format("acme"), {"repos": "1"}, format="json")
    assert anonymous.status_code == 401
    assert not NamespaceQuota.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"storage": "lots"},
        {"storage": "-5"},
        {"repos": "1.5"},
        {"repos": "1GB"},
        {"file_size": "9" * 39},
        {"storage": ["1GB"]},
        {"storage": "x" * 100},
    ],
)
def test_hostile_limits_are_400_and_change_nothing(people, body):
    staff = client_for(token_for(people["staff"]))
    response = staff.patch(URL.format("acme"), body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["message"]
    assert not NamespaceQuota.objects.exists()


def test_usage_pages_show_limits_to_members_and_refuse_strangers(people):
    alice = Client()
    alice.force_login(people["alice"])
    page = alice.get("/settings/usage")
    assert page.status_code == 200
    text = page.content.decode()
    assert "alice/secret" in text and "of 10 MB" in text
    assert alice.get("/organizations/acme/usage").status_code == 403
    reader = Client()
    reader.force_login(people["reader"])
    org_page = reader.get("/organizations/acme/usage")
    assert org_page.status_code == 200 and "acme/model" in org_page.content.decode()
    assert "/organizations/acme/usage" in reader.get("/acme").content.decode()
    assert "/organizations/acme/usage" not in alice.get("/acme").content.decode()
    assert reader.get("/organizations/alice/usage").status_code in (403, 404)
    assert Client().get("/settings/usage").status_code == 302  # to sign in
