"""The second pickle scanner: picklescan (PyPI) on the same bytes.

Any finding of its quarantines, and so does any import it sees that the
disassembler in ``pickles.py`` did not: two scanners that disagree about a
file mean one of them was fooled.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from importlib import metadata as importlib_metadata

from picklescan.scanner import SafetyLevel, scan_pickle_bytes

from workers.validators.base import Finding

logger = logging.getLogger(__name__)

PICKLESCAN_VERSION = importlib_metadata.version("picklescan")


def picklescan_findings(
    data: bytes, *, where: str, our_imports: Iterable[tuple[str, str]]
) -> list[Finding]:
    """Run picklescan on the same bytes; any finding of its is unsafe."""
    try:
        result = scan_pickle_bytes(io.BytesIO(data), "upload", multiple_pickles=True)
    except Exception as exc:
        logger.info("picklescan failed: %s", exc)
        return [
            Finding(
                "unsafe",
                "picklescan.error",
                f"The second pickle scanner (picklescan) could not read "
                f"{_lower(where)} ({exc}); it is refused to be safe.",
            )
        ]
    findings: list[Finding] = []
    if result.scan_err:
        findings.append(
            Finding(
                "unsafe",
                "picklescan.error",
                f"The second pickle scanner (picklescan) could not read "
                f"{_lower(where)} completely; it is refused to be safe.",
            )
        )
    dangerous = sorted(
        {
            f"{g.module}.{g.name}"
            for g in result.globals
            if g.safety == SafetyLevel.Dangerous
        }
    )
    if dangerous:
        findings.append(
            Finding(
                "unsafe",
                "picklescan.dangerous",
                f"The second pickle scanner (picklescan) flags {_lower(where)}: "
                f"it imports {', '.join(dangerous)}.",
                {"globals": dangerous},
            )
        )
    ours = set(our_imports)
    missed = sorted(
        f"{g.module}.{g.name}"
        for g in result.globals
        if (g.module, g.name) not in ours and g.safety != SafetyLevel.Dangerous
    )
    if missed:
        findings.append(
            Finding(
                "unsafe",
                "picklescan.disagreement",
                f"The two pickle scanners disagree about what {_lower(where)} "
                f"imports ({', '.join(missed)}); it is refused to be safe.",
                {"globals": missed},
            )
        )
    return findings


def _lower(where: str) -> str:
    return where[:1].lower() + where[1:]
