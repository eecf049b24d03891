"""Each security-relevant act leaves one audit event where it happens, with
who did it, from where, and what it touched; a failed act leaves none."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from hub.access.services import access_request_decide, license_accept
from hub.accounts.actors import Actor
from hub.accounts.memberships import membership_set
from hub.accounts.models import ApiToken
from hub.accounts.services import token_authenticate, token_create, token_revoke
from hub.accounts.token_addresses import MAX_SEEN_ADDRESSES
from hub.audit.models import AuditEvent
from hub.catalog import usecases
from hub.core.errors import ValidationError
from hub.moderation.services.actions import moderation_disable_repo
from hub.ops.logs import request_client_var
from tests.factories import make_org, make_repo, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase"


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def api(secret: str | None = None, ip: str = "198.51.100.1") -> APIClient:
    client = APIClient(REMOTE_ADDR=ip)
    if secret:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


# Signing in ---------------------------------------------------------------------


def test_sign_in_and_sign_out_are_recorded_with_the_address(client):
    make_user("kim", password=PASSWORD)
    client.post(
        "/login",
        {"username": "kim", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.5",
        HTTP_USER_AGENT="Firefox/200",
    )
    client.post("/logout")

    (signed_in,) = events("auth.sign_in")
    assert (signed_in.actor_name, signed_in.ip, signed_in.user_agent) == (
        "kim",
        "203.0.113.5",
        "Firefox/200",
    )
    assert signed_in.details["backend"] == "ModelBackend"
    assert [e.actor_name for e in events("auth.sign_out")] == ["kim"]


def test_a_failed_sign_in_names_the_account_tried_and_never_the_password(client):
    make_user("kim", password=PASSWORD)
    client.post("/login", {"username": "kim", "password": "guess-123456"})
    client.post("/login", {"username": "nobody-here", "password": "guess-123456"})

    failed = events("auth.sign_in_failed")
    assert [(e.actor_id, e.target) for e in failed] == [
        (None, "kim"),
        (None, "nobody-here"),
    ]
    assert all("guess-123456" not in str(e.details) for e in failed)
    assert events("auth.sign_in") == []


def test_a_throttled_sign_in_is_recorded_as_refused(client, settings):
    make_user("kim", password=PASSWORD)
    for _ in range(settings.HUB_SIGNIN_FREE_FAILURES + 2):
        response = client.post("/login", {"username": "kim", "password": "wrong"})
    assert response.status_code == 429
    reasons = [e.details["reason"] for e in events("auth.sign_in_failed")]
    assert "throttled" in reasons and "wrong_credentials" in reasons


# Accounts, tokens, organisations --------------------------------------------------


def test_sign_up_creates_a_user_event(client):
    client.post(
        "/signup",
        {"username": "newbie", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert [e.target for e in events("user.create")] == ["newbie"]


def test_token_create_and_revoke_through_the_api_are_recorded_once():
    user = make_user("kim", password=PASSWORD)
    client = APIClient()
    client.force_login(user)
    created = client.post(
        "/api/v1/tokens", {"name": "laptop", "scope": "read"}, format="json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    client.delete(f"/api/v1/tokens/{pk}")
    client.delete(f"/api/v1/tokens/{pk}")  # idempotent: no second event

    (made,) = events("token.create")
    (revoked,) = events("token.revoke")
    assert (made.actor_name, made.details["token"], made.details["scope"]) == (
        "kim",
        "laptop",
        "read",
    )
    assert revoked.actor_name == "kim"
    assert revoked.details["prefix"] == made.details["prefix"]
    assert created.json()["token"] not in str(made.details)  # the secret


def test_a_token_from_a_new_address_is_recorded_once_per_address():
    user = make_user("kim")
    client = APIClient()
    client.force_login(user)
    secret = client.post(
        "/api/v1/tokens", {"name": "ci", "scope": "read"}, format="json"
    ).json()["token"]

    for ip in ("198.51.100.1", "198.51.100.1", "198.51.100.2", "198.51.100.1"):
        assert api(secret, ip).get("/api/v1/notifications").status_code == 200

    noted = events("token.new_address")
    assert [(e.details["address"], e.ip) for e in noted] == [
        ("198.51.100.1", "198.51.100.1"),
        ("198.51.100.2", "198.51.100.2"),
    ]
    assert [e.details["first_use"] for e in noted] == [True, False]
    assert noted[0].actor_name == "kim"


def test_a_known_address_costs_no_query_beyond_the_token_lookup(
    django_assert_max_num_queries,
):
    user = make_user("kim")
    _token, secret = token_create(user=user, name="t")
    marker = request_client_var.set(("198.51.100.9", "x"))
    try:
        token_authenticate(secret=secret)  # first use: noted
        with django_assert_max_num_queries(1):  # the lookup only
            token_authenticate(secret=secret)
    finally:
        request_client_var.reset(marker)


def test_the_remembered_addresses_are_bounded():
    user = make_user("kim")
    token, secret = token_create(user=user, name="fleet")
    for n in range(MAX_SEEN_ADDRESSES + 5):
        marker = request_client_var.set((f"10.0.0.{n + 1}", ""))
        try:
            token_authenticate(secret=secret)
        finally:
            request_client_var.reset(marker)
    token.refresh_from_db()
    assert len(token.seen_addresses) == MAX_SEEN_ADDRESSES
    assert token.seen_addresses[-1] == f"10.0.0.{MAX_SEEN_ADDRESSES + 5}"


def test_revoking_an_already_revoked_token_records_nothing_more():
    user = make_user("kim")
    token, _ = token_create(user=user, name="t", by=user)
    token_revoke(token=token, by=user)
    token_revoke(token=ApiToken.objects.get(pk=token.pk), by=user)
    assert len(events("token.revoke")) == 1


def test_member_changes_name_the_org_the_member_and_the_role():
    boss = make_user("boss")
    ann = make_user("ann")
    org = make_org("lab", creator=boss)
    client = APIClient()
    client.force_login(boss)
    client.put(
        "/api/v1/organizations/lab/members/ann", {"role": "write"}, format="json"
    )
    client.put(
        "/api/v1/organizations/lab/members/ann", {"role": "admin"}, format="json"
    )
    client.put(
        "/api/v1/organizations/lab/members/ann", {"role": "admin"}, format="json"
    )
    client.delete("/api/v1/organizations/lab/members/ann")

    assert [e.organization for e in events("org.create")] == ["lab"]
    sets = events("org.member_set")
    assert [(e.actor_name, e.target, e.details) for e in sets] == [
        ("boss", "ann", {"role": "write"}),
        ("boss", "ann", {"role": "admin", "previous": "write"}),
    ]
    (removed,) = events("org.member_remove")
    assert (removed.organization, removed.target) == (org.name, ann.username)


def test_a_refused_member_change_leaves_no_event():
    boss = make_user("boss")
    org = make_org("lab", creator=boss)
    with pytest.raises(ValidationError):
        membership_set(organization=org, user=boss, role="read", by=boss)
    assert events("org.member_set") == []


# Repositories -----------------------------------------------------------------


def test_repo_visibility_gating_and_deletion_are_recorded_for_the_org():
    boss = make_user("boss")
    make_org("lab", creator=boss)
    client = APIClient()
    client.force_login(boss)
    assert (
        client.post(
            "/api/v1/models", {"namespace": "lab", "name": "m"}, format="json"
        ).status_code
        == 201
    )
    client.patch("/api/v1/models/lab/m", {"private": True}, format="json")
    client.patch("/api/v1/models/lab/m", {"private": True}, format="json")  # no-op
    client.patch("/api/v1/models/lab/m", {"gated": "manual"}, format="json")
    client.delete("/api/v1/models/lab/m")

    recorded = AuditEvent.objects.filter(repo="lab/m").order_by("id")
    assert [(e.action, e.organization, e.actor_name) for e in recorded] == [
        ("repo.create", "lab", "boss"),
        ("repo.visibility", "lab", "boss"),
        ("repo.gating", "lab", "boss"),
        ("repo.delete", "lab", "boss"),
    ]
    assert recorded[1].details == {"previous": "public", "visibility": "private"}


def test_a_move_in_the_namespace_is_a_rename_and_to_another_a_transfer():
    boss = make_user("boss")
    make_org("lab", creator=boss)
    make_org("other", creator=boss)
    repo = make_repo(boss, "m")
    actor = Actor.of(boss)
    repo = usecases.repo_move(actor=actor, repo=repo, namespace_name="boss", name="m2")
    repo = usecases.repo_move(actor=actor, repo=repo, namespace_name="lab", name="m2")
    usecases.repo_move(actor=actor, repo=repo, namespace_name="other", name="m2")

    (rename,) = events("repo.rename")
    assert (rename.repo, rename.details["previous"]) == ("boss/m2", "boss/m")
    transfers = [(e.organization, e.repo) for e in events("repo.transfer")]
    assert transfers == [
        ("lab", "lab/m2"),
        ("other", "other/m2"),
        ("lab", "lab/m2"),  # the organisation it left hears of it too
    ]


def test_access_decisions_and_moderation_acts_are_recorded():
    boss = make_user("boss")
    staff = make_user("mod")
    staff.is_staff = True
    staff.save()
    asker = make_user("asker")
    org = make_org("lab", creator=boss)
    repo = make_repo(org, "m", creator=boss)
    usecases.repo_update_settings(actor=Actor.of(boss), repo=repo, gated="manual")
    license_accept(repo=repo, user=asker)
    access_request_decide(repo=repo, actor=boss, user=asker, status="accepted")
    moderation_disable_repo(repo=repo, actor=Actor.of(staff), reason="Malware")

    (decision,) = events("repo.access_decision")
    assert (decision.actor_name, decision.target, decision.organization) == (
        "boss",
        "asker",
        "lab",
    )
    assert decision.details["status"] == "accepted"
    (act,) = events("moderation.act")
    assert (act.actor_name, act.repo, act.organization) == ("mod", "lab/m", "lab")
    assert act.details["kind"] == "disable_repo"
    assert act.details["reason"] == "Malware"
