"""Single sign-on fixtures: the hub configured by environment variables
(read again by hub.settings.sso's readers) against the real servers of
tests/sso/servers.py, each started once per module."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

from hub.accounts import oidc
from hub.settings.sso import authentication_backends, ldap_settings, oidc_settings
from tests.sso.servers import (
    CLIENT_ID,
    CLIENT_SECRET,
    LdapServer,
    OidcProvider,
    ldap_server,
    oidc_provider,
)

PROVIDER_NAME = "Test IdP"
GROUP_ROLES = "ml-admins=research:admin, ml-team=research:write, ml-team=vision:read"


@pytest.fixture(scope="module")
def provider(live_server) -> Iterator[OidcProvider]:
    with oidc_provider(f"{live_server.url}/login/sso/callback") as running:
        yield running


@pytest.fixture(scope="module")
def directory() -> Iterator[LdapServer]:
    with ldap_server() as running:
        yield running


def apply_env(settings, monkeypatch, env: dict[str, str]) -> None:
    """Set ``env`` and apply the SSO settings read from it, as at start-up."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    local = env.get("HUB_LOCAL_ACCOUNTS", "true") == "true"
    oidc_values, ldap_values = oidc_settings(), ldap_settings()
    for name, value in {**oidc_values, **ldap_values}.items():
        setattr(settings, name, value)
    settings.HUB_LOCAL_ACCOUNTS = local
    settings.AUTHENTICATION_BACKENDS = authentication_backends(
        local=local,
        oidc=oidc_values["HUB_OIDC_ENABLED"],
        ldap=ldap_values["HUB_LDAP_ENABLED"],
    )
    oidc._discovery_cache.clear()


def oidc_env(provider: OidcProvider) -> dict[str, str]:
    return {
        "HUB_OIDC_ISSUER": provider.issuer,
        "HUB_OIDC_CLIENT_ID": CLIENT_ID,
        "HUB_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "HUB_OIDC_PROVIDER_NAME": PROVIDER_NAME,
        "HUB_OIDC_SCOPES": "openid email profile groups",
        "HUB_OIDC_GROUP_ROLES": GROUP_ROLES,
    }


def ldap_env(directory: LdapServer) -> dict[str, str]:
    return {
        "HUB_LDAP_SERVER_URI": directory.uri,
        "HUB_LDAP_BIND_DN": directory.admin,
        "HUB_LDAP_BIND_PASSWORD": directory.admin_password,
        "HUB_LDAP_USER_SEARCH_BASE": f"ou=people,{directory.base}",
        "HUB_LDAP_GROUP_SEARCH_BASE": f"ou=groups,{directory.base}",
        "HUB_LDAP_GROUP_ROLES": GROUP_ROLES,
        "HUB_LDAP_STAFF_GROUP_DN": f"cn=hub-staff,ou=groups,{directory.base}",
    }


@pytest.fixture
def oidc_on(provider, settings, monkeypatch) -> OidcProvider:
    provider.reset()
    apply_env(settings, monkeypatch, oidc_env(provider))
    return provider


def provider_callback_url(session: requests.Session, start_url: str, sub: str) -> str:
    """Follow the hub's redirect to the provider, submit its sign-in form as
    ``sub``, and follow the provider's redirects up to (not into) the hub's
    callback; that callback URL, with its code and state."""
    page = session.get(start_url, timeout=30)
    page.raise_for_status()
    action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert action, f"no sign-in form at {page.url}: {page.text[:300]}"
    response = session.post(
        urljoin(page.url, action.group(1)),
        data={"prompt": "login", "login": sub, "password": "any"},
        timeout=30,
        allow_redirects=False,
    )
    for _ in range(10):
        assert response.status_code in (302, 303), response.text[:300]
        target = urljoin(response.url, response.headers["Location"])
        if "/login/sso/callback" in target:
            return target
        response = session.get(target, timeout=30, allow_redirects=False)
    raise AssertionError("the provider never sent the browser back")


def provider_sign_in(
    session: requests.Session, start_url: str, sub: str
) -> requests.Response:
    """The whole flow as ``sub``: the hub's last response."""
    return session.get(provider_callback_url(session, start_url, sub), timeout=30)


@pytest.fixture
def sign_in_oidc(live_server) -> Any:
    def run(sub: str, session: requests.Session | None = None) -> requests.Response:
        return provider_sign_in(
            session or requests.Session(), f"{live_server.url}/login/sso", sub
        )

    return run
