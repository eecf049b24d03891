"""Validation tasks: claim a run, check the bytes, record the verdict.

Thin by design: the state machine lives in hub.jobs.services, the checks in
workers.validators. Nothing here executes uploaded content; validators parse
headers and disassemble pickles.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

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
    validation_run_heartbeat,
)
from hub.jobs.services.reconcile import jobs_reconcile
from hub.jobs.services.xet import validation_run_await_xet, validation_run_verify_xet
from hub.storage.selectors import blob_copy_verified
from hub.storage.services import blob_store
from hub.storage.store import BlobStore
from workers.heartbeat import Heartbeat, beat_interval
from workers.validators.base import FileSource, StoreSource, Verdict
from workers.validators.registry import route, validate_file, version_for
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


# Remote blobs up to this size are fetched whole at the first read.
WHOLE_READ_MAX_BYTES = 64 * 1024 * 1024


class BytesMissingError(Exception):
    """A blob's stored bytes are gone (the run errors, it never passes)."""


# Kinds whose checks read a header only; the others (zip and tar members,
# pickle streams, ONNX graphs) read most of the file, one range per member.
_HEADER_KINDS = frozenset(
    {"safetensors", "gguf", "parquet", "csv", "jsonl", "empty", "text", "unknown"}
)


@contextmanager
def _blob_source(
    store: BlobStore, sha256: str, size: int, path: str
) -> Iterator[FileSource | StoreSource]:
    """The bytes of a stored blob for a check.

    The local disk's are read in place. Remote ones (S3, and content stored
    only through Xet, rebuilt from its xorbs as it is read) are read by byte
    ranges when the check reads a header (a 10 GB safetensors file costs a
    request, not a download); a container whose check reads every member
    (a torch zip: one range each) is streamed once into a temporary file,
    its SHA-256 checked, and deleted after the check.
    """
    local = store.local_path(sha256)
    if local is not None:  # a store whose objects are local files
        if not local.is_file():
            raise BytesMissingError(sha256)
        with FileSource(local) as source:
            yield source
        return
    if not store.exists(sha256):
        raise BytesMissingError(sha256)
    with StoreSource(store, sha256, size, whole_below=WHOLE_READ_MAX_BYTES) as ranged:
        if ranged.whole or route(path, ranged) in _HEADER_KINDS:
            yield ranged
            return
    with tempfile.NamedTemporaryFile(prefix="mc-check-") as copy:
        blob_copy_verified(sha256=sha256, size=size, out=copy)
        with FileSource(copy.name) as source:
            yield source


def _beating(run: ValidationRun) -> Heartbeat:
    """The run's heartbeat while its check works (workers.heartbeat)."""
    beat = partial(validation_run_heartbeat, run_id=run.pk)
    return Heartbeat(beat, beat_interval(settings.HUB_JOB_STALE_AFTER_SECONDS))


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
    with _beating(run):
        try:
            if run.blob is None:
                validation_run_error(run=run, message="the file's content is gone")
                return
            # Bytes uploaded through Xet carry a declared SHA-256 until they are
            # rebuilt and hashed: no check (nor cached verdict) before that.
            if not validation_run_verify_xet(run=run):
                return
            with _blob_source(
                blob_store(), run.blob.sha256, run.blob.size, run.path
            ) as source:
                cached = blob_verdict_get(
                    sha256=run.blob.sha256,
                    validator_version=version_for(run.path, source),
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
        except BytesMissingError:
            validation_run_error(run=run, message="the stored bytes are missing")
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
    with _beating(run):
        try:
            # The commit's Xet-only files are read below: not before their file
            # checks verified them (the run goes back to the queue meanwhile).
            if validation_run_await_xet(run=run):
                return
            store = blob_store()
            files = {}
            for entry in TreeEntry.objects.filter(commit_id=run.commit_id).only(
                "path", "blob_id", "size"
            ):
                source: LazyBlobSource | StoreSource
                local = store.local_path(entry.blob_id)
                if local is not None:  # local files: read on demand
                    source = LazyBlobSource(local, entry.size)
                else:  # remote bytes: read by ranges as the checks ask
                    source = StoreSource(
                        store,
                        entry.blob_id,
                        entry.size,
                        whole_below=WHOLE_READ_MAX_BYTES,
                    )
                files[entry.path] = (entry.size, source)
            verdict = validate_repo(
                files,
                quota_bytes=settings.HUB_REPO_QUOTA_BYTES or None,
                repo_type=run.commit.repo.repo_type,
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
    counts = jobs_reconcile()
    if any(counts.values()):
        logger.info("reconciler: %s", counts)
    return counts
