"""Rate limits of /api/v1: per token (or signed-in user) and per client IP.

DRF answers 429 with ``Retry-After``; the rates are settings
(HUB_API_RATE_USER, HUB_API_RATE_ANON). The counting is
hub.core.ratelimit's, shared with the HF protocol and sign-in: a counter per
caller and fixed window (an hour at "5000/hour"), incremented atomically in
the shared cache.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from hub.core.ratelimit import Rate, client_ip, window_hit


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
        hit = window_hit(
            ident,
            Rate(self.num_requests, self.duration),
            now=self.timer(),
            cache=self.cache,
        )
        self.window_end = hit.window_end
        return hit.allowed

    def wait(self) -> float:
        return max(1.0, self.window_end - self.timer())

    def get_ident(self, request: Request) -> str:
        return client_ip(request._request)


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
