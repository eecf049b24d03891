"""A commit's checks as the pages show them: a CI-like status, the failing,
flagged and quarantined files, and the parameters the verdicts found.

No rule lives here: check states come from ``hub.jobs.selectors``; this
module only words and groups their answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from hub.catalog.models import Commit
from hub.jobs.models import ValidationRun
from hub.jobs.selectors import checks_summary, validation_runs_of_commit

STATE_LABELS = {
    "pending": "Validation running",
    "success": "All checks passed",
    "failure": "Checks failed",
    "error": "Checks could not run",
    "none": "No checks yet",
}


@dataclass
class FileProblem:
    path: str
    reasons: list[str]


@dataclass
class Checks:
    """A commit's checks as the pages show them."""

    state: str
    label: str
    total: int
    counts: dict[str, int]
    failing: list[FileProblem] = field(default_factory=list)
    warnings: list[FileProblem] = field(default_factory=list)
    quarantined: list[FileProblem] = field(default_factory=list)
    parameters: dict[str, int] = field(default_factory=dict)
    gguf: list[dict[str, Any]] = field(default_factory=list)
    # Runs on this commit's new content, and every run with a problem.
    runs: list[ValidationRun] = field(default_factory=list)

    @property
    def unchanged_passing(self) -> int:
        """Runs left out of ``runs``: unchanged files with a passing verdict."""
        return max(0, self.total - len(self.runs))

    @property
    def finished(self) -> int:
        return sum(
            n for status, n in self.counts.items() if status in ValidationRun.FINISHED
        )

    @property
    def parameter_total(self) -> int:
        total = sum(self.parameters.values())
        return total or sum(int(g.get("parameters") or 0) for g in self.gguf)

    @property
    def dtypes(self) -> list[str]:
        found = sorted(self.parameters, key=lambda d: -self.parameters[d])
        for info in self.gguf:
            found += [t for t in info.get("quantization") or [] if t not in found]
        return found


def _messages(run: ValidationRun, severities: tuple[str, ...]) -> list[str]:
    return [
        str(f.get("message"))
        for f in run.findings or []
        if isinstance(f, dict) and f.get("severity") in severities and f.get("message")
    ]


def commit_checks(*, commit: Commit) -> Checks:
    """The checks of a commit: state, failing and flagged files, parameters."""
    summary = checks_summary(commit=commit)
    # A commit's unchanged files carry their parent's passing verdicts: a
    # 300-file repo would load 300 rows to show nothing new. Load the runs
    # on content this commit brought, and any with something to say.
    runs = list(
        validation_runs_of_commit(commit=commit)
        .select_related("blob")
        .filter(
            Q(reused=False)
            | ~Q(verdict=ValidationRun.Verdict.PASSED)
            | Q(blob__is_quarantined=True)
            | Q(metadata__format="gguf")
        )
    )
    checks = Checks(
        state=summary.state,
        label=STATE_LABELS.get(summary.state, summary.state),
        total=summary.total,
        counts=summary.counts,
        parameters=dict(summary.parameters),
        runs=runs,
    )
    for run in summary.failing:
        reasons = _messages(run, ("unsafe", "error")) or [
            f"The check ended with the verdict {run.get_verdict_display().lower()}."
        ]
        checks.failing.append(FileProblem(run.path or "Repository", reasons))
    for run in runs:
        if run.verdict == ValidationRun.Verdict.WARNING:
            checks.warnings.append(
                FileProblem(run.path or "Repository", _messages(run, ("warning",)))
            )
        if run.blob is not None and run.blob.is_quarantined:
            checks.quarantined.append(
                FileProblem(run.path, [run.blob.quarantine_reason or "Unsafe content"])
            )
        metadata = run.metadata if isinstance(run.metadata, dict) else {}
        if metadata.get("format") == "gguf" and metadata.get("parameters"):
            checks.gguf.append({"path": run.path, **metadata})
    return checks
