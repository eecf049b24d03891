"""What every reader shares: the problem a file has, and cells made JSON-safe."""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import math
from typing import Any

MAX_LIST_ITEMS = 50
MAX_DEPTH = 8


def clean(value: str) -> str:
    """Text any database stores: no NUL, no lone surrogate."""
    return (
        value.replace("\x00", "\ufffd")
        .encode("utf-8", "replace")
        .decode("utf-8", "replace")
    )


class Problem(Exception):
    """What is wrong with the file, in words its owner understands."""

    def __init__(self, code: str, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = clean(message)
        self.line = line

    def as_result(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "ok": False,
            "code": self.code,
            "message": self.message,
        }
        if self.line is not None:
            result["line"] = self.line
        return result


def human_size(n: int) -> str:
    """``1.5 MiB``-style sizes for messages."""
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{n} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


class Cells:
    """Turns cell values into JSON, each string cut at ``max_chars``."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.truncated = False

    def text(self, value: str) -> str:
        if len(value) > self.max_chars:
            self.truncated = True
            return clean(value[: self.max_chars]) + "…"
        return clean(value)

    def value(self, value: Any, depth: int = 0) -> Any:
        if value is None or isinstance(value, bool | int):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else str(value)
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bytes):
            return self.text(
                "base64:" + base64.b64encode(value[: self.max_chars]).decode()
            )
        if depth >= MAX_DEPTH:
            self.truncated = True
            return "…"
        if isinstance(value, dict):
            items = list(value.items())
            if len(items) > MAX_LIST_ITEMS:
                self.truncated = True
            return {
                clean(str(key)[:200]): self.value(item, depth + 1)
                for key, item in items[:MAX_LIST_ITEMS]
            }
        if isinstance(value, list | tuple):
            if len(value) > MAX_LIST_ITEMS:
                self.truncated = True
            return [self.value(item, depth + 1) for item in value[:MAX_LIST_ITEMS]]
        if isinstance(value, datetime.datetime | datetime.date | datetime.time):
            return value.isoformat()
        if isinstance(value, decimal.Decimal | datetime.timedelta):
            return str(value)
        return self.text(repr(value))

    def row(self, row: dict[str, Any]) -> dict[str, Any]:
        return {clean(str(key)): self.value(value) for key, value in row.items()}


def fit_rows(rows: list[dict[str, Any]], max_bytes: int) -> list[dict[str, Any]]:
    """The first rows whose JSON fits in ``max_bytes`` (pages load them whole)."""
    kept: list[dict[str, Any]] = []
    used = 0
    for row in rows:
        used += len(json.dumps(row, ensure_ascii=False).encode())
        if used > max_bytes and kept:
            break
        kept.append(row)
    return kept


def features(schema: Any, max_columns: int) -> list[dict[str, str]]:
    """The first ``max_columns`` fields of an Arrow schema: name and type."""
    return [
        {"name": clean(field.name[:200]), "type": clean(str(field.type)[:500])}
        for field in list(schema)[:max_columns]
    ]
