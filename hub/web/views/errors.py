"""The hub's own error pages, where Django's handlers would not render them
in the site's layout (hub/urls.py names them; 403 and 404 are Django's own,
which already render templates/403.html and 404.html with the request).

Every error page extends web/base.html, never shows a traceback: DEBUG is off
wherever the hub is run for people (scripts/run-hub.sh, deploy/).
"""

from __future__ import annotations

import logging
import sqlite3
import sys

from django.db import InterfaceError, OperationalError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader

from hub.web.context_processors import SITE_NAME

logger = logging.getLogger(__name__)

# The last resort when even the layout cannot be rendered.
_PLAIN_500 = (
    "<!doctype html><title>Server error</title><h1>Something went wrong on our "
    "side</h1><p>The error was logged.</p>"
)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400: a request the hub cannot make sense of (bad Host header, …).

    Rendered without context processors, like Django's own: they read the
    request, which is what was wrong.
    """
    return HttpResponseBadRequest(
        loader.render_to_string("400.html", {"site_name": SITE_NAME})
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form posted without its CSRF token (an old tab, cookies off)."""
    message = "The form expired or cookies are blocked. Reload the page and try again."
    return render(request, "403.html", {"exception": message}, status=403)


# A request that failed on the database connection (PostgreSQL restarting,
# a failover, a dropped connection, a deadlock): retrying soon will do.
DATABASE_UNAVAILABLE = (
    "The hub's database did not answer (it may be restarting): the request "
    "did not complete. Try again in a moment."
)
RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    """500 in the site's layout, rendered without context processors: they
    read the database, which may be what failed.

    A failure of the database connection is a 503 with Retry-After instead:
    JSON ``{"error": ...}`` (as the HF client and API callers read errors),
    the 503 page for a browser.
    """
    if _database_unreachable(sys.exc_info()[1]):
        return _database_unavailable(request)
    body: str
    try:
        body = loader.render_to_string("500.html", {"site_name": SITE_NAME})
    except Exception:  # the error page itself must not fail
        logger.exception("The 500 page could not be rendered")
        body = _PLAIN_500
    return HttpResponseServerError(body)


# SQLite's operational errors that mean "not now" (busy, locked, cannot
# open, disk I/O); its others (no such table or column) are a broken
# schema: a server error like any other.
_SQLITE_UNAVAILABLE = (
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_CANTOPEN",
    "SQLITE_IOERR",
)


def _database_unreachable(error: BaseException | None) -> bool:
    """The database failed to answer (connection lost, server restarting,
    file locked), as opposed to a query that is wrong."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        return str(cause.sqlite_errorname).startswith(_SQLITE_UNAVAILABLE)
    return True


def _database_unavailable(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if "text/html" in request.headers.get("Accept", ""):
        body: str
        try:
            body = loader.render_to_string(
                "503.html", {"site_name": SITE_NAME, "message": DATABASE_UNAVAILABLE}
            )
        except Exception:  # the error page itself must not fail
            logger.exception("The 503 page could not be rendered")
            body = f"<!doctype html><title>Unavailable</title><p>{DATABASE_UNAVAILABLE}"
        response = HttpResponse(body, status=503)
    else:
        response = JsonResponse({"error": DATABASE_UNAVAILABLE}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
