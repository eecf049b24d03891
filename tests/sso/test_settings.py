"""Single sign-on is configured by environment variables; a malformed one
stops the start-up with a message naming it (hub.settings.sso)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from hub.accounts import oidc
from hub.settings.sso import (
    authentication_backends,
    ldap_settings,
    oidc_settings,
    parse_group_roles,
)


def test_group_roles_map_groups_to_roles_in_one_or_more_orgs():
    assert parse_group_roles(
        "X", " ml-admins=research:admin, ml-team=research:write,ml-team=vision:read ,"
    ) == {
        "ml-admins": (("research", "admin"),),
        "ml-team": (("research", "write"), ("vision", "read")),
    }
    # Group names may contain "=": the last one separates.
    assert parse_group_roles("X", "team=ml=research:read") == {
        "team=ml": (("research", "read"),)
    }


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("ml-team", "group=organization:role"),
        ("ml-team=research", "group=organization:role"),
        ("=research:read", "group=organization:role"),
        ("ml-team=:read", "group=organization:role"),
        ("ml-team=research:owner", "'owner'"),
    ],
)
def test_a_malformed_group_mapping_names_the_variable_and_the_item(raw, says):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        parse_group_roles("HUB_OIDC_GROUP_ROLES", raw)
    assert "HUB_OIDC_GROUP_ROLES" in str(excinfo.value)
    assert says in str(excinfo.value)


def test_oidc_is_off_without_a_client_id_and_needs_issuer_and_secret(monkeypatch):
    monkeypatch.delenv("HUB_OIDC_CLIENT_ID", raising=False)
    assert oidc_settings()["HUB_OIDC_ENABLED"] is False
    monkeypatch.setenv("HUB_OIDC_CLIENT_ID", "hub")
    with pytest.raises(ImproperlyConfigured, match="HUB_OIDC_ISSUER"):
        oidc_settings()
    monkeypatch.setenv("HUB_OIDC_ISSUER", "https://id.example.org/")
    with pytest.raises(ImproperlyConfigured, match="HUB_OIDC_CLIENT_SECRET"):
        oidc_settings()
    monkeypatch.setenv("HUB_OIDC_CLIENT_SECRET", "s")
    values = oidc_settings()
    assert values["HUB_OIDC_ISSUER"] == "https://id.example.org"
    assert values["OIDC_USE_PKCE"] and values["OIDC_USE_NONCE"]


def test_ldap_needs_a_user_search_base(monkeypatch):
    pytest.importorskip("ldap", reason="python-ldap is not installed")
    monkeypatch.setenv("HUB_LDAP_SERVER_URI", "ldap://127.0.0.1:1")
    monkeypatch.delenv("HUB_LDAP_USER_SEARCH_BASE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="HUB_LDAP_USER_SEARCH_BASE"):
        ldap_settings()


def test_local_passwords_are_left_to_superusers_when_local_accounts_are_off():
    assert authentication_backends(local=True, oidc=True, ldap=True) == [
        "hub.accounts.ldap.HubLdapBackend",
        "hub.accounts.oidc.HubOidcBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    assert authentication_backends(local=False, oidc=False, ldap=False) == [
        "hub.accounts.backends.BreakGlassBackend"
    ]


def test_explicit_endpoints_win_over_discovery(monkeypatch, settings):
    monkeypatch.setenv("HUB_OIDC_CLIENT_ID", "hub")
    monkeypatch.setenv("HUB_OIDC_CLIENT_SECRET", "s")
    # Nothing listens on port 9: discovery would fail.
    monkeypatch.setenv("HUB_OIDC_ISSUER", "http://127.0.0.1:9")
    monkeypatch.setenv("HUB_OIDC_JWKS_URI", "http://127.0.0.1:9/keys")
    for name, value in oidc_settings().items():
        setattr(settings, name, value)
    oidc._discovery_cache.clear()
    assert oidc.oidc_setting("OIDC_OP_JWKS_ENDPOINT") == "http://127.0.0.1:9/keys"
    with pytest.raises(oidc.OidcProviderUnavailableError):
        oidc.oidc_setting("OIDC_OP_TOKEN_ENDPOINT")
