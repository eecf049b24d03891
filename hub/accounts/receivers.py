"""Sign-in and sign-out keep the list of a user's sessions (every sign-in
path: password, the code step, single sign-on)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY

from hub.accounts.sessions import SEEN, TRACKED, session_forget, session_record
from hub.accounts.two_factor import ENROL_DUE, two_factor_device, two_factor_required
from hub.core.ratelimit import client_ip


def on_signed_in(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is None or not hasattr(request, "session"):
        return
    session = request.session
    if session.session_key is None:
        session.save()
    session_record(
        user=user,
        session_key=session.session_key or "",
        ip=client_ip(request),
        user_agent=str(request.META.get("HTTP_USER_AGENT", "")),
    )
    session[TRACKED] = True
    device = two_factor_device(user=user)
    if device is not None and DEVICE_ID_SESSION_KEY not in session:
        # Signed in without the code step (single sign-on, a test's login):
        # the first request (hub.accounts.middleware) sends it back there.
        session.pop(SEEN, None)
        return
    if device is None and two_factor_required(user=user):
        session[ENROL_DUE] = True
    session[SEEN] = time.time()


def on_signed_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_forget(session_key=request.session.session_key)


def connect() -> None:
    user_logged_in.connect(on_signed_in, dispatch_uid="hub.accounts.session_record")
    user_logged_out.connect(on_signed_out, dispatch_uid="hub.accounts.session_forget")
