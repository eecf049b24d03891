"""The schema of the child's one JSON answer, checked by the worker.

Hand-written rather than JSON Schema: a dozen rules, no dependency, and
messages that say which field is wrong. Anything the child prints that does
not pass is an ``invalid_result`` failure, never a number on a page.
"""

from __future__ import annotations

import math
import re
from typing import Any

STATUSES = ("finished", "failed", "skipped")
_REASON = re.compile(r"^[a-z_]{0,32}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_METRICS = 32


class ResultSchemaError(ValueError):
    """The answer does not follow the schema; the message says where."""


def _number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def validate_result(payload: Any) -> None:
    """Raise ResultSchemaError unless ``payload`` is a valid child answer."""
    if not isinstance(payload, dict):
        raise ResultSchemaError("the answer is not a JSON object")
    if payload.get("schema_version") != 1:
        raise ResultSchemaError("schema_version must be 1")
    status = payload.get("status")
    if status not in STATUSES:
        raise ResultSchemaError(f"status must be one of {', '.join(STATUSES)}")
    reason = payload.get("reason", "")
    if not isinstance(reason, str) or not _REASON.match(reason):
        raise ResultSchemaError("reason must be a short snake_case code")
    message = payload.get("message", "")
    if not isinstance(message, str) or len(message) > 2000:
        raise ResultSchemaError("message must be a string of at most 2000 characters")
    for key in ("details", "environment", "settings"):
        if not isinstance(payload.get(key, {}), dict):
            raise ResultSchemaError(f"{key} must be an object")
    duration = payload.get("duration_seconds", 0)
    if not _number(duration) or duration < 0:
        raise ResultSchemaError("duration_seconds must be a non-negative number")
    if status != "finished":
        if not reason:
            raise ResultSchemaError("a run that did not finish needs a reason")
        return
    metrics = payload.get("metrics")
    if not isinstance(metrics, dict) or not metrics or len(metrics) > MAX_METRICS:
        raise ResultSchemaError(f"metrics must be an object of 1-{MAX_METRICS} numbers")
    for name, value in metrics.items():
        if not _NAME.match(str(name)) or not _number(value):
            raise ResultSchemaError(f"metric {name!r} must be a finite number")
    primary = payload.get("primary")
    if not isinstance(primary, dict):
        raise ResultSchemaError("primary must be an object")
    if primary.get("name") not in metrics:
        raise ResultSchemaError("primary.name must name one of the metrics")
    if (
        not _number(primary.get("value"))
        or primary["value"] != metrics[primary["name"]]
    ):
        raise ResultSchemaError("primary.value must equal that metric")
    if not isinstance(primary.get("higher_is_better"), bool):
        raise ResultSchemaError("primary.higher_is_better must be true or false")
    env = payload.get("environment") or {}
    for key in ("python", "torch", "transformers", "threads"):
        if key not in env:
            raise ResultSchemaError(f"environment.{key} is missing")
