"""Dataset previews: requested after a commit, claimed, finished, reconciled.

A preview is a row keyed by (blob, format); a Celery message only says
"look at preview N" (``viewer.preview_blob`` on the validation queue).
Claiming is a conditional UPDATE (queued → running), so a duplicated
message does nothing; infrastructure failures go back to ``queued`` until
the attempts run out. The file's own faults are results, not failures.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q
from django.db.models.functions import Now
from django.utils import timezone

from hub.catalog.models import Commit, ModelRepo, TreeEntry
from hub.core.dispatch import enqueue_on_commit, send_task_now
from hub.viewer.formats import FORMATS_BY_EXTENSION, dataset_format
from hub.viewer.models import BlobPreview

PREVIEW_TASK = "viewer.preview_blob"
PREVIEW_QUEUE = "validation"
# A preview keeps the last MESSAGE_LIMIT characters of its message.
MESSAGE_LIMIT = 2000


def _max_attempts() -> int:
    return int(getattr(settings, "HUB_JOB_MAX_ATTEMPTS", 3))


@transaction.atomic
def blob_previews_request(*, commit: Commit) -> list[BlobPreview]:
    """Queue a preview of each data file of a dataset commit not previewed yet.

    Content already previewed (in this repo or any other) is not read again.
    Models and spaces get none. Idempotent; sends after the commit.
    """
    if commit.repo.repo_type != ModelRepo.RepoType.DATASET:
        return []
    wanted: set[tuple[str, str]] = set()
    entries = (
        TreeEntry.objects.filter(commit=commit)
        .filter(_data_paths())
        .values_list("path", "blob_id")
    )
    for path, blob_id in entries:
        fmt = dataset_format(path)
        if fmt is not None:
            wanted.add((blob_id, fmt))
    if not wanted:
        return []
    now = timezone.now()
    BlobPreview.objects.bulk_create(
        [BlobPreview(blob_id=b, format=f, enqueued_at=now) for b, f in wanted],
        ignore_conflicts=True,
        batch_size=500,
    )
    # A preview given up for the infrastructure's sake gets another chance.
    BlobPreview.objects.filter(
        blob_id__in={b for b, _ in wanted},
        status=BlobPreview.Status.ERROR,
        code="infrastructure",
    ).update(status=BlobPreview.Status.QUEUED, attempts=0, enqueued_at=now)
    previews = [
        p
        for p in BlobPreview.objects.filter(blob_id__in={b for b, _ in wanted})
        if (p.blob_id, p.format) in wanted
    ]
    for preview in previews:
        if preview.status == BlobPreview.Status.QUEUED:
            enqueue_on_commit(PREVIEW_TASK, preview.pk, queue=PREVIEW_QUEUE)
    return previews


def _data_paths() -> Q:
    condition = Q()
    for extension in FORMATS_BY_EXTENSION:
        condition |= Q(path__iendswith=extension)
    return condition


def blob_preview_claim(*, preview_id: int, task_id: str = "") -> BlobPreview | None:
    """Move a queued preview to running and return it (with its blob).

    None when it is not queued (another worker has it, or it is done).
    """
    claimed = BlobPreview.objects.filter(
        pk=preview_id, status=BlobPreview.Status.QUEUED
    ).update(
        status=BlobPreview.Status.RUNNING,
        started_at=Now(),
        heartbeat_at=Now(),
        attempts=F("attempts") + 1,
        celery_task_id=task_id[:64],
    )
    if not claimed:
        return None
    return BlobPreview.objects.select_related("blob").get(pk=preview_id)


def blob_preview_heartbeat(*, preview_id: int) -> None:
    """Tell the reconciler the running preview is alive (the database's clock)."""
    BlobPreview.objects.filter(pk=preview_id, status=BlobPreview.Status.RUNNING).update(
        heartbeat_at=Now()
    )


def blob_preview_finish(
    *, preview: BlobPreview, result: dict[str, Any], parser_version: str
) -> bool:
    """Store the parser's answer: ``ready`` with the rows, or ``error`` with
    the file's problem. False (nothing written) if the preview is no longer
    running."""
    fields: dict[str, Any] = {
        "parser_version": parser_version[:16],
        "computed_at": Now(),
    }
    if result.get("ok"):
        fields.update(
            status=BlobPreview.Status.READY,
            features=result.get("features", []),
            num_columns=result.get("num_columns"),
            num_rows=result.get("num_rows"),
            num_rows_exact=bool(result.get("num_rows_exact")),
            rows=result.get("rows", []),
            facts=result.get("facts", {}),
            code="",
            message="",
        )
    else:
        message = str(result.get("message") or "The file cannot be previewed.")
        # The child cleans its text; a NUL would still make PostgreSQL refuse.
        message = message.replace("\x00", "\ufffd")
        fields.update(
            status=BlobPreview.Status.ERROR,
            code=str(result.get("code", ""))[:64],
            message=message[:MESSAGE_LIMIT],
            facts={"line": result["line"]} if "line" in result else {},
        )
    return bool(
        BlobPreview.objects.filter(
            pk=preview.pk, status=BlobPreview.Status.RUNNING
        ).update(**fields)
    )


@transaction.atomic
def blob_preview_error(*, preview: BlobPreview, message: str) -> str:
    """An infrastructure failure: back to the queue, or ``error`` once the
    attempts are used up. Returns the new status."""
    current = BlobPreview.objects.select_for_update().get(pk=preview.pk)
    if current.status != BlobPreview.Status.RUNNING:
        return current.status
    if current.attempts >= _max_attempts():
        current.status = BlobPreview.Status.ERROR
        current.code = "infrastructure"
        current.message = f"The preview could not be computed: {message}"[
            :MESSAGE_LIMIT
        ]
        current.computed_at = timezone.now()
        current.save(update_fields=["status", "code", "message", "computed_at"])
        return current.status
    current.status = BlobPreview.Status.QUEUED
    current.enqueued_at = timezone.now()
    current.save(update_fields=["status", "enqueued_at"])
    enqueue_on_commit(PREVIEW_TASK, current.pk, queue=PREVIEW_QUEUE)
    return current.status


def blob_previews_reconcile(
    *, queued_after_seconds: int | None = None, stale_after_seconds: int | None = None
) -> dict[str, int]:
    """Requeue or give up on previews of dead workers; re-send forgotten ones.

    The validation reconciler's rules (``hub.jobs.services.reconcile``),
    with its settings. Safe to run often.
    """
    queued_after = (
        settings.HUB_JOB_RESEND_AFTER_SECONDS
        if queued_after_seconds is None
        else queued_after_seconds
    )
    stale_after = (
        settings.HUB_JOB_STALE_AFTER_SECONDS
        if stale_after_seconds is None
        else stale_after_seconds
    )
    counts = {"preview_resent": 0, "preview_requeued": 0, "preview_errored": 0}
    stale = BlobPreview.objects.filter(
        status=BlobPreview.Status.RUNNING,
        heartbeat_at__lt=ExpressionWrapper(
            Now() - timedelta(seconds=stale_after), output_field=DateTimeField()
        ),
    ).values_list("pk", flat=True)
    for preview_id in list(stale):
        preview = BlobPreview(pk=preview_id)
        status = blob_preview_error(
            preview=preview, message="worker stopped responding"
        )
        key = (
            "preview_errored"
            if status == BlobPreview.Status.ERROR
            else "preview_requeued"
        )
        counts[key] += 1
    now = timezone.now()
    forgotten = BlobPreview.objects.filter(status=BlobPreview.Status.QUEUED).filter(
        Q(enqueued_at__isnull=True)
        | Q(enqueued_at__lt=now - timedelta(seconds=queued_after))
    )
    for preview_id in list(forgotten.values_list("pk", flat=True)[:500]):
        BlobPreview.objects.filter(pk=preview_id).update(enqueued_at=now)
        if send_task_now(PREVIEW_TASK, preview_id, queue=PREVIEW_QUEUE):
            counts["preview_resent"] += 1
    return counts
