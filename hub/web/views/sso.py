"""``/login/sso``: sign in with the OpenID provider (authorization-code
flow of mozilla-django-oidc, with hub.accounts.oidc's backend).

Whatever goes wrong on the way back (a tampered state or nonce, a provider
that is down, a username the hub cannot give) ends on a page that says what
happened, never a 500.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from hub.accounts.oidc import OidcProviderUnavailableError, oidc_setting
from hub.core.errors import ApplicationError

logger = logging.getLogger(__name__)

TAMPERED = (
    "This sign-in could not be verified (its state or token did not match the "
    "one this hub started). Nothing was changed; start again from the sign-in "
    "page."
)
UNAVAILABLE = (
    "The identity provider could not be reached. Try again in a moment, or ask "
    "an administrator."
)


def _sso_error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request,
        "web/accounts/sso_error.html",
        {"message": message, "provider_name": settings.HUB_OIDC_PROVIDER_NAME},
        status=status,
    )


def _require_oidc() -> None:
    if not getattr(settings, "HUB_OIDC_ENABLED", False):
        raise Http404("Single sign-on is not configured on this hub.")


class OidcSignInView(OIDCAuthenticationRequestView):
    """Redirects to the provider with a fresh state, nonce and PKCE pair."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs: object) -> None:
        # The parent reads the endpoints here; they are read in get(), where
        # an unreachable provider can be answered with a page.
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_oidc()
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except OidcProviderUnavailableError as exc:
            logger.warning("oidc: discovery failed: %s", exc)
            return _sso_error(request, UNAVAILABLE, 502)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back with a code."""

    get_settings = staticmethod(oidc_setting)

    @property
    def success_url(self) -> str:
        # The ``next`` the sign-in started with (checked by the library when
        # it was stored), else the home page.
        return str(self.request.session.get("oidc_login_next") or "/")

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_oidc()
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            logger.warning("oidc: refused callback: %s", exc)
            return _sso_error(request, TAMPERED, 400)
        except ApplicationError as exc:
            return _sso_error(request, exc.message, exc.http_status)
        except (OidcProviderUnavailableError, requests.RequestException) as exc:
            logger.warning("oidc: provider failed: %s", exc)
            return _sso_error(request, UNAVAILABLE, 502)
