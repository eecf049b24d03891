"""Validation runs: creation on commit, claim, finish, retry, reconcile (``reconcile``).

A run is a row; a Celery message only says "look at run N". Claiming is a
conditional UPDATE (queued → running), so a redelivered or duplicated
message does nothing. Infrastructure errors go back to ``queued`` until the
attempts run out, then ``errored`` — never ``succeeded``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone

from hub.catalog.models import Commit, TreeEntry
from hub.core.dispatch import enqueue_on_commit
from hub.jobs.models import BlobVerdict, ValidationRun
from hub.jobs.services.evals import eval_runs_after_validation
from hub.jobs.services.runs import LOG_LIMIT, max_attempts
from hub.storage.services import blob_mark_checked, blob_quarantine

logger = logging.getLogger(__name__)

VALIDATION_QUEUE = "validation"
FILE_TASK = "validation.check_file"
REPO_TASK = "validation.check_repo"

_FINISHED_OK = (ValidationRun.Status.SUCCEEDED, ValidationRun.Status.FAILED)


def task_for(run: ValidationRun) -> str:
    return FILE_TASK if run.kind == ValidationRun.Kind.FILE else REPO_TASK


@transaction.atomic
def validation_runs_create(
    *, commit: Commit, parent: Commit | None
) -> list[ValidationRun]:
    """Create a commit's checks: one per file and one for the repo as a whole.

    A file whose content is unchanged from the parent commit copies the
    parent's finished verdict (no job); everything else is queued and sent
    to the workers after the transaction commits. Idempotent per commit.
    """
    if ValidationRun.objects.filter(commit=commit).exists():
        return list(ValidationRun.objects.filter(commit=commit))
    inherited: dict[tuple[str, str], ValidationRun] = {}
    if parent is not None:
        for run in ValidationRun.objects.filter(
            commit=parent, kind=ValidationRun.Kind.FILE, status__in=_FINISHED_OK
        ):
            if run.blob_id:
                inherited[(run.path, run.blob_id)] = run
    now = timezone.now()
    runs: list[ValidationRun] = []
    for entry in TreeEntry.objects.filter(commit=commit).only("path", "blob_id"):
        previous = inherited.get((entry.path, entry.blob_id))
        if previous is not None:
            runs.append(
                ValidationRun(
                    commit=commit,
                    kind=ValidationRun.Kind.FILE,
                    path=entry.path,
                    blob_id=entry.blob_id,
                    status=previous.status,
                    verdict=previous.verdict,
                    findings=previous.findings,
                    metadata=previous.metadata,
                    validator_version=previous.validator_version,
                    reused=True,
                    started_at=now,
                    finished_at=now,
                )
            )
        else:
            runs.append(
                ValidationRun(
                    commit=commit,
                    kind=ValidationRun.Kind.FILE,
                    path=entry.path,
                    blob_id=entry.blob_id,
                    enqueued_at=now,
                )
            )
    runs.append(
        ValidationRun(commit=commit, kind=ValidationRun.Kind.REPO, enqueued_at=now)
    )
    created = ValidationRun.objects.bulk_create(runs, batch_size=500)
    for run in created:
        if run.status == ValidationRun.Status.QUEUED:
            enqueue_on_commit(task_for(run), run.pk, queue=VALIDATION_QUEUE)
    return created


def validation_run_claim(
    *, run_id: int, kind: str, task_id: str = ""
) -> ValidationRun | None:
    """Move a queued run of ``kind`` to running and return it.

    None when the run is not queued (another worker has it, it finished, or
    the message is a stale duplicate) or is not of that kind.
    """
    # The database's clock, not this worker's: the reconciler compares
    # heartbeats with it, so a worker whose clock is off is never stale.
    claimed = ValidationRun.objects.filter(
        pk=run_id, kind=kind, status=ValidationRun.Status.QUEUED
    ).update(
        status=ValidationRun.Status.RUNNING,
        started_at=Now(),
        heartbeat_at=Now(),
        attempts=F("attempts") + 1,
        celery_task_id=task_id[:64],
    )
    if not claimed:
        return None
    return ValidationRun.objects.select_related("blob", "commit__repo").get(pk=run_id)


def validation_run_heartbeat(*, run_id: int) -> None:
    """Tell the reconciler the running run is alive (the database's clock)."""
    ValidationRun.objects.filter(pk=run_id, status=ValidationRun.Status.RUNNING).update(
        heartbeat_at=Now()
    )


def blob_verdict_get(*, sha256: str, validator_version: str) -> BlobVerdict | None:
    """A cached verdict for this content and validator version, if any."""
    return BlobVerdict.objects.filter(
        blob_id=sha256, validator_version=validator_version
    ).first()


@transaction.atomic
def validation_run_finish(
    *,
    run: ValidationRun,
    verdict: str,
    findings: list[dict[str, Any]],
    metadata: dict[str, Any],
    validator_version: str,
    log: str = "",
    reused: bool = False,
) -> bool:
    """Record a verdict on a running run; quarantine the blob if it is unsafe.

    Idempotent: a run that is no longer running (finished by another
    delivery, or reset by the reconciler) is left alone and False returned.
    """
    if verdict not in ValidationRun.Verdict.values:
        raise ValueError(f"unknown verdict {verdict!r}")
    ok = verdict in (ValidationRun.Verdict.PASSED, ValidationRun.Verdict.WARNING)
    updated = ValidationRun.objects.filter(
        pk=run.pk, status=ValidationRun.Status.RUNNING
    ).update(
        status=ValidationRun.Status.SUCCEEDED if ok else ValidationRun.Status.FAILED,
        verdict=verdict,
        findings=findings,
        metadata=metadata,
        validator_version=validator_version,
        reused=reused,
        finished_at=Now(),
        log=log[-LOG_LIMIT:],
    )
    if not updated:
        return False
    if run.blob_id and run.kind == ValidationRun.Kind.FILE:
        BlobVerdict.objects.get_or_create(
            blob_id=run.blob_id,
            validator_version=validator_version,
            defaults={"verdict": verdict, "findings": findings, "metadata": metadata},
        )
        if verdict == ValidationRun.Verdict.QUARANTINE and run.blob is not None:
            reasons = "; ".join(
                f["message"]
                for f in findings
                if f.get("severity") in ("unsafe", "error")
            )
            blob_quarantine(blob=run.blob, reason=reasons or "unsafe content")
        # After the quarantine flag, in the same transaction: no reader ever
        # sees the content checked but not yet quarantined.
        blob_mark_checked(sha256=run.blob_id)
    # The last check of a successful validation queues the commit's evals.
    eval_runs_after_validation(commit_id=run.commit_id)
    return True


@transaction.atomic
def validation_run_error(*, run: ValidationRun, message: str) -> str:
    """An infrastructure failure: retry (back to queued) or give up (errored).

    Returns the new status. The run's content verdict stays empty: an
    errored run says nothing about the file.
    """
    current = ValidationRun.objects.select_for_update().get(pk=run.pk)
    if current.status != ValidationRun.Status.RUNNING:
        return current.status
    line = f"[attempt {current.attempts}] {message}\n"
    if current.attempts >= max_attempts():
        current.status = ValidationRun.Status.ERRORED
        current.finished_at = timezone.now()
        current.log = (current.log + line)[-LOG_LIMIT:]
        current.save(update_fields=["status", "finished_at", "log"])
        return current.status
    current.status = ValidationRun.Status.QUEUED
    current.enqueued_at = timezone.now()
    current.log = (current.log + line)[-LOG_LIMIT:]
    current.save(update_fields=["status", "enqueued_at", "log"])
    enqueue_on_commit(task_for(current), current.pk, queue=VALIDATION_QUEUE)
    return current.status
