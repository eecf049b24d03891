"""Writes to the blob store: upload, quarantine, garbage collection."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from hub.storage.models import Blob, BlobClaim, XetFile
from hub.storage.references import blob_unreferenced
from hub.storage.store import BlobStore, ReadableStream
from hub.storage.stores import raw_store
from hub.storage.xetcas.content_store import ContentStore

logger = logging.getLogger(__name__)


def blob_store() -> BlobStore:
    """The configured store of content, addressed by SHA-256.

    Writes go to the backend (``hub.storage.stores.raw_store``); reads also
    serve content whose bytes live only in Xet, rebuilt from its xorbs
    (``ContentStore``), so every reader gets every file the same way.
    """
    return ContentStore(raw_store())


def blob_upload(
    *,
    stream: ReadableStream,
    expected_sha256: str | None = None,
    expected_size: int | None = None,
) -> Blob:
    """Stream bytes into the store, verify them, and register the Blob row.

    Idempotent: uploading content that is already stored returns the
    existing row (content is stored once). Raises BlobIntegrityError on a
    size or digest mismatch, leaving nothing behind.
    """
    written = blob_store().write(
        stream,
        expected_sha256=expected_sha256,
        expected_size=expected_size,
        chunk_size=settings.HUB_UPLOAD_CHUNK_BYTES,
    )
    return blob_register(sha256=written.sha256, size=written.size)


def blob_register(*, sha256: str, size: int) -> Blob:
    """The Blob row of bytes just stored under their digest, verified.

    Idempotent. Content known until now only as a Xet file (``in_store``
    false: a shard declared its digest and size) has its bytes in the store
    from now on, checked, so the row says so, with the size the bytes have.
    """
    blob, created = Blob.objects.get_or_create(sha256=sha256, defaults={"size": size})
    if not created and not blob.in_store:
        blob_repair_poisoned(sha256=sha256)
        Blob.objects.filter(pk=sha256, in_store=False).update(in_store=True, size=size)
        blob.refresh_from_db()
    return blob


# The start of the quarantine reason of a Xet-only blob whose rebuilt bytes
# did not hash to the digest its shard declared: a false claim on a digest,
# which the true bytes repair (``blob_repair_poisoned``).
XET_MISMATCH = "Its Xet bytes do not hash to the SHA-256 its upload declared"


def blob_is_poisoned(blob: Blob) -> bool:
    """A false Xet claim holds this digest (see ``XET_MISMATCH``)."""
    return (
        not blob.in_store
        and blob.is_quarantined
        and blob.quarantine_reason.startswith(XET_MISMATCH)
    )


def blob_repair_poisoned(*, sha256: str, xet_file: XetFile | None = None) -> bool:
    """Give a digest back its content after a false Xet claim on it.

    A shard may declare someone else's SHA-256 over other bytes; the worker
    catches it and quarantines that Xet-only blob (``xet_file_verify``).
    When the true bytes arrive (through LFS, or as a Xet file whose bytes
    were verified: ``xet_file``) the quarantine of the lie is lifted, the
    blob points at the true bytes, and its checks start again. True when
    a poisoned blob was repaired.
    """
    poisoned = Blob.objects.filter(
        pk=sha256,
        in_store=False,
        is_quarantined=True,
        quarantine_reason__startswith=XET_MISMATCH,
    )
    size = {"size": xet_file.size} if xet_file is not None else {}
    return bool(
        poisoned.update(
            **size,
            xet_file=xet_file,
            is_quarantined=False,
            quarantine_reason="",
            quarantined_at=None,
            checked_at=None,
        )
    )


def blob_upload_bytes(*, data: bytes, claimed_by: int | None = None) -> Blob:
    """Store a small in-memory payload (inline commit content, generated files).

    ``claimed_by``: the user who sent these bytes, who may then commit them.
    """
    blob = blob_upload(stream=io.BytesIO(data), expected_size=len(data))
    blob_claim(blob=blob, user_id=claimed_by)
    return blob


def blob_mark_checked(*, sha256: str) -> None:
    """Record that a final safety verdict exists for this content. Idempotent."""
    Blob.objects.filter(pk=sha256, checked_at__isnull=True).update(
        checked_at=timezone.now()
    )


def blob_quarantine(*, blob: Blob, reason: str) -> Blob:
    """Mark a blob unsafe: commits can no longer reference it. Idempotent."""
    Blob.objects.filter(pk=blob.pk, is_quarantined=False).update(
        is_quarantined=True, quarantine_reason=reason, quarantined_at=timezone.now()
    )
    blob.refresh_from_db()
    return blob


def blob_garbage(*, grace_seconds: int | None = None) -> QuerySet[Blob]:
    """The blobs GC would delete now: referenced by nothing, past the grace
    period (``HUB_BLOB_GC_GRACE_SECONDS`` unless given)."""
    grace = (
        settings.HUB_BLOB_GC_GRACE_SECONDS if grace_seconds is None else grace_seconds
    )
    cutoff = timezone.now() - timedelta(seconds=grace)
    return Blob.objects.filter(*blob_unreferenced(), created_at__lt=cutoff)


def blob_collect_garbage(*, grace_seconds: int | None = None) -> list[str]:
    """Delete blobs no commit references, older than the grace period.

    The grace period protects uploads waiting for their commit. The row is
    deleted first, in its own transaction; the database's foreign key then
    refuses the delete if a commit referenced the blob meanwhile, and the
    bytes are removed only once the row is gone. Returns deleted digests.
    """
    # "Referenced" is asked of the referrers the apps above registered
    # (hub.storage.references), so storage never knows their models.
    unreferenced = blob_unreferenced()
    candidates = blob_garbage(grace_seconds=grace_seconds).values_list(
        "sha256", flat=True
    )
    deleted: list[str] = []
    store = blob_store()
    for sha256 in list(candidates.iterator()):
        try:
            with transaction.atomic():
                gone = Blob.objects.filter(*unreferenced, pk=sha256).delete()[0]
                if not gone:
                    continue
        except IntegrityError:
            logger.info("blob %s was referenced during GC; kept", sha256)
            continue
        store.delete(sha256)
        deleted.append(sha256)
    return deleted


def blob_claim(*, blob: Blob, user_id: int | None) -> None:
    """Record that a user uploaded this content (idempotent; None: no-op)."""
    if user_id is None:
        return
    BlobClaim.objects.get_or_create(blob=blob, user_id=user_id)
