"""Organizations, members and the caller's tokens."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from hub.accounts.models import ApiToken, Membership, Organization
from hub.accounts.services import token_create
from tests.api.v1.fixtures_resources import (  # noqa: F401 - fixtures
    client_for,
    lab_fixture,
    no_throttle,
    token_for,
)

# Organizations ----------------------------------------------------------------


def test_organization_counts_only_models_the_caller_may_see(lab):
    anonymous = client_for().get("/api/v1/organizations/lab")
    reader = client_for(token_for(lab.reader, "read")).get("/api/v1/organizations/lab")

    assert anonymous.status_code == 200
    assert anonymous.json()["models_count"] == 1
    assert anonymous.json()["members_count"] == 2
    assert anonymous.json()["viewer_role"] is None
    assert reader.json()["models_count"] == 2
    assert reader.json()["viewer_role"] == "read"


def test_user_namespace_is_not_an_organization(lab):
    response = client_for().get("/api/v1/organizations/owner")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_create_organization_makes_the_caller_admin(lab):
    response = client_for(token_for(lab.stranger)).post(
        "/api/v1/organizations", {"name": "newlab", "display_name": "New Lab"}
    )

    assert response.status_code == 201
    assert response.json()["viewer_role"] == "admin"
    org = Organization.objects.get(name="newlab")
    assert Membership.objects.get(organization=org).user == lab.stranger


def test_create_organization_with_a_taken_name_is_409(lab):
    response = client_for(token_for(lab.stranger)).post(
        "/api/v1/organizations", {"name": "Owner"}
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_create_organization_needs_a_write_token(lab):
    anonymous = client_for().post("/api/v1/organizations", {"name": "x1"})
    read = client_for(token_for(lab.stranger, "read")).post(
        "/api/v1/organizations", {"name": "x2"}
    )

    assert anonymous.status_code == 401
    assert read.status_code == 403
    assert not Organization.objects.filter(name__in=["x1", "x2"]).exists()


# Members ----------------------------------------------------------------------


def test_members_see_the_member_list_with_roles(lab, django_assert_max_num_queries):
    client = client_for(token_for(lab.reader, "read"))

    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/organizations/lab/members")

    assert response.status_code == 200
    assert [(m["username"], m["role"]) for m in response.json()["results"]] == [
        ("owner", "admin"),
        ("reader", "read"),
    ]


def test_member_list_is_for_members_only(lab):
    stranger = client_for(token_for(lab.stranger)).get(
        "/api/v1/organizations/lab/members"
    )
    anonymous = client_for().get("/api/v1/organizations/lab/members")

    assert stranger.status_code == 403
    assert anonymous.status_code == 401


def test_admin_adds_changes_and_removes_a_member(lab):
    client = client_for(token_for(lab.owner))
    url = "/api/v1/organizations/lab/members/stranger"

    added = client.put(url, {"role": "write"})
    changed = client.put(url, {"role": "read"})
    removed = client.delete(url)

    assert added.status_code == 200
    assert added.json()["role"] == "write"
    assert changed.json()["role"] == "read"
    assert removed.status_code == 204
    assert not Membership.objects.filter(user=lab.stranger).exists()


def test_non_admins_cannot_change_members(lab):
    url = "/api/v1/organizations/lab/members/stranger"

    reader = client_for(token_for(lab.reader)).put(url, {"role": "admin"})
    owner_read_token = client_for(token_for(lab.owner, "read")).put(
        url, {"role": "read"}
    )

    assert reader.status_code == 403
    assert owner_read_token.status_code == 403
    assert not Membership.objects.filter(user=lab.stranger).exists()


def test_last_admin_cannot_leave_and_bad_role_is_400(lab):
    client = client_for(token_for(lab.owner))

    last = client.delete("/api/v1/organizations/lab/members/owner")
    bad = client.put("/api/v1/organizations/lab/members/reader", {"role": "boss"})
    nobody = client.put("/api/v1/organizations/lab/members/nobody", {"role": "read"})

    assert last.status_code == 400
    assert "last admin" in last.json()["error"]["message"]
    assert bad.status_code == 400
    assert nobody.status_code == 404


# Tokens -----------------------------------------------------------------------


def test_create_token_returns_the_secret_once(lab):
    client = client_for(user=lab.stranger)

    created = client.post(
        "/api/v1/tokens",
        {"name": "ci", "scope": "read", "repo_ids": ["lab/open-model"]},
        format="json",
    )
    listed = client.get("/api/v1/tokens")

    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith("mc_")
    assert body["repo_ids"] == ["lab/open-model"]
    assert body["is_active"] is True
    item = listed.json()["results"][0]
    assert item["name"] == "ci"
    assert "token" not in item and "digest" not in item
    assert body["token"] not in listed.content.decode()
    authenticated = client_for(body["token"]).get("/api/v1/organizations/lab")
    assert authenticated.status_code == 200


def test_tokens_list_only_the_callers_tokens(lab, django_assert_max_num_queries):
    token_create(user=lab.owner, name="owner-token")
    for i in range(5):
        token_create(user=lab.stranger, name=f"t{i}")
    client = client_for(user=lab.stranger)

    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/tokens")

    names = [t["name"] for t in response.json()["results"]]
    assert names == ["t4", "t3", "t2", "t1", "t0"]


def test_revoke_own_token_and_404_for_anothers(lab):
    own, _ = token_create(user=lab.stranger, name="mine")
    other, _ = token_create(user=lab.owner, name="theirs")
    client = client_for(user=lab.stranger)

    revoked = client.delete(f"/api/v1/tokens/{own.pk}")
    foreign = client.delete(f"/api/v1/tokens/{other.pk}")

    assert revoked.status_code == 204
    own.refresh_from_db()
    assert own.revoked_at is not None
    assert foreign.status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_token_management_needs_a_user_and_an_unrestricted_write_token(lab):
    anonymous = client_for().get("/api/v1/tokens")
    read = client_for(token_for(lab.stranger, "read")).post(
        "/api/v1/tokens", {"name": "escalate", "scope": "write"}
    )
    restricted = client_for(
        token_for(lab.stranger, repo_ids=["stranger/anything"])
    ).post("/api/v1/tokens", {"name": "escalate", "scope": "write"})
    write = client_for(token_for(lab.stranger)).post(
        "/api/v1/tokens", {"name": "ok", "scope": "read"}
    )

    assert anonymous.status_code == 401
    assert read.status_code == 403
    assert restricted.status_code == 403
    assert write.status_code == 201
    assert not ApiToken.objects.filter(name="escalate").exists()


def test_token_made_with_an_expiring_token_cannot_outlive_it(lab):
    soon = timezone.now() + timedelta(days=1)
    client = client_for(token_for(lab.stranger, expires_at=soon))

    forever = client.post("/api/v1/tokens", {"name": "forever"}, format="json")
    shorter = client.post(
        "/api/v1/tokens",
        {"name": "shorter", "expires_at": (soon - timedelta(hours=1)).isoformat()},
        format="json",
    )

    assert forever.status_code == 400
    assert shorter.status_code == 201
    assert shorter.json()["expires_at"].endswith("Z")


def test_token_create_validates_input(lab):
    client = client_for(user=lab.stranger)

    past = client.post(
        "/api/v1/tokens",
        {"name": "old", "expires_at": "2000-01-01T00:00:00Z"},
        format="json",
    )
    bad_repo = client.post(
        "/api/v1/tokens", {"name": "x", "repo_ids": ["no-slash"]}, format="json"
    )
    bad_scope = client.post("/api/v1/tokens", {"name": "x", "scope": "admin"})

    assert past.status_code == 400
    assert "future" in past.json()["error"]["message"]
    assert bad_repo.status_code == 400
    assert bad_scope.status_code == 400
    assert bad_scope.json()["error"]["details"]["scope"]
