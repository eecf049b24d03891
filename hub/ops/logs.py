"""Structured logs: one JSON object per line, each with its request id.

The request id comes from ``X-Request-ID`` (nginx sets it to its own
``$request_id``, so proxy and app logs join on it) or is generated, and is
echoed in the response. In Celery workers the task id takes its place.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id_var: ContextVar[str] = ContextVar("hub_request_id", default="-")
# The client of the current request: (address, user agent); None outside one.
request_client_var: ContextVar[tuple[str, str] | None] = ContextVar(
    "hub_request_client", default=None
)

# A client-chosen id is kept only when it is short and plain.
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# Attributes every LogRecord has; anything else was passed with ``extra``.
_STANDARD = set(vars(logging.LogRecord("n", logging.INFO, "p", 1, "m", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


def clean_request_id(value: str | None) -> str | None:
    """``value`` when it is acceptable as a request id, else None."""
    if value and _REQUEST_ID_RE.match(value):
        return value
    return None


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (the current request's or task's id)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", ...extra}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def connect_celery_task_ids() -> None:
    """In workers, log lines carry the id of the task being run."""
    try:
        from celery.signals import task_postrun, task_prerun
    except ImportError:  # pragma: no cover - celery is a dependency
        return

    def _start(task_id: str | None = None, **_: Any) -> None:
        request_id_var.set(f"task-{task_id}" if task_id else "-")

    def _end(**_: Any) -> None:
        request_id_var.set("-")

    task_prerun.connect(_start, weak=False, dispatch_uid="hub.ops.task_id")
    task_postrun.connect(_end, weak=False, dispatch_uid="hub.ops.task_id_end")
