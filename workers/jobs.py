"""Validation tasks: claim a run, check the bytes, record the verdict.

Thin by design: the state machine lives in hub.jobs.services, the checks in
workers.validators. Nothing here executes uploaded content; validators parse
headers and disassemble pickles.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from hub.catalog.models import TreeEntry
from hub.jobs.models import ValidationRun
from hub.jobs.services import (
    blob_verdict_get,
    validation_run_claim,
    validation_run_error,
    validation_run_finish,
    validation_runs_reconcile,
)
from hub.jobs.services.evals import eval_runs_reconcile
from hub.storage.backends import LocalBlobStore
from hub.storage.services import blob_store
from workers.validators.base import FileSource, StoreSource, Verdict
from workers.validators.registry import validate_file, version_for
from workers.validators.repo import validate_repo

logger = logging.getLogger(__name__)


class LazyBlobSource:
    """A blob read on demand: repo checks see every file without holding fds."""

    def __init__(self, path: Path, size: int) -> None:
        self.path = path
        self._size = size

    @property
    def size(self) -> int:
        return self._size

    def read_at(self, offset: int, length: int) -> bytes:
        with FileSource(self.path) as source:
            return source.read_at(offset, length)


def _blob_source(store: Any, sha256: str, size: int) -> FileSource | StoreSource:
    """The bytes of a stored blob for a check: read in place when the store
    is the local disk, else (S3) by byte ranges, never downloaded whole."""
    if isinstance(store, LocalBlobStore):
        path = store.local_path(sha256)
        if path is None or not path.is_file():
            raise FileNotFoundError(f"the stored bytes of {sha256} are missing")
        return FileSource(path)
    if not store.exists(sha256):
        raise FileNotFoundError(f"the stored bytes of {sha256} are missing")
    return StoreSource(store, sha256, size)


def _record(run: ValidationRun, verdict: Verdict, *, reused: bool = False) -> None:
    validation_run_finish(
        run=run,
        verdict=verdict.status,
        findings=[finding.as_dict() for finding in verdict.findings],
        metadata=verdict.metadata,
        validator_version=verdict.validator_version,
        reused=reused,
    )


@shared_task(
    name="validation.check_file",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def check_file(self, run_id: int) -> None:
    """Validate one file of a commit by its content; reuse a cached verdict."""
    run = validation_run_claim(
        run_id=run_id, kind=ValidationRun.Kind.FILE, task_id=self.request.id or ""
    )
    if run is None:  # already claimed, finished or cancelled
        return
    try:
        if run.blob is None:
            validation_run_error(run=run, message="the file's content is gone")
            return
        try:
            opened = _blob_source(blob_store(), run.blob.sha256, run.blob.size)
        except FileNotFoundError:
            validation_run_error(run=run, message="the stored bytes are missing")
            return
        with opened as source:
            cached = blob_verdict_get(
                sha256=run.blob.sha256, validator_version=version_for(run.path, source)
            )
            if cached is not None:
                validation_run_finish(
                    run=run,
                    verdict=cached.verdict,
                    findings=cached.findings,
                    metadata=cached.metadata,
                    validator_version=cached.validator_version,
                    reused=True,
                )
                return
            verdict = validate_file(run.path, source)
        _record(run, verdict)
    except SoftTimeLimitExceeded:
        validation_run_error(run=run, message="the check took too long")
    except Exception as exc:  # a bug or I/O failure: never a pass
        logger.exception("validation run %s failed to execute", run_id)
        validation_run_error(run=run, message=f"{type(exc).__name__}: {exc}")


@shared_task(
    name="validation.check_repo",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def check_repo(self, run_id: int) -> None:
    """Repo-level checks of a commit: card, config, tokenizer, index, quota."""
    run = validation_run_claim(
        run_id=run_id, kind=ValidationRun.Kind.REPO, task_id=self.request.id or ""
    )
    if run is None:
        return
    try:
        store = blob_store()
        files = {}
        for entry in TreeEntry.objects.filter(commit_id=run.commit_id).only(
            "path", "blob_id", "size"
        ):
            source: LazyBlobSource | StoreSource
            if isinstance(store, LocalBlobStore):
                local = store.local_path(entry.blob_id)
                if local is None:
                    raise FileNotFoundError(entry.blob_id)
                source = LazyBlobSource(local, entry.size)
            else:  # remote bytes: read by ranges as the checks ask
                source = StoreSource(store, entry.blob_id, entry.size)
            files[entry.path] = (entry.size, source)
        verdict = validate_repo(
            files, quota_bytes=settings.HUB_REPO_QUOTA_BYTES or None
        )
        _record(run, verdict)
    except SoftTimeLimitExceeded:
        validation_run_error(run=run, message="the check took too long")
    except Exception as exc:
        logger.exception("repo validation run %s failed to execute", run_id)
        validation_run_error(run=run, message=f"{type(exc).__name__}: {exc}")


@shared_task(name="jobs.reconcile", soft_time_limit=240, time_limit=300)
def reconcile() -> dict[str, int]:
    """Re-send forgotten runs and requeue or give up on runs of dead workers
    (validation and eval runs)."""
    counts = validation_runs_reconcile()
    counts.update(eval_runs_reconcile())
    if any(counts.values()):
        logger.info("reconciler: %s", counts)
    return counts
