"""Dates as the client parses them: UTC with a literal Z (hf-protocol.md 1.5)."""

from __future__ import annotations

from datetime import UTC, datetime


def hf_date(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{value.microsecond // 1000:03d}Z"
    )
