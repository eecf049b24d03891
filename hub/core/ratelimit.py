"""Rate-limit building blocks: atomic counters in the shared cache, fixed
windows, and the client's address.

One implementation for every limit of the hub: /api/v1's throttles
(api/v1/throttling.py), the HF protocol's (api/hf/throttling.py) and the
sign-in backoff (hub/accounts/signin.py).

A counter is incremented atomically in the cache (Redis when configured,
shared by every web process): O(1) per request, exact under concurrency. A
list of request times per caller (DRF's SimpleRateThrottle) is instead read,
extended and written back by every request, so concurrent requests
overwrite each other's entries and each costs O(limit).
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache
from django.core.cache import cache as default_cache
from django.http import HttpRequest

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*$")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` requests per ``period`` seconds."""

    limit: int
    period: int

    @property
    def period_text(self) -> str:
        for unit, seconds in (("day", 86400), ("hour", 3600), ("minute", 60)):
            if self.period % seconds == 0:
                count = self.period // seconds
                return unit if count == 1 else f"{count} {unit}s"
        return "second" if self.period == 1 else f"{self.period} seconds"


def rate_parse(value: str) -> Rate:
    """``"5000/hour"``, ``"1000/5m"``, ``"10/second"``: DRF's rate strings,
    plus a multiple of the unit. Raises ValueError for anything else."""
    match = _RATE_RE.match(value)
    if match is None or match[2] == "0":
        raise ValueError(
            f"{value!r} is not a rate: write requests/period, e.g. '1000/5m' or "
            "'5000/hour'."
        )
    return Rate(int(match[1]), int(match[2] or 1) * _PERIODS[match[3]])


def counter_incr(key: str, *, timeout: float, cache: BaseCache | None = None) -> int:
    """Add one to the counter ``key`` and return its new value. A new counter
    lives ``timeout`` seconds from its first increment (later increments do
    not extend it). Atomic: concurrent callers each get a distinct value."""
    cache = cache or default_cache
    try:
        try:
            return cache.incr(key)
        except ValueError:  # no such counter yet
            if cache.add(key, 1, timeout=timeout):
                return 1
            return cache.incr(key)  # another caller created it meanwhile
    except ValueError:
        raise
    except Exception:  # the cache (Redis) is down
        # Fail open: while the shared cache is unreachable nothing is counted
        # (0), so uploads, downloads and commits keep working, as the rest of
        # the hub does without Redis; the outage is logged.
        logger.warning("rate limit counter %s not counted: cache unavailable", key)
        return 0


def counter_decr(key: str, *, cache: BaseCache | None = None) -> None:
    """Take one off the counter ``key`` (an attempt refunded); no-op if gone."""
    cache = cache or default_cache
    with contextlib.suppress(Exception):  # gone, or the cache is down
        cache.decr(key)


@dataclass(frozen=True)
class WindowHit:
    """One request counted in a fixed window."""

    count: int
    rate: Rate
    window_end: float
    now: float

    @property
    def allowed(self) -> bool:
        return self.count <= self.rate.limit

    @property
    def retry_after(self) -> int:
        """Whole seconds until the window ends (at least 1)."""
        return max(1, math.ceil(self.window_end - self.now))


def window_hit(
    ident: str,
    rate: Rate,
    *,
    now: float | None = None,
    cache: BaseCache | None = None,
) -> WindowHit:
    """Count a request of ``ident`` in the current window of ``rate``.

    Windows are aligned on the clock (an hour at "5000/hour"). As with
    GitHub's limits, a caller may spend a window's budget at its end and the
    next one's at the start; ``retry_after`` says when the current one ends.
    """
    now = time.time() if now is None else now
    window = int(now // rate.period)
    count = counter_incr(f"{ident}:{window}", timeout=rate.period + 5, cache=cache)
    return WindowHit(count, rate, (window + 1) * rate.period, now)


def seconds_text(seconds: int) -> str:
    """``1 second``, ``30 seconds``: a wait as a message says it."""
    return "1 second" if seconds == 1 else f"{seconds} seconds"


def client_ip(request: HttpRequest) -> str:
    """The address the request came from, as far as it can be trusted.

    Behind ``HUB_PROXY_COUNT`` reverse proxies that each append the address
    they saw to X-Forwarded-For, the client is the entry that many places
    from the end; entries before it are the client's own and could be
    anything. With no proxy (the default) the header is ignored: trusting it
    would let anyone pick a fresh address, and a fresh budget, per request.
    """
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.HUB_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]
