"""The decorator every HF-protocol view uses: methods, auth, rate limits,
error mapping.

Views here are plain Django views, not DRF: the client sends NDJSON, git-lfs
JSON, form bodies and ``Accept`` headers DRF would answer with 415/406
(hf-protocol.md pitfall 8). The decorator authenticates the caller, counts
the request against its rate limit (api/hf/throttling.py), turns
ApplicationErrors into the protocol's error shape, and exempts the route
from CSRF (tokens, not cookies, authenticate these calls).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Collection
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from api.hf.auth import Caller, caller_from_request
from api.hf.errors import hf_error, hf_error_from_exception
from api.hf.throttling import hf_rate_limit
from hub.core.errors import ApplicationError, AuthenticationError

logger = logging.getLogger(__name__)

HfView = Callable[..., HttpResponse]


def method_refusal(
    request: HttpRequest, allowed: Collection[str]
) -> HttpResponse | None:
    """405 with ``Allow`` when the request's method is not one of ``allowed``."""
    if request.method in allowed:
        return None
    response = hf_error(
        f"{request.method} is not allowed here.", 405, head=request.method == "HEAD"
    )
    response["Allow"] = ", ".join(sorted(allowed))
    return response


def hf_view(
    *methods: str, rate_limited: bool = True
) -> Callable[[HfView], Callable[..., HttpResponse]]:
    """Allow ``methods``; call ``view(request, caller, **kwargs)``; map errors.

    ``rate_limited=False`` is for the transfers of signed upload URLs: they
    carry no token, and the batch call that signed them was counted.
    """
    allowed = {m.upper() for m in methods}

    def decorate(view: HfView) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            head = request.method == "HEAD"
            refused = method_refusal(request, allowed)
            if refused is not None:
                return refused
            limits: dict[str, str] = {}
            caller: Caller | None = None
            try:
                try:
                    caller = caller_from_request(request)
                except AuthenticationError:
                    if rate_limited:  # a refused token spends its IP's budget
                        limits = hf_rate_limit(request, None)
                    raise
                if rate_limited:
                    limits = hf_rate_limit(request, caller)
                response = view(request, caller, **kwargs)
            except ApplicationError as exc:
                anonymous = caller is not None and not caller.user.is_authenticated
                response = hf_error_from_exception(exc, head=head, anonymous=anonymous)
            for key, value in limits.items():
                response.setdefault(key, value)
            return response

        return wrapper

    return decorate
