"""gunicorn settings: ``gunicorn -c deploy/gunicorn.conf.py hub.wsgi:application``.

Threaded workers: uploads and downloads are long, I/O-bound requests, so
threads keep a slow client from holding a whole process. Behind nginx,
uploads arrive unbuffered and local downloads leave through X-Accel-Redirect.

Prometheus counters of all processes are summed through files in
PROMETHEUS_MULTIPROC_DIR (default: a fresh temporary folder per start).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

bind = os.environ.get("HUB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("HUB_WEB_PROCESSES", "2"))
worker_class = "gthread"
threads = int(os.environ.get("HUB_WEB_THREADS", "8"))
# Large LFS transfers stream for minutes; the proxy enforces client timeouts.
timeout = int(os.environ.get("HUB_WEB_TIMEOUT", "300"))
graceful_timeout = 30
keepalive = 5
# The hub writes one JSON line per request itself (hub.ops), with its id.
accesslog = os.environ.get("HUB_GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Restart a process now and then: bounds the growth of any slow leak.
max_requests = int(os.environ.get("HUB_WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Behind nginx on the same host or pod network: trust its X-Forwarded-*.
forwarded_allow_ips = os.environ.get("HUB_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="hub-prom-")


def on_starting(server: Any) -> None:
    """Start with empty metric files (values of a previous run are stale)."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)


def post_worker_init(worker: Any) -> None:
    """Import every view (the URLconf) before the first request: Django
    does it lazily, so each new process (see max_requests) made its first
    caller wait a second or more for the imports."""
    from django.conf import settings
    from django.urls import get_resolver

    if settings.configured:  # another WSGI app may run with this file
        get_resolver().url_patterns  # noqa: B018 - the import is the point


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
