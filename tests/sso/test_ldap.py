"""Signing in with a directory password: the /login form against a real
OpenLDAP slapd on loopback (tests/sso/servers.py), through the same
sign-in backoff as local passwords."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

ldap = pytest.importorskip(
    "ldap", reason="python-ldap is not installed: pip install -e '.[ldap]'"
)

from hub.accounts.models import ExternalIdentity, Membership, User  # noqa: E402
from hub.audit.models import AuditEvent  # noqa: E402
from tests.factories import make_org, make_user  # noqa: E402
from tests.sso.conftest import apply_env, ldap_env  # noqa: E402
from tests.sso.servers import LdapServer  # noqa: E402

pytestmark = pytest.mark.django_db

ALICE_DN = "uid=alice,ou=people,dc=hub,dc=test"


@pytest.fixture
def ldap_on(directory, settings, monkeypatch) -> LdapServer:
    apply_env(settings, monkeypatch, ldap_env(directory))
    boss = make_user("boss")
    for name in ("research", "vision"):
        make_org(name, creator=boss)
    return directory


@pytest.fixture
def regroup(directory) -> Iterator:
    """Change a group's members in the directory; undone after the test."""
    undo: list[tuple[str, int, str]] = []
    connection = ldap.initialize(directory.uri)
    connection.simple_bind_s(directory.admin, directory.admin_password)

    def change(group: str, op: int, member_dn: str) -> None:
        dn = f"cn={group},ou=groups,{directory.base}"
        connection.modify_s(dn, [(op, "member", [member_dn.encode()])])
        undo.append(
            (dn, ldap.MOD_DELETE if op == ldap.MOD_ADD else ldap.MOD_ADD, member_dn)
        )

    yield change
    for dn, op, member_dn in reversed(undo):
        connection.modify_s(dn, [(op, "member", [member_dn.encode()])])
    connection.unbind_s()


def _sign_in(client, username: str, password: str):
    return client.post("/login", {"username": username, "password": password})


def _roles(username: str) -> dict[str, str]:
    return dict(
        Membership.objects.filter(user__username=username).values_list(
            "organization__name", "role"
        )
    )


def test_first_directory_sign_in_creates_the_user_staff_flag_and_memberships(
    client, ldap_on
):
    response = _sign_in(client, "alice", "alice-directory-pw")
    assert response.status_code == 302
    assert client.get("/settings/tokens").status_code == 200
    alice = User.objects.get(username="alice")
    assert alice.email == "alice@hub.test"
    assert alice.is_staff
    assert not alice.has_usable_password()
    assert ExternalIdentity.objects.get(provider="ldap", subject=ALICE_DN).user == alice
    assert _roles("alice") == {"research": "admin", "vision": "read"}
    assert (
        AuditEvent.objects.filter(
            action="org.member_set", target="alice", details__via="ldap"
        ).count()
        == 2
    )


def test_a_later_sign_in_follows_the_directory_groups(client, ldap_on, regroup):
    _sign_in(client, "alice", "alice-directory-pw")
    regroup("ml-admins", ldap.MOD_DELETE, ALICE_DN)
    client.logout()
    assert _sign_in(client, "alice", "alice-directory-pw").status_code == 302
    assert _roles("alice") == {"research": "write", "vision": "read"}
    regroup("ml-team", ldap.MOD_DELETE, ALICE_DN)
    regroup("hub-staff", ldap.MOD_DELETE, ALICE_DN)
    client.logout()
    assert _sign_in(client, "alice", "alice-directory-pw").status_code == 302
    assert _roles("alice") == {}
    assert not User.objects.get(username="alice").is_staff
    assert (
        AuditEvent.objects.filter(action="org.member_remove", target="alice").count()
        == 2
    )


def test_a_wrong_directory_password_fails_and_backs_off_like_a_local_one(
    client, ldap_on, settings
):
    settings.HUB_SIGNIN_FREE_FAILURES = 2
    for _ in range(2):
        response = _sign_in(client, "bob", "wrong")
        assert response.status_code == 200
        assert "did not match" in response.content.decode()
    assert not User.objects.filter(username="bob").exists()
    _sign_in(client, "bob", "wrong")  # the first attempt past the free ones
    throttled = _sign_in(client, "bob", "bob-directory-pw")
    assert throttled.status_code == 429
    assert "Too many failed sign-ins" in throttled.content.decode()
    assert not User.objects.filter(username="bob").exists()


def test_a_directory_name_taken_by_a_local_account_is_refused_clearly(client, ldap_on):
    carol = make_user("carol", password="carol-local-password-1")
    response = _sign_in(client, "carol", "carol-directory-pw")
    assert response.status_code == 200
    assert "already taken on this hub" in response.content.decode()
    assert client.get("/settings/tokens").status_code == 302
    assert not ExternalIdentity.objects.exists()
    # The local account itself still signs in with its own password.
    assert _sign_in(client, "carol", "carol-local-password-1").status_code == 302
    assert client.get("/settings/tokens").wsgi_request.user == carol


def test_a_disabled_directory_user_cannot_sign_in(client, ldap_on):
    _sign_in(client, "bob", "bob-directory-pw")
    client.logout()
    User.objects.filter(username="bob").update(is_active=False)
    response = _sign_in(client, "bob", "bob-directory-pw")
    assert response.status_code == 200
    assert "This account is disabled" in response.content.decode()
    assert client.get("/settings/tokens").status_code == 302


def test_with_local_accounts_off_only_directory_and_break_glass_passwords_work(
    client, directory, settings, monkeypatch
):
    apply_env(
        settings,
        monkeypatch,
        {**ldap_env(directory), "HUB_LOCAL_ACCOUNTS": "false"},
    )
    make_user("owner", password="owner-local-password-1")
    User.objects.create_superuser("root-admin", password="break-glass-pw-1")
    assert client.get("/signup").status_code == 404
    page = client.get("/login").content.decode()
    assert "/signup" not in page
    refused = _sign_in(client, "owner", "owner-local-password-1")
    assert refused.status_code == 200
    assert "did not match" in refused.content.decode()
    assert _sign_in(client, "root-admin", "break-glass-pw-1").status_code == 302
    client.logout()
    assert _sign_in(client, "bob", "bob-directory-pw").status_code == 302
    assert client.get("/settings/tokens").wsgi_request.user.username == "bob"
