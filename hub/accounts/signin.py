"""Signing in with a password, with backoff per account and per client IP
(issue 13, hole 12): passwords cannot be guessed at full speed.

Each attempt is counted before the password is checked, so parallel
attempts cannot all slip through before the first failure is recorded. An
account gets HUB_SIGNIN_FREE_FAILURES attempts, a client IP (across all
accounts) HUB_SIGNIN_FREE_FAILURES_PER_IP; past those, each attempt must
wait 1 s after the one before, then 2 s, 4 s, ... up to
HUB_SIGNIN_BACKOFF_MAX_SECONDS. While waiting, even the right password is
refused, so the answer tells a guesser nothing. A successful sign-in
forgets its account's failures and gives its IP the attempt back (many
people may share one address). Counters live in the shared cache
(hub.core.ratelimit) and are forgotten HUB_SIGNIN_FAILURE_MEMORY_SECONDS
after the first failure. While the cache is unreachable, sign-in works
without backoff (and says so in the log), like every rate limit of the hub:
an outage of Redis must not lock everyone out, and the password hasher still
bounds how fast a guesser can go.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.http import HttpRequest

from hub.accounts.models import User
from hub.audit.services import audit_record
from hub.core.errors import RateLimitedError
from hub.core.ratelimit import counter_decr, counter_incr, seconds_text

logger = logging.getLogger(__name__)


class SignInThrottledError(RateLimitedError):
    """Too many failed sign-ins for this account or from this address."""


def _keys(kind: str, ident: str) -> tuple[str, str]:
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"signin:{kind}:{digest}:attempts", f"signin:{kind}:{digest}:gate"


def _wait(until: float | None, now: float) -> int | None:
    if until is None or until <= now:
        return None
    return max(1, math.ceil(until - now))


def _cache_call(method: str, *args: Any, **kwargs: Any) -> Any:
    """A cache call, or None while the cache is down (fail open)."""
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception:  # the cache (Redis) is unreachable
        logger.warning("sign-in backoff not applied: cache unavailable")
        return None


def _admit(kind: str, ident: str, *, free: int, now: float) -> int | None:
    """Count an attempt of ``ident``; None if it may go ahead, else the
    seconds to wait. Past the free attempts, one attempt per backoff period
    passes the gate (``cache.add`` is atomic: one caller wins)."""
    attempts_key, gate_key = _keys(kind, ident)
    wait = _wait(_cache_call("get", gate_key), now)
    if wait is not None:
        return wait
    attempts = counter_incr(
        attempts_key, timeout=settings.HUB_SIGNIN_FAILURE_MEMORY_SECONDS
    )
    if attempts <= free:
        return None
    delay = min(
        2 ** min(attempts - free - 1, 30), settings.HUB_SIGNIN_BACKOFF_MAX_SECONDS
    )
    if _cache_call("add", gate_key, now + delay, timeout=delay) is not False:
        return None  # added (or the cache just went away)
    return _wait(_cache_call("get", gate_key), now) or 1


def _forget(kind: str, ident: str) -> None:
    _cache_call("delete_many", list(_keys(kind, ident)))


def user_sign_in(
    *, request: HttpRequest | None, username: str, password: str, ip: str
) -> User | None:
    """Check ``username`` and ``password`` unless the account or ``ip`` must
    wait. Returns the user (the account's failures are then forgotten), or
    None for a wrong username or password (counted against both). A refusal
    is recorded as ``auth.sign_in_failed`` either way. Raises
    SignInThrottledError (429, ``retry_after``) while either backs off; the
    password is then not checked at all."""
    now = time.time()
    account = username.strip().lower()
    wait = _admit("ip", ip, free=settings.HUB_SIGNIN_FREE_FAILURES_PER_IP, now=now)
    if wait is None:
        wait = _admit(
            "account", account, free=settings.HUB_SIGNIN_FREE_FAILURES, now=now
        )
        if wait is not None:  # no password is checked: the IP keeps its attempt
            counter_decr(_keys("ip", ip)[0])
    if wait is not None:
        # Refused unchecked: the audit log still hears of the attempt (a
        # wrong password is recorded by hub.accounts.signals instead).
        audit_record(
            "auth.sign_in_failed",
            target=username[:150].replace("\x00", ""),
            details={"reason": "throttled", "retry_after": wait},
        )
        raise SignInThrottledError(
            f"Too many failed sign-ins; try again in {seconds_text(wait)}.",
            retry_after=wait,
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        return None
    _forget("account", account)
    counter_decr(_keys("ip", ip)[0])
    return user


def password_confirm(*, user: User, password: str) -> bool:
    """Whether ``password`` is ``user``'s, for a signed-in user proving it
    again (changing the password or the e-mail address). Counted against
    the account exactly like sign-in attempts, so a stolen session cannot
    guess the password at full speed on these pages either. Raises
    SignInThrottledError while the account backs off (the password is then
    not checked)."""
    account = user.username.strip().lower()
    wait = _admit(
        "account", account, free=settings.HUB_SIGNIN_FREE_FAILURES, now=time.time()
    )
    if wait is not None:
        raise SignInThrottledError(
            f"Too many wrong passwords; try again in {seconds_text(wait)}.",
            retry_after=wait,
        )
    if not user.check_password(password):
        return False
    _forget("account", account)
    return True
