"""Rate limits: per token (or signed-in user) and per client IP.

DRF answers 429 with ``Retry-After``; the rates are settings
(HUB_API_RATE_USER, HUB_API_RATE_ANON).
"""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "user"

    def get_cache_key(self, request: Request, view: object) -> str | None:
        if request.auth is not None and getattr(request.auth, "pk", None):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class IpRateThrottle(SimpleRateThrottle):
    scope = "anon"

    def get_cache_key(self, request: Request, view: object) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
