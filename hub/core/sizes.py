"""Sizes in the words people read in messages."""

from __future__ import annotations

import re
from decimal import Decimal


def human_size(size: int) -> str:
    """``1536`` → ``'1.5 KiB'``: sizes in messages people read."""
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    units = ("KiB", "MiB", "GiB", "TiB", "PiB")
    for unit in units:
        value /= 1024
        if value < 1024:
            return f"{value:.1f} {unit}"
    return f"{value / 1024:.1f} EiB"


def human_size_si(size: int) -> str:
    """``9_800_000_000`` → ``'9.8 GB'``: decimal units, the ones quotas are
    set in (``50GB``), so a limit reads back as it was typed."""
    if size < 1000:
        return f"{size} bytes"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB", "PB"):
        value /= 1000
        if value < 999.95 or unit == "PB":
            text = f"{value:.1f}".removesuffix(".0")
            return f"{text} {unit}"
    raise AssertionError("unreachable")


_UNITS = {
    "": 1,
    "b": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "tb": 1000**4,
    "pb": 1000**5,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
    "pib": 1024**5,
}
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")
# Beyond any disk: a number this large is a typing error, not a quota.
MAX_SIZE_BYTES = 2**62


def parse_size(text: str) -> int:
    """``'50GB'`` → 50_000_000_000, ``'1.5 GiB'`` → 1610612736, ``'123'`` → 123.

    Decimal units (kB, MB, GB, TB, PB: powers of 1000) and binary ones
    (KiB … PiB: powers of 1024), any case; a bare number is bytes. Raises
    ValueError naming what is accepted.
    """
    match = _SIZE_RE.match(text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise ValueError(
            f"{text!r} is not a size: write a number of bytes or a number with "
            "a unit (50GB, 1.5GiB, 500MB)."
        )
    value = int(Decimal(match.group(1)) * _UNITS[unit])
    if value > MAX_SIZE_BYTES:
        raise ValueError(f"{text!r} is larger than any disk.")
    return value
