"""The hub's own error pages, where Django's handlers would not render them
in the site's layout (hub/urls.py names them; 403 and 404 are Django's own,
which already render templates/403.html and 404.html with the request).

Every error page extends web/base.html, never shows a traceback: DEBUG is off
wherever the hub is run for people (scripts/run-hub.sh, deploy/).
"""

from __future__ import annotations

import logging

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
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


def server_error(request: HttpRequest) -> HttpResponse:
    """500 in the site's layout, rendered without context processors: they
    read the database, which may be what failed."""
    body: str
    try:
        body = loader.render_to_string("500.html", {"site_name": SITE_NAME})
    except Exception:  # the error page itself must not fail
        logger.exception("The 500 page could not be rendered")
        body = _PLAIN_500
    return HttpResponseServerError(body)
