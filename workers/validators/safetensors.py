"""safetensors: the header is the whole check, and its cost is flat.

The header is parsed by the one safetensors parser,
``hub.jobs.safetensors_header`` (two reads, tensor bytes never read); this
module turns what it finds into findings and a verdict whose metadata holds
the parameter counts the pages show.

A header that breaks the format's rules is quarantined, not merely failed:
a 2**63 header length, overlapping or trailing ranges, a shape that does not
fit its bytes have no legitimate use and are what loader exploits are made
of. Only a dtype this validator does not know yet fails without
quarantine: a newer writer may use it, and its reader checks the sizes.
"""

from __future__ import annotations

from typing import Any

from hub.jobs.safetensors_header import (
    SafetensorsHeader,
    SafetensorsHeaderError,
    safetensors_read_header,
)
from workers.validators.base import (
    Finding,
    FormatError,
    Severity,
    Source,
    Verdict,
    make_verdict,
)

VALIDATOR_VERSION = "2"

# Problems that make a file unloadable without making it a hostile input.
_NOT_MALFORMED = frozenset({"safetensors.unknown_dtype"})


def read_header(source: Source) -> SafetensorsHeader:
    """Parse and check a safetensors header. Raises FormatError."""
    try:
        return safetensors_read_header(source)
    except SafetensorsHeaderError as exc:
        problem = exc.problem
        severity: Severity = "error" if problem.code in _NOT_MALFORMED else "unsafe"
        raise FormatError(
            Finding(severity, problem.code, problem.message, problem.details)
        ) from None


def validate_safetensors(source: Source, path: str = "") -> Verdict:
    """Check a safetensors file from its header; extract parameter counts."""
    try:
        header = read_header(source)
    except FormatError as exc:
        return make_verdict([exc.finding], {"format": "safetensors"}, readable=False)
    parameters = header.parameters
    metadata: dict[str, Any] = {
        "format": "safetensors",
        "parameters": parameters,
        "total": sum(parameters.values()),
        "tensors": len(header.tensors),
        "header_bytes": header.header_length,
    }
    file_format = (header.metadata or {}).get("format")
    if file_format:
        metadata["saved_from"] = file_format[:32]
    warnings = [
        Finding("warning", note.code, note.message, note.details)
        for note in header.warnings
    ]
    return make_verdict(warnings, metadata)
