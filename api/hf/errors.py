"""Errors in the Hugging Face Hub protocol's shape (hf-protocol.md 1.3).

The client reads ``X-Error-Code`` (typed errors: RepoNotFound,
RevisionNotFound, EntryNotFound, GatedRepo), then ``X-Error-Message``, then
the JSON body's ``error``. HEAD answers have no body, so the headers carry
everything.
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse

from api.hf.throttling import ratelimit_headers
from hub.catalog.errors import (
    ChecksPendingError,
    EntryNotFoundError,
    GatedContentError,
    QuarantinedContentError,
    RepoNotFoundError,
    RevisionNotFoundError,
)
from hub.core.errors import ApplicationError, AuthenticationError, RateLimitedError

# ApplicationError subclass → X-Error-Code understood by the client.
ERROR_CODES: list[tuple[type[ApplicationError], str]] = [
    (RepoNotFoundError, "RepoNotFound"),
    (RevisionNotFoundError, "RevisionNotFound"),
    (EntryNotFoundError, "EntryNotFound"),
]


class GatedRepoError(ApplicationError):
    """The repo is gated and the caller has not been granted access."""

    code = "gated_repo"
    http_status = 403


# The client shows a 403's message only when the error is typed; of its
# codes, GatedRepo ("you may not fetch this") is the closest for each.
ERROR_CODES += [
    (GatedRepoError, "GatedRepo"),
    (GatedContentError, "GatedRepo"),
    (QuarantinedContentError, "GatedRepo"),
    (ChecksPendingError, "GatedRepo"),
]


def _header_safe(message: str) -> str:
    # Header values must be latin-1 and single-line.
    flat = " ".join(message.split())
    return flat.encode("latin-1", errors="replace").decode("latin-1")[:1000]


def hf_error(
    message: str,
    status: int,
    *,
    error_code: str | None = None,
    head: bool = False,
    extra: dict[str, object] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """An error answer: ``{"error": message}`` plus the headers the client reads."""
    if head:
        response: HttpResponse = HttpResponse(status=status)
    else:
        response = JsonResponse({"error": message, **(extra or {})}, status=status)
    response["X-Error-Message"] = _header_safe(message)
    if error_code:
        response["X-Error-Code"] = error_code
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def hf_error_from_exception(
    exc: ApplicationError,
    *,
    head: bool = False,
    headers: dict[str, str] | None = None,
    anonymous: bool = False,
) -> HttpResponse:
    """Map a service error onto the protocol's status and typed error code.

    A gate refusing an anonymous caller is a 401, as on the HF Hub: the
    ``datasets`` library tells "sign in" (401) from "ask for access" (403).
    """
    code = next((c for cls, c in ERROR_CODES if isinstance(exc, cls)), None)
    extra: dict[str, object] = {}
    if exc.details:
        extra["details"] = exc.details
    if exc.retry_after is not None:
        headers = {**(headers or {}), "Retry-After": str(exc.retry_after)}
    if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
        headers = {
            **(headers or {}),
            **ratelimit_headers(
                remaining=0,
                reset=exc.retry_after,
                limit=exc.details["limit"],
                window=exc.details["window_seconds"],
            ),
        }
    if isinstance(exc, AuthenticationError):
        # No X-Error-Code: the client treats this message as "bad token".
        return hf_error(exc.message, 401, head=head, headers=headers)
    status, message = exc.http_status, exc.message
    if anonymous and isinstance(exc, GatedRepoError | GatedContentError):
        status, message = 401, f"{message} You must be authenticated to access it."
    return hf_error(
        message,
        status,
        error_code=code,
        head=head,
        extra=extra,
        headers=headers,
    )
