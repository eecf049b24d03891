"""Rate limits: per token (or signed-in user) and per client IP.

DRF answers 429 with ``Retry-After``; the rates are settings
(HUB_API_RATE_USER, HUB_API_RATE_ANON).

Each limit is a counter per caller and fixed window (an hour at "5000/hour"),
incremented atomically in the shared cache: O(1) per request. DRF's
SimpleRateThrottle instead keeps the time of every request of the last
window in one cache value that each request reads, unpickles, extends and
writes back: at 5,000 requests an hour that is a 5,000-item list per request,
and concurrent requests overwrite each other's entries. As with GitHub's
limits, a caller may spend a window's budget at its end and the next one's
at the start; ``Retry-After`` says when the current window ends.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class FixedWindowRateThrottle(SimpleRateThrottle):
    """A request counter per caller and window of ``rate``'s period."""

    # Set by SimpleRateThrottle.__init__ from ``rate`` (absent in its stubs).
    num_requests: int
    duration: int
    window_end: float

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.window_end = (window + 1) * self.duration
        key = f"{ident}:{window}"
        try:
            count = self.cache.incr(key)
        except ValueError:  # the window's first request
            if self.cache.add(key, 1, timeout=self.duration + 5):
                count = 1
            else:  # another request started the window meanwhile
                count = self.cache.incr(key)
        return count <= self.num_requests

    def wait(self) -> float:
        return max(1.0, self.window_end - self.timer())


class TokenRateThrottle(FixedWindowRateThrottle):
    scope = "user"

    def get_cache_key(self, request: Request, view: object) -> str | None:
        if request.auth is not None and getattr(request.auth, "pk", None):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class IpRateThrottle(FixedWindowRateThrottle):
    scope = "anon"

    def get_cache_key(self, request: Request, view: object) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
