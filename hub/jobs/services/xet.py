"""Content stored only through Xet is verified before a check can pass.

A Xet upload registers a file with the SHA-256 its shard *declares*; the
bytes exist only as xorb chunks. The file's own check first rebuilds the
bytes (streaming the reconstruction, constant memory) and hashes them
(``xet_file_verify``): a mismatch fails the check as ``quarantine`` with a
message saying so (the blob is quarantined by the verification itself).
The repo-level check of a commit waits, without spending an attempt, until
every Xet-only file of the commit was verified: it reads those files'
headers too, and must not pass on bytes nobody has verified yet.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from hub.core.dispatch import enqueue_on_commit
from hub.jobs.models import ValidationRun
from hub.jobs.services import (
    REPO_TASK,
    VALIDATION_QUEUE,
    validation_run_error,
    validation_run_finish,
)
from hub.storage.models import Blob
from hub.storage.xetcas.verify import xet_file_verify

# The validator version of a verification failure's verdict: it says
# nothing about the content the declared digest names, so it never answers
# a cached-verdict lookup of the content validators.
XET_VERIFY_VERSION = "xet-sha256/1"
MISMATCH_CODE = "xet_sha256_mismatch"


def _needs_verification(blob: Blob) -> bool:
    file = blob.xet_file
    return not blob.in_store and file is not None and file.verified_at is None


def validation_run_verify_xet(*, run: ValidationRun) -> bool:
    """Verify the SHA-256 of a file run's Xet-only content before its check.

    True: the content may be checked (stored content, or Xet bytes verified
    now or earlier). False: the rebuilt bytes do not match; the run was
    finished as ``quarantine`` with a message naming the declared digest.
    Errors reading xorbs propagate (the run is retried, never passed).
    Wakes the commit's repo-level check, which waits for this.
    """
    blob = run.blob
    if blob is None or not _needs_verification(blob):
        return True
    file = blob.xet_file
    assert file is not None
    matched = xet_file_verify(file=file)
    _wake_repo_check(commit_id=run.commit_id)
    if matched:
        return True
    file.refresh_from_db(fields=["verify_error"])
    message = (
        f"The bytes rebuilt from this file's Xet upload do not have the SHA-256 "
        f"it was uploaded with ({blob.sha256}): the upload is corrupt or "
        "forged, so the file is quarantined. Upload it again."
    )
    details = {"xet_hash": file.hash, "error": file.verify_error}
    validation_run_finish(
        run=run,
        verdict=ValidationRun.Verdict.QUARANTINE,
        findings=[
            {
                "severity": "unsafe",
                "code": MISMATCH_CODE,
                "message": message,
                "details": details,
            }
        ],
        metadata={},
        validator_version=XET_VERIFY_VERSION,
    )
    return False


def _wake_repo_check(*, commit_id: int) -> None:
    waiting = ValidationRun.objects.filter(
        commit_id=commit_id,
        kind=ValidationRun.Kind.REPO,
        status=ValidationRun.Status.QUEUED,
    ).values_list("pk", flat=True)
    for run_id in waiting:
        enqueue_on_commit(REPO_TASK, run_id, queue=VALIDATION_QUEUE)


def validation_run_await_xet(*, run: ValidationRun) -> bool:
    """Whether a repo-level run must wait for its commit's Xet-only files.

    While some are unverified and their file checks are still queued or
    running, the run goes back to ``queued`` without spending an attempt
    (the verifying check wakes it; the reconciler re-sends it otherwise)
    and True is returned. When those checks are over and a file is still
    unverified (they errored), the run errors too (retried, then
    ``errored``): True. False: nothing to wait for, check the files.
    """
    pending = Blob.objects.filter(
        tree_entries__commit_id=run.commit_id,
        in_store=False,
        is_quarantined=False,
        xet_file__verified_at__isnull=True,
    ).values("pk")
    if not pending.exists():
        return False
    checking = ValidationRun.objects.filter(
        commit_id=run.commit_id,
        kind=ValidationRun.Kind.FILE,
        blob_id__in=pending,
        status__in=(ValidationRun.Status.QUEUED, ValidationRun.Status.RUNNING),
    )
    if checking.exists():
        ValidationRun.objects.filter(
            pk=run.pk, status=ValidationRun.Status.RUNNING
        ).update(
            status=ValidationRun.Status.QUEUED,
            enqueued_at=timezone.now(),
            attempts=F("attempts") - 1,
        )
        return True
    validation_run_error(
        run=run, message="files stored through Xet could not be verified"
    )
    return True
