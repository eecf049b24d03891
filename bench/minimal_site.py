"""The baseline of bench/request_cost.py: a minimal Django project with one
view that serves one file (HEAD, GET, one byte range), no database, no
middleware. Served by the same gunicorn and configuration as the hub, it is
the floor a Django view can reach on this machine.

``BENCH_FILE`` names the file; run as ``gunicorn bench.minimal_site:application``.
"""

from __future__ import annotations

import os
import re

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    SECRET_KEY="bench-only",
)

FILE = os.environ.get("BENCH_FILE", __file__)


def serve(request: HttpRequest) -> HttpResponse:
    size = os.path.getsize(FILE)
    match = re.fullmatch(r"bytes=(\d+)-(\d+)", request.headers.get("Range", ""))
    if request.method == "HEAD":
        response = HttpResponse()
        response["Content-Length"] = str(size)
        return response
    start, end = (int(match[1]), int(match[2])) if match else (0, size - 1)
    with open(FILE, "rb") as handle:
        handle.seek(start)
        body = handle.read(end - start + 1)
    response = HttpResponse(body, status=206 if match else 200)
    response["Content-Length"] = str(len(body))
    if match:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


urlpatterns = [path("file", serve)]
application = get_wsgi_application()
