"""Shapes the pages display, built from selectors: license terms in plain
words, a commit's checks as a CI status, a model's parameters and size.

No rule lives here: visibility, permissions and check states come from the
domain's selectors; this module only words and groups their answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, Sum

from hub.catalog.models import Commit, ModelRepo
from hub.catalog.trees import tree_entries
from hub.jobs.models import ValidationRun
from hub.jobs.selectors import checks_summary, validation_runs_of_commit
from hub.licenses.models import License

# (flag, wording when true, wording when false); None means "not stated".
_TERMS = (
    ("allows_commercial_use", "Commercial use allowed", "No commercial use"),
    ("allows_derivatives", "Modifications allowed", "No modifications"),
    ("requires_attribution", "Credit the authors", "No credit required"),
    (
        "requires_share_alike",
        "Derivatives keep this license",
        "Derivatives may use another license",
    ),
)


@dataclass(frozen=True)
class Term:
    text: str
    kind: str  # "yes" | "no" | "must" | "unknown"


@dataclass(frozen=True)
class LicenseInfo:
    id: str
    name: str
    url: str
    summary: str
    terms: list[Term]


def license_info(*, repo: ModelRepo) -> LicenseInfo | None:
    """The repo's license with its terms in plain words (None: no license)."""
    if not repo.license:
        return None
    row = License.objects.filter(id=repo.license).first()
    card = repo.card_data if isinstance(repo.card_data, dict) else {}
    if row is None or repo.license == "other":
        link = card.get("license_link") if isinstance(card, dict) else ""
        return LicenseInfo(
            id=repo.license,
            name=repo.license_name or (row.name if row else repo.license),
            url=link if isinstance(link, str) and link.startswith("http") else "",
            summary="A license of its own: read its terms before use.",
            terms=[Term("Terms are set by the license text", "unknown")],
        )
    terms: list[Term] = []
    for flag, yes, no in _TERMS:
        value = getattr(row, flag)
        if value is None:
            terms.append(Term(f"{yes}? Not stated", "unknown"))
        elif flag.startswith("requires_"):
            terms.append(Term(yes, "must") if value else Term(no, "yes"))
        else:
            terms.append(Term(yes, "yes") if value else Term(no, "no"))
    if row.has_use_restrictions:
        terms.append(Term("Some uses are restricted", "must"))
    if row.requires_acceptance:
        terms.append(Term("Accept the terms before downloading", "must"))
    return LicenseInfo(row.id, row.name, row.url, row.summary, terms)


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


def commit_size(*, commit: Commit) -> int:
    """Total bytes of the files at a commit."""
    total = tree_entries(commit=commit).order_by().aggregate(total=Sum("size"))
    return int(total["total"] or 0)


def usage_snippets(*, base_url: str, repo: ModelRepo) -> dict[str, str]:
    """Copyable code that downloads or loads this model from this hub."""
    endpoint = base_url.rstrip("/")
    repo_id = repo.full_name
    auth = '\nos.environ["HF_TOKEN"] = "mc_..."  # a token from Settings' * (
        1 if repo.is_private or repo.gated != ModelRepo.Gated.OFF else 0
    )
    hub = (
        "import os\n"
        f'os.environ["HF_ENDPOINT"] = "{endpoint}"  # before importing the client'
        f"{auth}\n\n"
        "from huggingface_hub import snapshot_download\n\n"
        f'path = snapshot_download("{repo_id}")\n'
    )
    auto = "AutoModel"
    if repo.pipeline_tag == "text-generation":
        auto = "AutoModelForCausalLM"
    transformers = (
        "import os\n"
        f'os.environ["HF_ENDPOINT"] = "{endpoint}"  # before importing transformers'
        f"{auth}\n\n"
        f"from transformers import {auto}\n\n"
        f'model = {auto}.from_pretrained("{repo_id}")\n'
    )
    return {"huggingface_hub": hub, "transformers": transformers}
