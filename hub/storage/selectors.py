"""Reads from the blob store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import IO

from django.db.models import Q

from hub.core.errors import NotFoundError
from hub.storage.models import Blob
from hub.storage.services import blob_store
from hub.storage.store import BlobIntegrityError, DownloadPlan
from hub.storage.stores import raw_store


def blob_get(*, sha256: str) -> Blob:
    """The Blob row for a digest; NotFoundError when the content is not stored."""
    try:
        return Blob.objects.get(pk=sha256)
    except Blob.DoesNotExist:
        raise NotFoundError(f"No stored object has SHA-256 {sha256}.") from None


def blob_read_bytes(*, sha256: str, limit: int) -> bytes:
    """Read a small blob whole; refuses blobs larger than ``limit`` bytes."""
    blob = blob_get(sha256=sha256)
    if blob.size > limit:
        raise ValueError(f"blob {sha256} is {blob.size} bytes, over the {limit} limit")
    return b"".join(blob_store().iter_range(sha256))


def blob_copy_verified(*, sha256: str, size: int, out: IO[bytes]) -> None:
    """Stream a stored blob into ``out``, checking its size and SHA-256 on the
    way (one pass); BlobIntegrityError when the stored bytes do not match."""
    digest = hashlib.sha256()
    written = 0
    for chunk in blob_store().iter_range(sha256):
        digest.update(chunk)
        written += len(chunk)
        out.write(chunk)
    out.flush()
    if written != size or digest.hexdigest() != sha256:
        raise BlobIntegrityError(f"The stored bytes of {sha256} do not match it.")


def blob_xet_hashes(*, sha256s: Iterable[str]) -> dict[str, str]:
    """The Xet file id of each of these blobs that Xet clients may download
    through the CAS (one query); blobs without one are left out.

    Offered when the Xet form is all there is (the file's own checks then
    guard it), or when a worker rebuilt it and found the blob's SHA-256: a
    shard's claim alone never stands in for bytes the store holds.
    """
    rows = (
        Blob.objects.filter(pk__in=set(sha256s), xet_file__isnull=False)
        .filter(Q(in_store=False) | Q(xet_file__verified_at__isnull=False))
        .values_list("pk", "xet_file_id")
    )
    return {sha256: str(xet_hash) for sha256, xet_hash in rows}


def blob_xet_hash(*, blob: Blob) -> str | None:
    """``blob_xet_hashes`` of one loaded Blob row: no query when it has no
    Xet form (most files), one otherwise."""
    if blob.xet_file_id is None:
        return None
    return blob_xet_hashes(sha256s=[blob.sha256]).get(blob.sha256)


def blob_download_plan(
    *,
    blob: Blob,
    byte_range: tuple[int, int] | None,
    filename: str,
    content_type: str,
) -> DownloadPlan:
    """``blob_store().download_plan`` for a loaded Blob row: content the
    store holds (``in_store``) is planned by the backend without asking the
    database again (a download's fixed cost, issue 17); Xet-only content is
    rebuilt from its xorbs as ever."""
    store = raw_store() if blob.in_store else blob_store()
    return store.download_plan(
        blob.sha256,
        size=blob.size,
        byte_range=byte_range,
        filename=filename,
        content_type=content_type,
    )
