"""The jobs' invariant check (``hub_fsck --invariants``): ``runs``.

Every commit has exactly one final run per check. A commit's checks are one
validation run per file of its tree and one for the repo as a whole
(``validation_runs_create``); once its validation succeeded, one eval run
per checkpoint (a folder holding ``config.json``) when this hub evaluates.
Findings: a check without its run (``missing_run``), a file run for a path
the tree does not have (``unexpected_run``), two final runs for one check
(``duplicate_final``: for evals, automatic runs only; an owner's forced
re-run adds a run on purpose), and a run still queued (since its creation)
or running (since its last heartbeat) past the grace period
(``stale_run``: the reconciler should have requeued or given it up).

Cost: seven aggregate queries for the whole hub (anti-joins on the runs'
unique and pending indexes, two GROUP BYs over the final runs), none per
commit; each returns only the findings. Nothing is repaired: the
reconciler (``jobs_reconcile``) owns retries and ``hub_rescan`` re-runs
checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat

from hub.catalog.models import Commit, TreeEntry
from hub.jobs.models import EvalRun, ValidationRun
from hub.jobs.services.evals import evals_enabled
from hub.storage.fsck import Check, Finding, FsckContext

_REPO = ("commit__repo__namespace__name", "commit__repo__name", "commit__oid")
_FILE = ValidationRun.Kind.FILE
_REPO_KIND = ValidationRun.Kind.REPO


def _subject(namespace: str, name: str, oid: str) -> str:
    return f"{namespace}/{name}@{oid}"


def _finding(problem: str, row: tuple[Any, ...], words: str) -> Finding:
    subject = _subject(*row[:3])
    return Finding("runs", problem, subject, f"{subject}: {words}")


def _missing_validation(ctx: FsckContext) -> Iterator[Finding]:
    no_repo_run = Commit.objects.filter(
        ~Exists(ValidationRun.objects.filter(commit=OuterRef("pk"), kind=_REPO_KIND))
    ).values_list("repo__namespace__name", "repo__name", "oid")
    for row in no_repo_run.order_by("pk").iterator():
        yield _finding("missing_run", row, "no repository check.")
    file_run = ValidationRun.objects.filter(
        commit=OuterRef("commit_id"), kind=_FILE, path=OuterRef("path")
    )
    no_file_run = TreeEntry.objects.filter(~Exists(file_run)).values_list(
        *_REPO, "path"
    )
    for row in no_file_run.order_by("commit_id", "path").iterator():
        yield _finding("missing_run", row, f"no check of {row[3]}.")
    entry = TreeEntry.objects.filter(
        commit=OuterRef("commit_id"), path=OuterRef("path")
    )
    stray = ValidationRun.objects.filter(~Exists(entry), kind=_FILE).values_list(
        *_REPO, "path"
    )
    for row in stray.order_by("commit_id", "path").iterator():
        yield _finding("unexpected_run", row, f"a check of {row[3]}, not in its tree.")


def _config_path() -> Case:
    """The ``config.json`` path an eval run's checkpoint folder stands for."""
    return Case(
        When(checkpoint="", then=Value("config.json")),
        default=Concat("checkpoint", Value("/config.json")),
    )


def _missing_evals(ctx: FsckContext) -> Iterator[Finding]:
    """Checkpoints of validated commits without any eval run (none at all is
    expected while validation has not succeeded, or on a hub without evals)."""
    if not evals_enabled():
        return
    not_passed = ValidationRun.objects.filter(commit=OuterRef("commit_id")).exclude(
        status=ValidationRun.Status.SUCCEEDED
    )
    validated = Exists(ValidationRun.objects.filter(commit=OuterRef("commit_id")))
    evaluated = EvalRun.objects.annotate(config=_config_path()).filter(
        commit=OuterRef("commit_id"), config=OuterRef("path")
    )
    checkpoints = (
        TreeEntry.objects.filter(
            Q(path="config.json") | Q(path__endswith="/config.json")
        )
        .exclude(path__endswith="1_Pooling/config.json")
        .filter(validated, ~Exists(not_passed), ~Exists(evaluated))
        .values_list(*_REPO, "path")
    )
    for row in checkpoints.order_by("commit_id", "path").iterator():
        yield _finding("missing_run", row, f"no evaluation of {row[3]}.")


def _duplicates(runs: QuerySet[Any], key: tuple[str, ...]) -> Iterator[tuple]:
    groups = runs.values(*_REPO, *key).annotate(n=Count("pk")).filter(n__gt=1)
    for group in groups.order_by(*_REPO, *key).iterator():
        yield (*(group[k] for k in _REPO), *(group[k] for k in key), group["n"])


def _duplicate_findings(ctx: FsckContext) -> Iterator[Finding]:
    finished = ValidationRun.objects.filter(status__in=ValidationRun.FINISHED)
    for row in _duplicates(finished, ("kind", "path")):
        what = row[4] or "the repository"
        yield _finding("duplicate_final", row, f"{row[5]} final checks of {what}.")
    automatic = EvalRun.objects.filter(status__in=EvalRun.FINAL, force=False)
    for row in _duplicates(automatic, ("checkpoint", "evaluator")):
        what = f"{row[3] or '.'} ({row[4]})"
        yield _finding("duplicate_final", row, f"{row[5]} final evaluations of {what}.")


def _stale(model: Any, ctx: FsckContext) -> QuerySet[Any]:
    alive = Coalesce("heartbeat_at", "started_at", "created_at")
    return (
        model.objects.annotate(alive=alive)
        .filter(
            Q(status=model.Status.QUEUED, created_at__lt=ctx.cutoff)
            | Q(status=model.Status.RUNNING, alive__lt=ctx.cutoff)
        )
        .order_by("pk")
    )


def _stale_findings(ctx: FsckContext) -> Iterator[Finding]:
    grace = f"longer than the grace period ({ctx.grace_seconds} s)"
    for run in _stale(ValidationRun, ctx).values_list(*_REPO, "status", "path"):
        what = run[4] or "the repository"
        yield _finding("stale_run", run, f"the check of {what} is {run[3]} {grace}.")
    for run in _stale(EvalRun, ctx).values_list(*_REPO, "status", "checkpoint"):
        yield _finding(
            "stale_run",
            run,
            f"the evaluation of {run[4] or '.'} is {run[3]} {grace}.",
        )


def _run_findings(ctx: FsckContext) -> Iterator[Finding]:
    ctx.tick(Commit.objects.count())
    yield from _missing_validation(ctx)
    yield from _missing_evals(ctx)
    yield from _duplicate_findings(ctx)
    yield from _stale_findings(ctx)


RUNS = Check(
    "runs",
    "every commit has exactly one final run per check, none stuck",
    lambda: Commit.objects.count(),
    _run_findings,
)
