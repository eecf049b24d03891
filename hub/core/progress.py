"""The progress bar of the operator commands (``manage.py hub_*``).

On stderr, and only when stderr is a terminal (``disable=None``), so the
``--json`` answer on stdout stays machine-readable and logs stay clean.
"""

from __future__ import annotations

import sys

from tqdm import tqdm


def progress_bar(*, total: int | None, desc: str, unit: str) -> tqdm:
    """A tqdm bar on stderr (a no-op when stderr is not a terminal)."""
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=None)
