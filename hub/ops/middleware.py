"""Request ids, access logs, request metrics, and the probe endpoints."""

from __future__ import annotations

import json
import logging
import secrets
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from hub.core.ratelimit import client_ip
from hub.ops.logs import clean_request_id, request_client_var, request_id_var
from hub.ops.metrics import REQUEST_LATENCY, render
from hub.ops.readiness import readiness

access_log = logging.getLogger("hub.access")

PROBE_PATHS = ("/healthz", "/readyz", "/metrics")


class RequestContextMiddleware:
    """Give each request an id, log it as one line, time it for /metrics.

    The id is the incoming ``X-Request-ID`` when it is plain, else a new
    one; it is returned in ``X-Request-ID`` and attached to every log line
    written while the request runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = clean_request_id(request.headers.get("X-Request-ID")) or (
            uuid.uuid4().hex
        )
        token = request_id_var.set(request_id)
        client = request_client_var.set(
            (client_ip(request), request.headers.get("User-Agent", "")[:300])
        )
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - start
            response["X-Request-ID"] = request_id
            match = getattr(request, "resolver_match", None)
            route = match.route if match is not None and match.route else ""
            if not route:
                route = request.path if request.path in PROBE_PATHS else "unmatched"
            REQUEST_LATENCY.labels(
                method=request.method or "", route=route, status=response.status_code
            ).observe(elapsed)
            access_log.log(
                logging.DEBUG if request.path in PROBE_PATHS else logging.INFO,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                    "route": route,
                },
            )
            return response
        finally:
            request_client_var.reset(client)
            request_id_var.reset(token)


class ProbeMiddleware:
    """Answer /healthz, /readyz and /metrics before anything else runs.

    Kubelets and scrapers call a pod by its IP over plain HTTP: answering
    here skips ALLOWED_HOSTS validation and the HTTPS redirect, which would
    otherwise turn every probe into a 400 or a (successful-looking) 301.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in PROBE_PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            answer = HttpResponse(status=405)
            answer["Allow"] = "GET, HEAD"
            return answer
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"})
        if request.path == "/readyz":
            return readyz()
        return metrics(request)


def readyz() -> HttpResponse:
    """200 with every check when ready, 503 with the failing ones otherwise."""
    results = readiness()
    ready = all(result.ok for result in results)
    body = {
        "status": "ready" if ready else "unavailable",
        "checks": {result.name: result.as_dict() for result in results},
    }
    response = HttpResponse(
        json.dumps(body), content_type="application/json", status=200 if ready else 503
    )
    response["Cache-Control"] = "no-store"
    return response


def metrics(request: HttpRequest) -> HttpResponse:
    expected = settings.HUB_METRICS_TOKEN
    if expected:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if not secrets.compare_digest(given.encode(), expected.encode()):
            return JsonResponse(
                {
                    "error": {
                        "code": "unauthorized",
                        "message": "Send the metrics token.",
                    }
                },
                status=401,
            )
    body, content_type = render()
    return HttpResponse(body, content_type=content_type)
