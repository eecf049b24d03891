"""A user's signed-in sessions: recorded at sign-in, listed, revoked.

Django keeps sessions in its session store (the database engine: the hub
sets no other ``SESSION_ENGINE``) without saying whose they are, so each
sign-in also writes a ``UserSession`` row keyed by the session key. Revoking
deletes the session from the store, so its cookie is worth nothing from the
next request on, and deletes the row. A session carries ``TRACKED`` once it
has a row: a tracked session whose row is gone was revoked and is ended by
``hub.accounts.middleware`` even if the store still had it; sessions that
predate this code are adopted (given a row) on their next request.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from hub.accounts.models import User, UserSession
from hub.audit.services import audit_record
from hub.core.errors import NotFoundError

TRACKED = "_hub_session_tracked"
# When the middleware last checked the session (time.time()).
SEEN = "_hub_session_seen"
MAX_USER_AGENT = 300


def _address(ip: str) -> str | None:
    return ip if ip and ip != "unknown" else None


def session_record(*, user: User, session_key: str, ip: str, user_agent: str) -> None:
    """Write (or refresh) the row of ``session_key`` for ``user``: called at
    sign-in and when an untracked session is adopted. Idempotent."""
    UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "last_seen_at": timezone.now(),
            "ip": _address(ip),
            "user_agent": user_agent[:MAX_USER_AGENT],
        },
    )


def session_touch(*, session_key: str, ip: str) -> bool:
    """Mark the session seen now from ``ip``; False when it has no row."""
    return bool(
        UserSession.objects.filter(session_key=session_key).update(
            last_seen_at=timezone.now(), ip=_address(ip)
        )
    )


def session_rekey(*, old_key: str | None, new_key: str | None) -> None:
    """The session's key changed (``update_session_auth_hash`` cycles it):
    its row follows."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def session_forget(*, session_key: str | None) -> None:
    """The session ended (signed out): drop its row."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def session_list(*, user: User) -> QuerySet[UserSession]:
    """The user's sessions that may still be alive, most recently seen first."""
    horizon = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return UserSession.objects.filter(user=user, last_seen_at__gte=horizon).order_by(
        "-last_seen_at", "-pk"
    )


def _end(rows: Any) -> int:
    ended = 0
    for row in list(rows):
        SessionStore(session_key=row.session_key).delete()
        row.delete()
        ended += 1
    return ended


@transaction.atomic
def session_revoke(*, user: User, session_id: int) -> UserSession:
    """End one of ``user``'s sessions (another user's id is NotFoundError):
    its cookie stops working at once."""
    row = UserSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        raise NotFoundError("You have no session with that id.")
    _end([row])
    return row


@transaction.atomic
def sessions_revoke_others(
    *, user: User, keep_session_key: str | None, record: bool = True
) -> int:
    """End every session of ``user`` but ``keep_session_key``; returns how
    many. Records ``auth.sign_out_everywhere`` unless ``record`` is False
    (when a password change or two-factor enrolment does it as its part)."""
    ended = _end(
        UserSession.objects.filter(user=user).exclude(
            session_key=keep_session_key or ""
        )
    )
    if record:
        audit_record(
            "auth.sign_out_everywhere",
            actor=user,
            target=user.username,
            details={"sessions": ended},
        )
    return ended
