"""Per request, for a signed-in session: is it still valid, and is it
allowed anything yet?

At most every HUB_SESSION_TOUCH_SECONDS (and on the first request after a
sign-in) the session is checked against the database:

- a session once tracked whose ``UserSession`` row is gone was revoked
  (hub/accounts/sessions.py): it ends here;
- a session signed in without a code (a sign-in path that skipped the
  second step, e.g. single sign-on) of a user who has a device goes back to
  the code step: the session is no longer signed in;
- a staff user without a device while HUB_STAFF_REQUIRE_2FA is on is sent
  to enrol, and until then every page but enrolment and sign-out redirects
  there (a request with an ``Authorization`` header is not redirected: its
  session counts for nothing, its token is judged by the API as usual);
- otherwise "last seen" is written (or the session adopted).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from hub.accounts.sessions import (
    SEEN,
    TRACKED,
    session_forget,
    session_record,
    session_touch,
)
from hub.accounts.two_factor import (
    ENROL_DUE,
    signin_pending_start,
    two_factor_device,
    two_factor_required,
)
from hub.core.ratelimit import client_ip


def _user_agent(request: HttpRequest) -> str:
    return str(request.META.get("HTTP_USER_AGENT", ""))


class AccountSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._check(request) if request.user.is_authenticated else None
        return response or self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        now = time.time()
        seen = session.get(SEEN)
        if seen is None or now - float(seen) >= settings.HUB_SESSION_TOUCH_SECONDS:
            response = self._refresh(request)
            if response is not None or not request.user.is_authenticated:
                return response
            session[SEEN] = now
        if session.get(ENROL_DUE):
            return self._enrol_first(request)
        return None

    def _refresh(self, request: HttpRequest) -> HttpResponse | None:
        session, user = request.session, request.user
        key = session.session_key or ""
        ip = client_ip(request)
        if not session_touch(session_key=key, ip=ip):
            if session.get(TRACKED):  # revoked: its row was deleted
                session.flush()
                request.user = AnonymousUser()
                return None
            session_record(
                user=user,  # type: ignore[arg-type]
                session_key=key,
                ip=ip,
                user_agent=_user_agent(request),
            )
            session[TRACKED] = True
        device = two_factor_device(user=user)
        if device is not None and DEVICE_ID_SESSION_KEY not in session:
            return self._back_to_code_step(request)
        if device is None and two_factor_required(user=user):
            session[ENROL_DUE] = True
        else:
            session.pop(ENROL_DUE, None)
        return None

    def _back_to_code_step(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        backend = str(session.get(BACKEND_SESSION_KEY, ""))
        user = request.user
        session_forget(session_key=session.session_key)
        for name in (SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY, TRACKED, SEEN):
            session.pop(name, None)
        signin_pending_start(session, user=user, backend=backend)  # type: ignore[arg-type]
        request.user = AnonymousUser()
        if (
            request.method in ("GET", "HEAD")
            and "HTTP_AUTHORIZATION" not in request.META
        ):
            return HttpResponseRedirect(
                f"{reverse('login-code')}?next={quote(request.get_full_path())}"
            )
        return None

    def _enrol_first(self, request: HttpRequest) -> HttpResponse | None:
        enrol = reverse("two-factor")
        if request.path == enrol or request.path in (reverse("logout"),):
            return None
        if request.path.startswith(
            settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL
        ):
            return None
        if "HTTP_AUTHORIZATION" in request.META:
            request.user = AnonymousUser()
            return None
        return HttpResponseRedirect(f"{enrol}?next={quote(request.get_full_path())}")
