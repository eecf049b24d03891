"""Request hygiene shared by every face of the hub."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


class RejectNulBytesMiddleware:
    """Refuse a NUL character in the path or query string with a 400.

    PostgreSQL text cannot hold NUL, so such a value would otherwise surface
    as a server error deep in a query instead of a clear answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in v for v in values)
            for key, values in request.GET.lists()
        ):
            message = "The request contains a NUL character; remove it."
            response = JsonResponse(
                {"error": {"code": "invalid", "message": message, "details": {}}},
                status=400,
            )
            response["X-Error-Message"] = message
            return response
        return self.get_response(request)


def content_security_policy(*, img_sources: list[str]) -> str:
    """The hub's Content-Security-Policy: scripts, styles and everything else
    from the hub itself only (no inline script or style, no plugins, not
    framed), images from the hub, ``data:`` and the allow-listed sources.

    A model card's ``![x](https://tracker.example/p.gif)`` is therefore not
    fetched unless an operator allows that site (HUB_CSP_IMG_SOURCES):
    visitors are not tracked by whoever wrote the card.
    """
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *img_sources],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(
        f"{name} {' '.join(values)}" for name, values in directives.items()
    )


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy on every response (pages, API, files,
    errors), unless a view set a policy of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy(img_sources=settings.HUB_CSP_IMG_SOURCES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
