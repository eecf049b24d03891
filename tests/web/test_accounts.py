"""Accounts pages: sign up, sign in, organizations and members, tokens."""

from __future__ import annotations

import pytest

from hub.accounts.models import ApiToken, Membership, User
from hub.accounts.services import token_create
from tests.factories import make_org

pytestmark = pytest.mark.django_db


def test_signup_creates_the_user_and_signs_in(client):
    response = client.post(
        "/signup",
        {
            "username": "maya",
            "email": "maya@example.org",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(username="maya").exists()
    assert "maya" in client.get("/").content.decode()


def test_signup_refuses_reserved_names_and_weak_passwords(client, db):
    response = client.post(
        "/signup",
        {"username": "settings", "password1": "x", "password2": "x"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "reserved" in html
    assert "too short" in html
    assert not User.objects.filter(username="settings").exists()


def test_login_and_logout(client, db):
    from tests.factories import make_user

    make_user("jun", password="a long enough passphrase")
    response = client.post(
        "/login", {"username": "jun", "password": "a long enough passphrase"}
    )
    assert response.status_code == 302
    assert client.get("/settings/tokens").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/settings/tokens").status_code == 302


def test_token_secret_is_shown_once_and_can_be_revoked(client, owner):
    client.force_login(owner)
    response = client.post(
        "/settings/tokens", {"name": "laptop", "scope": "write", "expires_in": "30"}
    )
    html = response.content.decode()
    token = ApiToken.objects.get(user=owner, name="laptop")
    secret = html.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("mc_") and token.prefix == secret[:10]
    assert response["Cache-Control"] == "no-store"
    listing = client.get("/settings/tokens").content.decode()
    assert "laptop" in listing and secret not in listing
    response = client.post(f"/settings/tokens/{token.pk}/revoke")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_tokens_of_others_cannot_be_revoked(client, owner, stranger):
    token, _ = token_create(user=owner, name="mine")
    client.force_login(stranger)
    assert client.post(f"/settings/tokens/{token.pk}/revoke").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_organization_create_and_member_management(client, owner, stranger):
    client.force_login(owner)
    response = client.post("/organizations/new", {"name": "lab"})
    assert response.status_code == 302
    assert response["Location"] == "/lab"
    response = client.post(
        "/organizations/lab/members", {"username": "stranger", "role": "write"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=stranger).role == "write"
    html = client.get("/organizations/lab/members").content.decode()
    assert "stranger" in html
    # The last admin cannot leave: the service's message is shown.
    response = client.post(
        "/organizations/lab/members",
        {"action": "remove", "username": "owner"},
        follow=True,
    )
    assert "last admin" in response.content.decode()
    client.post(
        "/organizations/lab/members", {"action": "remove", "username": "stranger"}
    )
    assert not Membership.objects.filter(user=stranger).exists()


def test_member_management_is_for_admins_only(client, owner, stranger):
    org = make_org("lab", creator=owner)
    Membership.objects.create(organization=org, user=stranger, role="write")
    client.force_login(stranger)
    # Members see the list, without the forms that change it.
    listing = client.get("/organizations/lab/members")
    assert listing.status_code == 200
    assert "Add a member" not in listing.content.decode()
    response = client.post(
        "/organizations/lab/members", {"username": "stranger", "role": "admin"}
    )
    assert response.status_code == 403
    assert "Only admins of lab can change its members." in response.content.decode()
    assert Membership.objects.get(user=stranger).role == "write"
    assert client.get("/organizations/nolab/members").status_code == 404
