"""Checks run again with the workers' current validators (``hub_rescan``).

A commit's checks are made once, when it is created, so a new validator
version reaches new commits only. A rescan sends the finished checks of the
commits the repos' refs point at (branches, tags and pull requests: what
anyone downloads by name; ``all_commits``: the whole history) back to the
queue as fresh runs, and Celery delivers them as usual (the embedded
filesystem broker too). Checks still queued or running are left alone;
a commit without checks gets them.

The hub does not know validator versions: they live in
``workers.validators``, which hub/ never imports, and a file's version
depends on the formats sniffed from its bytes. The worker that claims a
re-queued check looks for a verdict cached for the content at its *current*
version (``workers.jobs.check_file``) and reuses it, so content the current
validators already judged is sniffed (a few header reads) but not checked
again; a verdict made by an older version is redone. ``force`` forgets the
cached verdicts of the content in scope first, so every file is checked
anew. The repo-level checks (card, config, quota) cache nothing and always
run again. A rescan never lifts a quarantine: a new verdict can add one;
staff lift them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from hub.catalog.models import Commit, ModelRepo, Ref, TreeEntry
from hub.core.dispatch import enqueue_on_commit
from hub.jobs.models import BlobVerdict, ValidationRun
from hub.jobs.services import VALIDATION_QUEUE, task_for, validation_runs_create

# Told after each commit: its repo's name and how many checks were queued.
Progress = Callable[[str, int], None]

# A re-queued run starts as a new one: no verdict, no attempt spent.
_FRESH: dict[str, Any] = {
    "status": ValidationRun.Status.QUEUED,
    "verdict": "",
    "findings": [],
    "metadata": {},
    "validator_version": "",
    "reused": False,
    "attempts": 0,
    "celery_task_id": "",
    "started_at": None,
    "heartbeat_at": None,
    "finished_at": None,
    "log": "",
}


@dataclass
class RescanReport:
    dry_run: bool
    force: bool
    repos: int = 0
    commits: int = 0
    # One entry per check (re-)queued, or that a dry run would queue.
    queued: list[dict[str, Any]] = field(default_factory=list)
    # Checks left alone because they are queued or running already.
    in_progress: int = 0
    # Cached verdicts forgotten (``force``) or that would be.
    verdicts_forgotten: int = 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _quiet(repo: str, count: int) -> None:
    pass


def rescan_commits(
    *, repos: QuerySet[ModelRepo], all_commits: bool = False
) -> QuerySet[Commit]:
    """The commits a rescan covers: every ref's (or every commit), by id."""
    commits = Commit.objects.filter(repo__in=repos)
    if not all_commits:
        commits = commits.filter(
            pk__in=Ref.objects.filter(repo__in=repos).values("commit_id")
        )
    return commits.select_related("repo__namespace").order_by("pk")


def validation_rescan(
    *,
    repos: QuerySet[ModelRepo],
    all_commits: bool = False,
    force: bool = False,
    dry_run: bool = False,
    progress: Progress = _quiet,
) -> RescanReport:
    """Queue the finished checks of the repos' commits again (see module).

    ``rescan_commits`` chooses the commits; ``validation_commits_rescan``
    does the rest."""
    report = validation_commits_rescan(
        commits=rescan_commits(repos=repos, all_commits=all_commits),
        force=force,
        dry_run=dry_run,
        progress=progress,
    )
    report.repos = repos.count()
    return report


def validation_commits_rescan(
    *,
    commits: QuerySet[Commit],
    force: bool = False,
    dry_run: bool = False,
    progress: Progress = _quiet,
) -> RescanReport:
    """Queue the finished checks of ``commits`` again (the admin's action
    and ``validation_rescan``).

    One transaction per commit, its runs locked, messages sent after it
    commits. Idempotent while the runs are queued: a second rescan finds
    them in progress. ``dry_run`` changes nothing and reports the same.
    """
    report = RescanReport(dry_run=dry_run, force=force)
    repos: set[int] = set()
    for commit in commits.select_related("repo__namespace").order_by("pk").iterator():
        report.commits += 1
        repos.add(commit.repo_id)
        before = len(report.queued)
        with transaction.atomic():
            _rescan_commit(commit, report, force=force, dry_run=dry_run)
        progress(commit.repo.full_name, len(report.queued) - before)
    report.repos = len(repos)
    return report


def _rescan_commit(
    commit: Commit, report: RescanReport, *, force: bool, dry_run: bool
) -> None:
    runs = list(
        ValidationRun.objects.select_for_update()
        .filter(commit=commit)
        .order_by("kind", "path")
    )
    if not runs:  # a commit made before checks existed gets them all
        if dry_run:
            runs = [
                ValidationRun(kind=ValidationRun.Kind.FILE, path=path, blob_id=blob)
                for path, blob in TreeEntry.objects.filter(commit=commit)
                .order_by("path")
                .values_list("path", "blob_id")
            ] + [ValidationRun(kind=ValidationRun.Kind.REPO)]
        else:
            runs = validation_runs_create(commit=commit, parent=None)
        report.queued += [_entry(commit, run) for run in runs]
        return
    finished = [run for run in runs if run.is_finished]
    report.in_progress += len(runs) - len(finished)
    report.queued += [_entry(commit, run) for run in finished]
    if force:
        verdicts = BlobVerdict.objects.filter(
            blob_id__in={run.blob_id for run in finished if run.blob_id}
        )
        report.verdicts_forgotten += (
            verdicts.count() if dry_run else verdicts.delete()[0]
        )
    if dry_run or not finished:
        return
    ValidationRun.objects.filter(pk__in=[run.pk for run in finished]).update(
        **_FRESH, enqueued_at=timezone.now()
    )
    for run in finished:
        enqueue_on_commit(task_for(run), run.pk, queue=VALIDATION_QUEUE)


def _entry(commit: Commit, run: ValidationRun) -> dict[str, Any]:
    return {
        "repo": commit.repo.full_name,
        "commit": commit.oid,
        "kind": run.kind,
        "path": run.path,
        "blob": run.blob_id or "",
        "previous_version": run.validator_version,
    }
