"""Single sign-on: OpenID Connect, LDAP, and whether local accounts stay.

OpenID Connect is on when HUB_OIDC_CLIENT_ID is set, LDAP when
HUB_LDAP_SERVER_URI is (that needs the ``[ldap]`` extra). Both map their
groups onto organization roles with ``group=org:role`` lists (see
``parse_group_roles``). The readers are functions so that tests can read a
changed environment again; the module applies them once at start-up.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from hub.env import env_bool, env_int, env_str

_ROLES = ("admin", "write", "read")


def parse_group_roles(name: str, raw: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """``ml-admins=research:admin, ml-team=research:write`` as
    {group: ((org, role), ...)}; a group may grant roles in several orgs."""
    mapping: dict[str, list[tuple[str, str]]] = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        group, sep, grant = item.rpartition("=")
        org, colon, role = grant.partition(":")
        if not sep or not colon or not group.strip() or not org.strip():
            raise ImproperlyConfigured(
                f"{name}: {item!r} must have the form group=organization:role"
            )
        if role.strip() not in _ROLES:
            raise ImproperlyConfigured(
                f"{name}: {item!r} has the role {role.strip()!r}; use one of "
                f"{', '.join(_ROLES)}"
            )
        mapping.setdefault(group.strip(), []).append((org.strip(), role.strip()))
    return {group: tuple(grants) for group, grants in mapping.items()}


# What the rest of the hub reads while a provider is off.
_OIDC_OFF: dict[str, Any] = {
    "HUB_OIDC_ENABLED": False,
    "HUB_OIDC_ISSUER": "",
    "HUB_OIDC_PROVIDER_NAME": "",
    "HUB_OIDC_USERNAME_CLAIM": "preferred_username",
    "HUB_OIDC_GROUPS_CLAIM": "groups",
    "HUB_OIDC_GROUP_ROLES": {},
    "OIDC_RP_CLIENT_ID": "",
    "OIDC_VERIFY_SSL": True,
    "OIDC_TIMEOUT": 10,
}
_LDAP_OFF: dict[str, Any] = {
    "HUB_LDAP_ENABLED": False,
    "HUB_LDAP_GROUP_ROLES": {},
    "HUB_LDAP_USERNAME_ATTR": "uid",
    "HUB_LDAP_EMAIL_ATTR": "mail",
}


# Endpoints for a provider without a discovery document (each one set wins
# over discovery).
_OIDC_ENDPOINTS = (
    ("HUB_OIDC_AUTHORIZATION_ENDPOINT", "OIDC_OP_AUTHORIZATION_ENDPOINT"),
    ("HUB_OIDC_TOKEN_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT"),
    ("HUB_OIDC_USERINFO_ENDPOINT", "OIDC_OP_USER_ENDPOINT"),
    ("HUB_OIDC_JWKS_URI", "OIDC_OP_JWKS_ENDPOINT"),
)


def oidc_settings() -> dict[str, Any]:
    """The OpenID Connect settings from the environment (off: _OIDC_OFF)."""
    client_id = env_str("HUB_OIDC_CLIENT_ID") or ""
    if not client_id:
        return dict(_OIDC_OFF)
    issuer = (env_str("HUB_OIDC_ISSUER") or "").rstrip("/")
    if not issuer.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            "HUB_OIDC_ISSUER must be the provider's issuer URL (its discovery "
            "document is ISSUER/.well-known/openid-configuration)"
        )
    secret = env_str("HUB_OIDC_CLIENT_SECRET") or ""
    if not secret:
        raise ImproperlyConfigured("HUB_OIDC_CLIENT_SECRET (or _FILE) is required")
    endpoints = {
        setting: value
        for name, setting in _OIDC_ENDPOINTS
        if (value := env_str(name) or "")
    }
    return endpoints | {
        "HUB_OIDC_ENABLED": True,
        "HUB_OIDC_ISSUER": issuer,
        "HUB_OIDC_PROVIDER_NAME": env_str("HUB_OIDC_PROVIDER_NAME") or "single sign-on",
        "HUB_OIDC_USERNAME_CLAIM": env_str("HUB_OIDC_USERNAME_CLAIM")
        or "preferred_username",
        "HUB_OIDC_GROUPS_CLAIM": env_str("HUB_OIDC_GROUPS_CLAIM") or "groups",
        "HUB_OIDC_GROUP_ROLES": parse_group_roles(
            "HUB_OIDC_GROUP_ROLES", env_str("HUB_OIDC_GROUP_ROLES") or ""
        ),
        # mozilla-django-oidc's own names; the endpoints come from discovery
        # (hub.accounts.oidc) unless set here.
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": secret,
        "OIDC_RP_SCOPES": env_str("HUB_OIDC_SCOPES") or "openid email profile",
        "OIDC_RP_SIGN_ALGO": env_str("HUB_OIDC_SIGN_ALGO") or "RS256",
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_VERIFY_SSL": env_bool("HUB_OIDC_VERIFY_TLS", True),
        "OIDC_TIMEOUT": env_int("HUB_OIDC_TIMEOUT_SECONDS", 10, minimum=1),
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_CREATE_USER": True,
        "LOGIN_REDIRECT_URL_FAILURE": "/login?sso=failed",
    }


def ldap_settings() -> dict[str, Any]:
    """The LDAP settings (django-auth-ldap's names) from the environment."""
    uri = env_str("HUB_LDAP_SERVER_URI") or ""
    if not uri:
        return dict(_LDAP_OFF)
    try:
        import ldap
        from django_auth_ldap.config import GroupOfNamesType, LDAPSearch
    except ImportError as exc:
        raise ImproperlyConfigured(
            "HUB_LDAP_SERVER_URI is set but LDAP support is not installed: "
            "pip install 'model-commons[ldap]' (needs libldap2-dev libsasl2-dev)"
        ) from exc
    user_base = env_str("HUB_LDAP_USER_SEARCH_BASE") or ""
    group_base = env_str("HUB_LDAP_GROUP_SEARCH_BASE") or ""
    if not user_base:
        raise ImproperlyConfigured("HUB_LDAP_USER_SEARCH_BASE is required with LDAP")
    flags = {}
    if staff := env_str("HUB_LDAP_STAFF_GROUP_DN") or "":
        flags["is_staff"] = staff
    return {
        "HUB_LDAP_ENABLED": True,
        "HUB_LDAP_GROUP_ROLES": parse_group_roles(
            "HUB_LDAP_GROUP_ROLES", env_str("HUB_LDAP_GROUP_ROLES") or ""
        ),
        "HUB_LDAP_USERNAME_ATTR": env_str("HUB_LDAP_USERNAME_ATTR") or "uid",
        "HUB_LDAP_EMAIL_ATTR": env_str("HUB_LDAP_EMAIL_ATTR") or "mail",
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_START_TLS": env_bool("HUB_LDAP_START_TLS", False),
        "AUTH_LDAP_BIND_DN": env_str("HUB_LDAP_BIND_DN") or "",
        "AUTH_LDAP_BIND_PASSWORD": env_str("HUB_LDAP_BIND_PASSWORD") or "",
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            user_base,
            ldap.SCOPE_SUBTREE,
            env_str("HUB_LDAP_USER_FILTER") or "(uid=%(user)s)",
        ),
        "AUTH_LDAP_GROUP_SEARCH": LDAPSearch(
            group_base or user_base,
            ldap.SCOPE_SUBTREE,
            env_str("HUB_LDAP_GROUP_FILTER") or "(objectClass=groupOfNames)",
        ),
        "AUTH_LDAP_GROUP_TYPE": GroupOfNamesType(name_attr="cn"),
        "AUTH_LDAP_FIND_GROUP_PERMS": False,
        "AUTH_LDAP_MIRROR_GROUPS": False,
        "AUTH_LDAP_USER_ATTR_MAP": {
            "email": env_str("HUB_LDAP_EMAIL_ATTR") or "mail",
        },
        "AUTH_LDAP_USER_FLAGS_BY_GROUP": flags,
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: env_int("HUB_LDAP_TIMEOUT_SECONDS", 10, minimum=1)
        },
    }


