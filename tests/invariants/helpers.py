"""Running ``hub_fsck --invariants --json`` as the fault suite does."""

from __future__ import annotations

import io
import json

from django.core.management import CommandError, call_command


def invariants(*args: str) -> tuple[dict, int]:
    """The JSON report and the exit status of ``hub_fsck --invariants``."""
    out = io.StringIO()
    try:
        call_command(
            "hub_fsck",
            "--invariants",
            "--json",
            *args,
            stdout=out,
            stderr=io.StringIO(),
        )
    except CommandError as exc:
        return json.loads(out.getvalue()), exc.returncode
    return json.loads(out.getvalue()), 0


def problems(report: dict) -> set[tuple[str, str, str]]:
    """(check, problem, subject) of every finding."""
    return {(f["check"], f["problem"], f["subject"]) for f in report["findings"]}
