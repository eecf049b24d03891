"""OpenID Connect sign-in: mozilla-django-oidc's authorization-code flow
(state, nonce and PKCE kept in the session), with the hub's rules on top.

* The provider's endpoints come from its discovery document
  (``HUB_OIDC_ISSUER/.well-known/openid-configuration``), fetched on first
  use and kept for an hour; an explicit ``OIDC_OP_*`` setting wins.
* The ID token must name this provider as issuer and this hub as audience
  (the library checks neither).
* The user is found by the provider's ``sub`` (hub.accounts.sso), never by
  e-mail, and their memberships follow the groups claim.
"""

from __future__ import annotations

import time
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from hub.accounts.models import ExternalIdentity, User
from hub.accounts.sso import sso_identity_resolve, sso_memberships_sync

DISCOVERY_TTL_SECONDS = 3600
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovery_cache: dict[str, tuple[float, dict[str, Any]]] = {}


class OidcProviderUnavailableError(Exception):
    """The provider's discovery document could not be read."""


def oidc_discovery(issuer: str) -> dict[str, Any]:
    """The provider's discovery document (cached an hour per issuer).

    Raises OidcProviderUnavailableError when it cannot be fetched or does not
    name the issuer it was fetched for."""
    cached = _discovery_cache.get(issuer)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(
            url,
            timeout=settings.OIDC_TIMEOUT,
            verify=settings.OIDC_VERIFY_SSL,
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OidcProviderUnavailableError(f"{url}: {exc}") from exc
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise OidcProviderUnavailableError(f"{url} does not describe {issuer}")
    _discovery_cache[issuer] = (time.monotonic() + DISCOVERY_TTL_SECONDS, document)
    return document


def oidc_setting(attr: str, *args: Any) -> Any:
    """A mozilla-django-oidc setting; the provider's endpoints default to the
    ones its discovery document names."""
    if attr in _DISCOVERED and not hasattr(settings, attr):
        value = oidc_discovery(settings.HUB_OIDC_ISSUER).get(_DISCOVERED[attr])
        if not value:
            raise ImproperlyConfigured(f"The provider names no {_DISCOVERED[attr]}")
        return value
    return import_from_settings(attr, *args)


def _groups(claims: dict[str, Any]) -> list[str]:
    value = claims.get(settings.HUB_OIDC_GROUPS_CLAIM) or []
    if isinstance(value, str):
        return [value]
    return [str(group) for group in value if isinstance(group, str | int)]


class HubOidcBackend(OIDCAuthenticationBackend):
    """Authenticates the callback of the authorization-code flow only."""

    get_settings = staticmethod(oidc_setting)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback view passes a nonce: a password form whose URL
        # carries ?code=&state= must not start a token exchange.
        if "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != settings.HUB_OIDC_ISSUER:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is meant for another client.")
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User:
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The user info is about someone else.")
        claims = {**payload, **claims}
        identity = sso_identity_resolve(
            provider=ExternalIdentity.Provider.OIDC,
            subject=str(payload.get("sub") or ""),
            username=str(claims.get(settings.HUB_OIDC_USERNAME_CLAIM) or ""),
            email=str(claims.get("email") or "")
            if claims.get("email_verified")
            else "",
        )
        sso_memberships_sync(
            identity=identity,
            groups=_groups(claims),
            mapping=settings.HUB_OIDC_GROUP_ROLES,
        )
        return identity.user
