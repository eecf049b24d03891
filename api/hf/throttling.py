"""Rate limits of the HF protocol: per token (or signed-in user), else per
client IP, as for /api/v1 and counted the same way (hub.core.ratelimit).

The rates are settings read per request (HUB_HF_RATE_USER,
HUB_HF_RATE_ANON). Over the limit the answer is a 429 with ``Retry-After``
and the IETF draft ``RateLimit`` headers, which huggingface_hub reads: its
retrying calls (``http_backoff``: preupload, the commit, LFS batch, the
file metadata of ``hf_hub_download`` and ``snapshot_download``) sleep that
long and try again; the others raise ``HfHubHTTPError`` whose message says
the limit and when to retry.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from api.hf.auth import Caller
from hub.core.errors import RateLimitedError
from hub.core.ratelimit import client_ip, rate_parse, seconds_text, window_hit


def ratelimit_headers(
    *, remaining: int, reset: int, limit: int, window: int
) -> dict[str, str]:
    """The IETF draft headers huggingface_hub reads: on a 429 its message
    then names the limit and the window, and its retries wait ``reset``."""
    return {
        "RateLimit": f'"api";r={remaining};t={reset}',
        "RateLimit-Policy": f'"fixed window";"api";q={limit};w={window}',
    }


def hf_rate_limit(request: HttpRequest, caller: Caller | None) -> dict[str, str]:
    """Count this request against its caller's budget: the token's, the
    signed-in user's, or (anonymous, or a token that was refused) the client
    IP's. Returns the RateLimit headers for the answer; raises
    RateLimitedError once the budget of the window is spent."""
    if caller is not None and caller.token is not None:
        ident, whom, setting = f"token-{caller.token.pk}", "this token", "USER"
    elif caller is not None and caller.user.is_authenticated:
        ident, whom, setting = f"user-{caller.user.pk}", "your account", "USER"
    else:
        ident, whom, setting = f"ip-{client_ip(request)}", "your address", "ANON"
    rate = rate_parse(getattr(settings, f"HUB_HF_RATE_{setting}"))
    hit = window_hit(f"hf-rate:{ident}", rate)
    if hit.allowed:
        return ratelimit_headers(
            remaining=rate.limit - hit.count,
            reset=hit.retry_after,
            limit=rate.limit,
            window=rate.period,
        )
    raise RateLimitedError(
        f"Too many requests from {whom}: at most {rate.limit} per "
        f"{rate.period_text}. Try again in {seconds_text(hit.retry_after)}.",
        retry_after=hit.retry_after,
        details={"limit": rate.limit, "window_seconds": rate.period},
    )
