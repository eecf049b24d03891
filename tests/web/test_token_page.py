"""The tokens page: scope, repo limits and expiry are set and shown, and a
token limited to some models reaches nothing private elsewhere."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from hub.accounts.models import ApiToken
from hub.accounts.services import token_create
from tests.factories import make_repo

TOKENS = "/settings/tokens"


def _secret(html: str) -> str:
    return html.split('id="new-token" type="text" readonly value="')[1].split('"')[0]


def test_a_token_limited_to_models_reaches_only_those(client, owner, private_repo):
    make_repo(owner, "other", is_private=True)
    client.force_login(owner)
    response = client.post(
        TOKENS,
        {
            "name": "ci",
            "scope": "write",
            "expires_in": "7",
            "repo_ids": "owner/secret\n owner/not-yet , owner/secret",
        },
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=owner, name="ci")
    assert token.scope == "write"
    assert token.repo_ids == ["owner/secret", "owner/not-yet"]
    assert token.expires_at is not None
    days = (token.expires_at - timezone.now()) / timedelta(days=1)
    assert 6.9 < days <= 7
    secret = _secret(response.content.decode())
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/models/owner/secret").status_code == 200
    assert api.get("/api/models/owner/other").status_code == 404
    listing = client.get(TOKENS).content.decode()
    assert 'aria-label="Models of ci"' in listing
    assert "<code>owner/secret</code>" in listing
    assert "<code>owner/not-yet</code>" in listing
    assert f"until {token.expires_at:%Y-%m-%d}" in listing


def test_an_unlimited_read_token_is_shown_as_such(client, owner):
    client.force_login(owner)
    client.post(TOKENS, {"name": "laptop", "scope": "read", "expires_in": ""})
    token = ApiToken.objects.get(user=owner, name="laptop")
    assert (token.scope, token.repo_ids, token.expires_at) == ("read", [], None)
    listing = client.get(TOKENS).content.decode()
    row = listing.split("<strong>laptop</strong>")[1].split("</tr>")[0]
    assert "Read" in row and '<span class="soft">All</span>' in row
    assert "until" not in row


def test_malformed_repo_limits_are_400_and_create_nothing(client, owner):
    client.force_login(owner)
    for text in ("just-a-name", "a/b/c", "owner/bad name!"):
        response = client.post(
            TOKENS, {"name": "bad", "scope": "read", "repo_ids": text}
        )
        assert response.status_code == 400, text
        assert 'role="alert"' in response.content.decode()
    response = client.post(TOKENS, {"name": "bad", "scope": "admin"})
    assert response.status_code == 400
    response = client.post(TOKENS, {"name": "bad", "scope": "read", "expires_in": "3"})
    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=owner).exists()


def test_an_expired_or_revoked_token_is_shown_so_and_cannot_be_revoked_again(
    client, owner
):
    expired, _ = token_create(
        user=owner,
        name="old",
        expires_at=timezone.now() + timedelta(seconds=1),
    )
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    revoked, _ = token_create(user=owner, name="gone")
    client.force_login(owner)
    client.post(f"/settings/tokens/{revoked.pk}/revoke")
    listing = client.get(TOKENS).content.decode()
    old_row = listing.split("<strong>old</strong>")[1].split("</tr>")[0]
    gone_row = listing.split("<strong>gone</strong>")[1].split("</tr>")[0]
    assert "Expired" in old_row and "Revoke" not in old_row
    assert "Revoked" in gone_row and "Revoke old" not in gone_row
