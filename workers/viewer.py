"""Dataset preview tasks: claim a preview, read the file in the sandboxed
child by byte ranges, store the answer.

Thin: the state machine lives in hub.viewer.services, the parsing in
workers.tabular.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from hub.storage.services import blob_store
from hub.viewer.services import (
    blob_preview_claim,
    blob_preview_error,
    blob_preview_finish,
    blob_preview_heartbeat,
    blob_previews_reconcile,
)
from workers.heartbeat import Heartbeat, beat_interval
from workers.tabular.runner import (
    PARSER_VERSION,
    inspect_file,
)
from workers.validators.base import StoreSource

logger = logging.getLogger(__name__)

# Ranged reads in small blocks: a Parquet file costs its footer and the
# column chunks of its first row groups, whatever its size.
READ_BLOCK_BYTES = 64 * 1024
READ_BLOCKS_KEPT = 16


def store_source(sha256: str, size: int, store: Any = None) -> StoreSource:
    """A blob read through the store by byte ranges, never fetched whole."""
    return StoreSource(
        store or blob_store(),
        sha256,
        size,
        block=READ_BLOCK_BYTES,
        blocks=READ_BLOCKS_KEPT,
        whole_below=0,
    )


@shared_task(
    name="viewer.preview_blob",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=300,
    time_limit=330,
)
def preview_blob(self, preview_id: int) -> None:
    """Compute one blob's preview (schema, first rows, row count) once."""
    preview = blob_preview_claim(preview_id=preview_id, task_id=self.request.id or "")
    if preview is None:  # already claimed or done
        return
    beat = partial(blob_preview_heartbeat, preview_id=preview.pk)
    with Heartbeat(beat, beat_interval(settings.HUB_JOB_STALE_AFTER_SECONDS)):
        try:
            with store_source(preview.blob.sha256, preview.blob.size) as source:
                inspection = inspect_file(source, preview.format)
            blob_preview_finish(
                preview=preview,
                result=inspection.result,
                parser_version=PARSER_VERSION,
            )
        except SoftTimeLimitExceeded:
            blob_preview_error(preview=preview, message="the preview took too long")
        except Exception as exc:  # the store or a bug: retried, never a result
            logger.exception("preview %s failed to execute", preview_id)
            blob_preview_error(preview=preview, message=f"{type(exc).__name__}: {exc}")


@shared_task(name="viewer.reconcile", soft_time_limit=240, time_limit=300)
def reconcile() -> dict[str, int]:
    """Re-send forgotten previews; requeue or give up on those of dead workers."""
    counts = blob_previews_reconcile()
    if any(counts.values()):
        logger.info("viewer reconciler: %s", counts)
    return counts
