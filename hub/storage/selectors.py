"""Reads from the blob store."""

from __future__ import annotations

from hub.core.errors import NotFoundError
from hub.storage.models import Blob


def blob_get(*, sha256: str) -> Blob:
    """The Blob row for a digest; NotFoundError when the content is not stored."""
    try:
        return Blob.objects.get(pk=sha256)
    except Blob.DoesNotExist:
        raise NotFoundError(f"No stored object has SHA-256 {sha256}.") from None


def blob_exists(*, sha256: str) -> bool:
    return Blob.objects.filter(pk=sha256).exists()


def blob_read_bytes(*, sha256: str, limit: int) -> bytes:
    """Read a small blob whole; refuses blobs larger than ``limit`` bytes."""
    from hub.storage.services import blob_store

    blob = blob_get(sha256=sha256)
    if blob.size > limit:
        raise ValueError(f"blob {sha256} is {blob.size} bytes, over the {limit} limit")
    return b"".join(blob_store().iter_range(sha256))
