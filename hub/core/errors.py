"""The ApplicationError tree.

Services raise these; each interface (REST API, HF protocol, web, tasks)
maps them once onto its own error shape. ``code`` is stable and
machine-readable, ``message`` tells the user what to fix, ``details``
carries structured extras (for example the list of valid license ids).
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    code = "invalid"
    http_status = 400
    # Seconds after which the same request may succeed (``Retry-After``).
    retry_after: int | None = None

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class ValidationError(ApplicationError):
    code = "invalid"
    http_status = 400


class PermissionDeniedError(ApplicationError):
    code = "forbidden"
    http_status = 403


class AuthenticationError(ApplicationError):
    code = "unauthenticated"
    http_status = 401


class NotFoundError(ApplicationError):
    code = "not_found"
    http_status = 404


class ConflictError(ApplicationError):
    code = "conflict"
    http_status = 409


class RateLimitedError(ApplicationError):
    """Too many requests or attempts: wait ``retry_after`` seconds."""

    code = "throttled"
    http_status = 429

    def __init__(
        self, message: str, *, retry_after: int, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message, details=details)
        self.retry_after = retry_after
