"""Running ``hub_fsck --invariants --json`` as the fault suite does."""

from __future__ import annotations

import io
import json

from django.core.management import CommandError, call_command

from hub.jobs.models import ValidationRun
from workers.jobs import check_file, check_repo

REPO = ValidationRun.Kind.REPO


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


def finish_runs() -> int:
    """Run every queued validation run with the worker's own task code (the
    functions a Celery worker calls), files first; how many ran."""
    done = 0
    for kind, task in ((ValidationRun.Kind.FILE, check_file), (REPO, check_repo)):
        queued = ValidationRun.objects.filter(
            kind=kind, status=ValidationRun.Status.QUEUED
        )
        for run_id in list(queued.values_list("pk", flat=True)):
            task(run_id)
            done += 1
    return done
