"""Signing in with OpenID Connect: the whole authorization-code flow over
real HTTP, between the live hub and a real OpenID provider on loopback
(oidc-provider under node, tests/sso/servers.py)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.contrib.sessions.backends.db import SessionStore

from hub.accounts.models import ExternalIdentity, Membership, User
from hub.audit.models import AuditEvent
from tests.factories import make_org, make_user
from tests.sso.conftest import PROVIDER_NAME, provider_callback_url

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def orgs(db):
    boss = make_user("boss")
    return {name: make_org(name, creator=boss) for name in ("research", "vision")}


def _roles(username: str) -> dict[str, str]:
    return dict(
        Membership.objects.filter(user__username=username).values_list(
            "organization__name", "role"
        )
    )


def _signed_in_as(response: requests.Response) -> str | None:
    found = re.search(r"Signed in as <strong>([^<]+)</strong>", response.text)
    return found.group(1) if found else None


def test_first_sign_in_creates_the_user_and_memberships_from_groups(
    oidc_on, orgs, sign_in_oidc, live_server
):
    oidc_on.set_account(
        "idp-0001",
        preferred_username="alice",
        email="alice@idp.test",
        email_verified=True,
        groups=["ml-admins", "ml-team", "unmapped"],
    )
    response = sign_in_oidc("idp-0001")
    assert response.status_code == 200
    assert response.url == f"{live_server.url}/"
    assert _signed_in_as(response) == "alice"
    alice = User.objects.get(username="alice")
    assert alice.email == "alice@idp.test"
    assert not alice.has_usable_password()
    identity = ExternalIdentity.objects.get(provider="oidc", subject="idp-0001")
    assert identity.user == alice
    # ml-admins and ml-team both grant research: the stronger role wins.
    assert _roles("alice") == {"research": "admin", "vision": "read"}
    events = AuditEvent.objects.filter(action="org.member_set", target="alice")
    assert {(e.organization, e.details["role"], e.details["via"]) for e in events} == {
        ("research", "admin", "oidc"),
        ("vision", "read", "oidc"),
    }


def test_later_sign_ins_follow_group_changes_and_leave_other_memberships(
    oidc_on, orgs, sign_in_oidc
):
    oidc_on.set_account(
        "idp-0002", preferred_username="alice", groups=["ml-admins", "ml-team"]
    )
    sign_in_oidc("idp-0002")
    alice = User.objects.get(username="alice")
    boss = User.objects.get(username="boss")
    hand_made = make_org("hand-made", creator=boss)
    Membership.objects.create(organization=hand_made, user=alice, role="write")

    oidc_on.set_account("idp-0002", preferred_username="alice", groups=["ml-team"])
    assert _signed_in_as(sign_in_oidc("idp-0002")) == "alice"
    assert _roles("alice") == {
        "research": "write",
        "vision": "read",
        "hand-made": "write",
    }

    oidc_on.set_account("idp-0002", preferred_username="alice", groups=[])
    assert _signed_in_as(sign_in_oidc("idp-0002")) == "alice"
    assert _roles("alice") == {"hand-made": "write"}
    removed = AuditEvent.objects.filter(action="org.member_remove", target="alice")
    assert sorted(removed.values_list("organization", flat=True)) == [
        "research",
        "vision",
    ]
    changed = AuditEvent.objects.get(
        action="org.member_set", target="alice", details__previous="admin"
    )
    assert changed.organization == "research"


def test_the_identity_is_linked_by_sub_not_by_a_changed_username(
    oidc_on, orgs, sign_in_oidc
):
    oidc_on.set_account("idp-0003", preferred_username="alice")
    sign_in_oidc("idp-0003")
    oidc_on.set_account("idp-0003", preferred_username="someone-else")
    assert _signed_in_as(sign_in_oidc("idp-0003")) == "alice"
    assert not User.objects.filter(username="someone-else").exists()


def test_a_username_taken_locally_gets_a_clear_page_and_no_account(
    oidc_on, orgs, sign_in_oidc, live_server
):
    make_user("carol", email="carol@idp.test")
    # Same name and even the same verified e-mail: still not carol's account.
    oidc_on.set_account(
        "idp-0004",
        preferred_username="carol",
        email="carol@idp.test",
        email_verified=True,
        groups=["ml-admins"],
    )
    session = requests.Session()
    response = sign_in_oidc("idp-0004", session)
    assert response.status_code == 403
    assert (
        "The username &#x27;carol&#x27; that OpenID Connect gives you is already"
        in (response.text)
    )
    assert _signed_in_as(response) is None
    assert not ExternalIdentity.objects.exists()
    assert _roles("carol") == {}
    home = session.get(f"{live_server.url}/", timeout=30)
    assert _signed_in_as(home) is None


def test_a_username_that_is_no_valid_namespace_is_refused_with_the_reason(
    oidc_on, orgs, sign_in_oidc
):
    oidc_on.set_account("idp-0005", preferred_username="settings")
    response = sign_in_oidc("idp-0005")
    assert response.status_code == 403
    assert "is reserved" in response.text
    assert not User.objects.filter(username="settings").exists()


def test_a_disabled_account_cannot_sign_in(oidc_on, orgs, sign_in_oidc):
    oidc_on.set_account("idp-0006", preferred_username="dave", groups=["ml-team"])
    sign_in_oidc("idp-0006")
    User.objects.filter(username="dave").update(is_active=False)
    oidc_on.set_account("idp-0006", preferred_username="dave", groups=["ml-admins"])
    response = sign_in_oidc("idp-0006")
    assert response.status_code == 401
    assert "This account is disabled" in response.text
    assert _signed_in_as(response) is None
    assert _roles("dave") == {"research": "write", "vision": "read"}


def test_a_tampered_state_is_refused_cleanly(oidc_on, orgs, live_server):
    oidc_on.set_account("idp-0007", preferred_username="erin")
    session = requests.Session()
    callback = provider_callback_url(
        session, f"{live_server.url}/login/sso", "idp-0007"
    )
    parts = urlsplit(callback)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query["state"] = "forged-state"
    response = session.get(
        f"{live_server.url}{parts.path}?{urlencode(query)}", timeout=30
    )
    assert response.status_code == 400
    assert "could not be verified" in response.text
    assert not User.objects.filter(username="erin").exists()


def test_a_tampered_nonce_is_refused_cleanly(oidc_on, orgs, live_server):
    oidc_on.set_account("idp-0008", preferred_username="erin")
    session = requests.Session()
    callback = provider_callback_url(
        session, f"{live_server.url}/login/sso", "idp-0008"
    )
    state = parse_qs(urlsplit(callback).query)["state"][0]
    # The nonce this hub expects is changed: the provider's signed ID token
    # then carries another one.
    store = SessionStore(session_key=session.cookies["sessionid"])
    states = store["oidc_states"]
    states[state]["nonce"] = "forged-nonce"
    store["oidc_states"] = states
    store.save()
    response = session.get(callback, timeout=30)
    assert response.status_code == 400
    assert "could not be verified" in response.text
    assert not User.objects.filter(username="erin").exists()


def test_a_replayed_callback_signs_nobody_in(oidc_on, orgs, live_server):
    oidc_on.set_account("idp-0009", preferred_username="frank")
    first = requests.Session()
    callback = provider_callback_url(first, f"{live_server.url}/login/sso", "idp-0009")
    assert _signed_in_as(first.get(callback, timeout=30)) == "frank"
    # Someone else replays the URL: their session never started this sign-in.
    other = requests.Session()
    replay = other.get(callback, timeout=30)
    assert replay.status_code in (200, 400)
    assert _signed_in_as(replay) is None
    # And the same browser cannot use the code twice either.
    again = first.get(callback, timeout=30)
    assert again.status_code == 400


def test_an_error_from_the_provider_returns_to_the_sign_in_page(oidc_on, live_server):
    response = requests.get(
        f"{live_server.url}/login/sso/callback?error=access_denied&state=x",
        timeout=30,
    )
    assert response.status_code == 200
    assert urlsplit(response.url).path == "/login"
    assert f"Sign-in with {PROVIDER_NAME} did not complete" in response.text


def test_the_sign_in_page_offers_the_provider_only_when_configured(
    client, settings, provider, oidc_on
):
    page = client.get("/login")
    assert f"Sign in with {PROVIDER_NAME}" in page.content.decode()
    settings.HUB_OIDC_ENABLED = False
    page = client.get("/login")
    assert "Sign in with" not in page.content.decode()
    assert client.get("/login/sso").status_code == 404
    assert client.get("/login/sso/callback?code=a&state=b").status_code == 404


def test_an_unreachable_provider_gets_a_page_not_a_500(client, settings, oidc_on):
    settings.HUB_OIDC_ISSUER = "http://127.0.0.1:9"
    response = client.get("/login/sso")
    assert response.status_code == 502
    assert "could not be reached" in response.content.decode()


def test_a_next_pointing_off_site_is_dropped(oidc_on, orgs, live_server):
    oidc_on.set_account("idp-0010", preferred_username="heidi")
    session = requests.Session()
    callback = provider_callback_url(
        session, f"{live_server.url}/login/sso?next=https://evil.example/", "idp-0010"
    )
    response = session.get(callback, timeout=30)
    assert response.url == f"{live_server.url}/"
    assert _signed_in_as(response) == "heidi"
