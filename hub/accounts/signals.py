"""Sign-ins, failures and sign-outs into the audit log, for every backend.

Django sends ``user_logged_in`` / ``user_logged_out`` from ``login()`` and
``logout()`` and ``user_login_failed`` from ``authenticate()``, whichever
backend (local password, OpenID Connect, LDAP) was asked, so one receiver
each covers them all. A failure names the account tried in ``target``;
Django has already masked the password in ``credentials``, and only the
username is read from it anyway.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)

from hub.audit.services import audit_record

# A username longer than any account's is not one: keep the log row bounded.
MAX_TRIED_NAME = 150


def _backend_name(request: Any, user: Any) -> str:
    backend = getattr(user, "backend", "") or ""
    return backend.rsplit(".", 1)[-1]


def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(
        "auth.sign_in",
        actor=user,
        target=user.username,
        details={"backend": _backend_name(request, user)},
    )


def on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return  # signing out without a session: nothing happened
    audit_record("auth.sign_out", actor=user, target=user.username)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    tried = credentials.get("username")
    audit_record(
        "auth.sign_in_failed",
        target=str(tried or "")[:MAX_TRIED_NAME].replace("\x00", ""),
        details={"reason": "wrong_credentials"},
    )


def connect() -> None:
    """Connect the receivers (AccountsConfig.ready); idempotent."""
    user_logged_in.connect(on_logged_in, dispatch_uid="audit_sign_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="audit_sign_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit_sign_in_failed")