def authentication_backends(*, local: bool, oidc: bool, ldap: bool) -> list[str]:
    """LDAP first (a directory user never falls through to a local password),
    then OpenID Connect, then local passwords (only superusers when local
    accounts are off: the break-glass account of ``manage.py
    createsuperuser``)."""
    backends = []
    if ldap:
        backends.append("hub.accounts.ldap.HubLdapBackend")
    if oidc:
        backends.append("hub.accounts.oidc.HubOidcBackend")
    backends.append(
        "django.contrib.auth.backends.ModelBackend"
        if local
        else "hub.accounts.backends.BreakGlassBackend"
    )
    return backends


# Local sign-up and password sign-in (false: sign-up is gone and only
# superusers may use a local password).
HUB_LOCAL_ACCOUNTS = env_bool("HUB_LOCAL_ACCOUNTS", True)
_OIDC = oidc_settings()
_LDAP = ldap_settings()
# Named one by one so that code (and mypy's django plugin) sees them; the
# library-only names (OIDC_*, AUTH_LDAP_*) are applied in bulk below.
HUB_OIDC_ENABLED: bool = _OIDC["HUB_OIDC_ENABLED"]
HUB_OIDC_ISSUER: str = _OIDC["HUB_OIDC_ISSUER"]
HUB_OIDC_PROVIDER_NAME: str = _OIDC["HUB_OIDC_PROVIDER_NAME"]
HUB_OIDC_USERNAME_CLAIM: str = _OIDC["HUB_OIDC_USERNAME_CLAIM"]
HUB_OIDC_GROUPS_CLAIM: str = _OIDC["HUB_OIDC_GROUPS_CLAIM"]
HUB_OIDC_GROUP_ROLES: dict[str, tuple[tuple[str, str], ...]] = _OIDC[
    "HUB_OIDC_GROUP_ROLES"
]
OIDC_RP_CLIENT_ID: str = _OIDC["OIDC_RP_CLIENT_ID"]
OIDC_VERIFY_SSL: bool = _OIDC["OIDC_VERIFY_SSL"]
OIDC_TIMEOUT: int = _OIDC["OIDC_TIMEOUT"]
HUB_LDAP_ENABLED: bool = _LDAP["HUB_LDAP_ENABLED"]
HUB_LDAP_GROUP_ROLES: dict[str, tuple[tuple[str, str], ...]] = _LDAP[
    "HUB_LDAP_GROUP_ROLES"
]
HUB_LDAP_USERNAME_ATTR: str = _LDAP["HUB_LDAP_USERNAME_ATTR"]
HUB_LDAP_EMAIL_ATTR: str = _LDAP["HUB_LDAP_EMAIL_ATTR"]
globals().update(_OIDC)
globals().update(_LDAP)
AUTHENTICATION_BACKENDS = authentication_backends(
    local=HUB_LOCAL_ACCOUNTS, oidc=HUB_OIDC_ENABLED, ldap=HUB_LDAP_ENABLED
)
