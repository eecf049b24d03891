"""Request hygiene shared by every face of the hub."""

from __future__ import annotations

from collections.abc import Callable

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
