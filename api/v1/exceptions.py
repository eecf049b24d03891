"""One error shape for /api/v1: ``{"error": {"code", "message", "details"}}``.

Services raise ApplicationError subclasses (code, HTTP status, message that
says what to fix); DRF raises its own exceptions for parsing, auth,
throttling and validation. Both are mapped here, once.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hub.core.errors import ApplicationError


def _message_of(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _message_of(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        prefix = "" if key == "non_field_errors" else f"{key}: "
        return prefix + _message_of(value)
    return str(detail)


def error_response(
    code: str, message: str, http_status: int, details: Any = None, headers=None
) -> Response:
    return Response(
        {"error": {"code": code, "message": message, "details": details or {}}},
        status=http_status,
        headers=headers,
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error in the project's shape."""
    if isinstance(exc, ApplicationError):
        return error_response(exc.code, exc.message, exc.http_status, exc.details)
    if isinstance(exc, Http404):
        return error_response("not_found", "Not found.", status.HTTP_404_NOT_FOUND)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return error_response(
            "invalid", _message_of(exc.detail), response.status_code, exc.detail
        )
    if isinstance(exc, exceptions.APIException):
        code = exc.get_codes()
        code = code if isinstance(code, str) else exc.default_code
        headers = {
            k: v
            for k, v in response.items()
            if k in ("Retry-After", "WWW-Authenticate", "Allow")
        }
        return error_response(
            str(code), _message_of(exc.detail), response.status_code, headers=headers
        )
    return response
