"""Sign-in and sign-out keep the list of a user's sessions (every sign-in
path: password, the code step, single sign-on)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.http import HttpRequest

from hub.accounts.sessions import SEEN, TRACKED, session_forget, session_record
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
    # The first request of the new session is checked in full
    # (hub.accounts.middleware): a code step skipped, enrolment due.
    session.pop(SEEN, None)


def on_signed_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_forget(session_key=request.session.session_key)


def connect() -> None:
    user_logged_in.connect(on_signed_in, dispatch_uid="hub.accounts.session_record")
    user_logged_out.connect(on_signed_out, dispatch_uid="hub.accounts.session_forget")
