"""Sizes in the words people read in messages."""

from __future__ import annotations


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
