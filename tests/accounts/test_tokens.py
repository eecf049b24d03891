"""API tokens: hashing, scopes, expiry, repo restriction, revocation, use."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from hub.accounts.models import ApiToken, User
from hub.accounts.selectors import token_list
from hub.accounts.services import (
    LAST_USED_RESOLUTION,
    token_authenticate,
    token_create,
    token_revoke,
    user_create,
)
from hub.core.errors import AuthenticationError, ValidationError

pytestmark = pytest.mark.django_db

INVALID = "Invalid credentials in Authorization header"


@pytest.fixture
def owner() -> User:
    return user_create(username="owner")


@pytest.fixture
def stranger() -> User:
    return user_create(username="stranger")


def test_secret_has_hub_format_and_only_its_digest_is_stored(owner):
    token, secret = token_create(user=owner, name="laptop", scope="write")

    assert secret.startswith("mc_")
    assert len(secret) == 3 + 43  # token_urlsafe(32): 43 characters
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert row["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert row["prefix"] == secret[:10]
    for column, value in row.items():
        assert secret not in str(value), f"secret found in column {column}"
        assert secret[10:20] not in str(value), f"secret part in column {column}"


def test_each_token_gets_a_distinct_secret(owner):
    _first, first_secret = token_create(user=owner, name="a")
    _second, second_secret = token_create(user=owner, name="a")

    assert first_secret != second_secret


def test_default_scope_is_read(owner):
    token, _secret = token_create(user=owner, name="ci")

    assert token.scope == ApiToken.Scope.READ
    assert not token.can_write


@pytest.mark.parametrize("scope", ["admin", "READ", "", "read,write"])
def test_unknown_scope_is_refused(owner, scope):
    with pytest.raises(ValidationError, match="scope"):
        token_create(user=owner, name="ci", scope=scope)
    assert not ApiToken.objects.exists()


def test_write_scope_can_write(owner):
    token, _secret = token_create(user=owner, name="ci", scope="write")

    assert token.can_write


def test_empty_token_name_is_refused(owner):
    with pytest.raises(ValidationError, match="name"):
        token_create(user=owner, name="   ")


def test_expiry_in_the_past_is_refused(owner):
    with pytest.raises(ValidationError, match="future"):
        token_create(
            user=owner, name="ci", expires_at=timezone.now() - timedelta(seconds=1)
        )


def test_naive_expiry_is_refused(owner):
    naive = timezone.now().replace(tzinfo=None) + timedelta(days=1)

    with pytest.raises(ValidationError, match="timezone"):
        token_create(user=owner, name="ci", expires_at=naive)


def test_inactive_user_gets_no_token(owner):
    owner.is_active = False
    owner.save()

    with pytest.raises(ValidationError, match="inactive"):
        token_create(user=owner, name="ci")


def test_repo_restriction_is_stored_without_duplicates(owner):
    token, _secret = token_create(
        user=owner,
        name="deploy",
        repo_ids=["owner/bert-tiny", "acme/llama.v2", "owner/bert-tiny"],
    )

    token.refresh_from_db()
    assert token.repo_ids == ["owner/bert-tiny", "acme/llama.v2"]


@pytest.mark.parametrize(
    "repo_id",
    ["bert", "owner/", "/bert", "a/b/c", "owner/x.git", "own--er/bert", "owner/-x"],
)
def test_malformed_repo_restriction_is_refused(owner, repo_id):
    with pytest.raises(ValidationError):
        token_create(user=owner, name="deploy", repo_ids=[repo_id])
    assert not ApiToken.objects.exists()


def test_repo_restriction_as_a_bare_string_is_refused(owner):
    with pytest.raises(ValidationError, match="list"):
        token_create(user=owner, name="deploy", repo_ids="owner/bert")  # type: ignore[arg-type]


def test_authenticate_returns_token_with_its_user(owner):
    created, secret = token_create(user=owner, name="ci", scope="write")

    token = token_authenticate(secret=secret)

    assert token.pk == created.pk
    assert token.user == owner
    assert token.scope == "write"


@pytest.mark.parametrize("secret", ["", "mc_unknown", "x" * 10_000, "mc_\ud800"])
def test_authenticate_refuses_unknown_secret(owner, secret):
    token_create(user=owner, name="ci")

    with pytest.raises(AuthenticationError, match=INVALID):
        token_authenticate(secret=secret)


def test_authenticate_refuses_the_digest_in_place_of_the_secret(owner):
    token, _secret = token_create(user=owner, name="ci")

    with pytest.raises(AuthenticationError):
        token_authenticate(secret=token.digest)


def test_authenticate_refuses_revoked_token(owner):
    token, secret = token_create(user=owner, name="ci")
    token_revoke(token=token)

    with pytest.raises(AuthenticationError, match=INVALID):
        token_authenticate(secret=secret)


def test_authenticate_refuses_expired_token(owner):
    token, secret = token_create(
        user=owner, name="ci", expires_at=timezone.now() + timedelta(days=1)
    )
    assert token_authenticate(secret=secret).pk == token.pk
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    with pytest.raises(AuthenticationError, match=INVALID):
        token_authenticate(secret=secret)


def test_authenticate_refuses_token_of_inactive_user(owner):
    _token, secret = token_create(user=owner, name="ci")
    owner.is_active = False
    owner.save()

    with pytest.raises(AuthenticationError, match=INVALID):
        token_authenticate(secret=secret)


def test_revoke_is_idempotent_and_keeps_first_time(owner):
    token, _secret = token_create(user=owner, name="ci")
    token_revoke(token=token)
    first = token.revoked_at
    assert first is not None

    stale = ApiToken.objects.get(pk=token.pk)
    stale.revoked_at = None  # a copy loaded before the first revocation
    token_revoke(token=stale)

    assert stale.revoked_at == first
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert not stale.is_active


def test_authenticate_records_last_use(owner):
    token, secret = token_create(user=owner, name="ci")
    assert token.last_used_at is None
    before = timezone.now()

    authenticated = token_authenticate(secret=secret)

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at >= before
    assert authenticated.last_used_at == token.last_used_at


def test_last_use_is_written_at_most_once_a_minute(owner, django_assert_num_queries):
    token, secret = token_create(user=owner, name="ci")
    token_authenticate(secret=secret)
    token.refresh_from_db()
    first_use = token.last_used_at

    # A recent use: one SELECT, no UPDATE.
    with django_assert_num_queries(1):
        token_authenticate(secret=secret)
    token.refresh_from_db()
    assert token.last_used_at == first_use


def test_last_use_is_refreshed_once_older_than_a_minute(owner):
    token, secret = token_create(user=owner, name="ci")
    old = timezone.now() - LAST_USED_RESOLUTION - timedelta(seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=old)

    token_authenticate(secret=secret)

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at > old


def test_token_list_is_newest_first_and_does_not_load_digests(owner, stranger):
    older, _ = token_create(user=owner, name="older")
    newer, _ = token_create(user=owner, name="newer")
    token_create(user=stranger, name="not mine")

    tokens = list(token_list(user=owner))

    assert [t.pk for t in tokens] == [newer.pk, older.pk]
    assert all("digest" in t.get_deferred_fields() for t in tokens)
