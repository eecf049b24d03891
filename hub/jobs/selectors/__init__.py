"""Reads of job runs: per-commit checks, summaries, failing checks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from hub.catalog.models import Commit
from hub.jobs.models import ValidationRun


def validation_runs_of_commit(*, commit: Commit) -> QuerySet[ValidationRun]:
    """A commit's checks: the repo-level one first, then files by path."""
    return ValidationRun.objects.filter(commit=commit).order_by("-kind", "path")


def validation_runs_for_commits(
    *, commits: Iterable[Commit]
) -> dict[int, list[ValidationRun]]:
    """Runs grouped by commit id (one query)."""
    grouped: dict[int, list[ValidationRun]] = {}
    runs = ValidationRun.objects.filter(commit__in=list(commits)).order_by(
        "-kind", "path"
    )
    for run in runs:
        grouped.setdefault(run.commit_id, []).append(run)
    return grouped


@dataclass(frozen=True)
class ChecksSummary:
    """A CI-style status of a commit's checks."""

    state: str  # "pending" | "success" | "failure" | "error" | "none"
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    failing: list[ValidationRun] = field(default_factory=list)
    parameters: dict[str, int] = field(default_factory=dict)


def checks_summary(*, commit: Commit) -> ChecksSummary:
    """Summarise a commit's validation: failures first, then pending, else success.

    Also sums the safetensors parameter counts the validators extracted.
    """
    runs = list(validation_runs_of_commit(commit=commit))
    counts: dict[str, int] = {}
    parameters: dict[str, int] = {}
    for run in runs:
        counts[run.status] = counts.get(run.status, 0) + 1
        if run.metadata.get("format") == "safetensors":
            for dtype, n in (run.metadata.get("parameters") or {}).items():
                parameters[dtype] = parameters.get(dtype, 0) + int(n)
    failing = [r for r in runs if r.status == ValidationRun.Status.FAILED]
    if not runs:
        state = "none"
    elif failing:
        state = "failure"
    elif counts.get("queued") or counts.get("running"):
        state = "pending"
    elif counts.get("errored"):
        state = "error"
    else:
        state = "success"
    return ChecksSummary(
        state=state,
        total=len(runs),
        counts=counts,
        failing=failing,
        parameters=parameters,
    )


def failing_check_messages(*, commit: Commit) -> list[str]:
    """Plain-words reasons of every failed check of a commit (empty: none)."""
    messages = []
    for run in checks_summary(commit=commit).failing:
        where = run.path or "repository"
        reasons = [
            f["message"]
            for f in run.findings
            if f.get("severity") in ("unsafe", "error")
        ] or [f"check {run.verdict}"]
        messages.append(f"{where}: {reasons[0]}")
    return messages
