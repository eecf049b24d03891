"""A Xet file's declared SHA-256 checked against its rebuilt bytes.

Content is addressed by SHA-256 everywhere else in the hub, and a shard's
SHA-256 is the uploader's word. A worker streams the file back from its
xorbs once, hashes it and records the verdict: verified content gets its
Xet form linked for every Blob of that digest; a file whose bytes do not
match quarantines the Xet-only Blob it created, so the wrong bytes never
reach anyone under that digest.
"""

from __future__ import annotations

import hashlib

from django.utils import timezone

from hub.storage.models import Blob, XetFile
from hub.storage.services import (
    XET_MISMATCH,
    blob_quarantine,
    blob_repair_poisoned,
)
from hub.storage.xetcas.reconstruction import xet_file_iter_range


def rebuilt_digest(file: XetFile) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for part in xet_file_iter_range(file):
        digest.update(part)
        size += len(part)
    return digest.hexdigest(), size


def xet_file_verify(*, file: XetFile) -> bool:
    """Rebuild the file, compare its SHA-256 and size; record the verdict.

    Idempotent: a file verified before answers True without reading again.
    """
    if file.verified_at is not None:
        return True
    return xet_file_judge(file=file, rebuilt=rebuilt_digest(file))


def xet_file_judge(*, file: XetFile, rebuilt: tuple[str, int]) -> bool:
    """Record the verdict on a file whose bytes were rebuilt to ``rebuilt``
    (SHA-256, size): verified, or a false declaration quarantined."""
    sha256, size = rebuilt
    if sha256 == file.sha256 and size == file.size:
        XetFile.objects.filter(pk=file.pk).update(
            verified_at=timezone.now(), verify_error=""
        )
        file.verified_at = timezone.now()
        blob_repair_poisoned(sha256=file.sha256, xet_file=file)
        Blob.objects.filter(pk=file.sha256, xet_file__isnull=True).update(xet_file=file)
        return True
    error = (
        f"{XET_MISMATCH}: declared {file.sha256} ({file.size} bytes), "
        f"rebuilt {sha256} ({size} bytes)."
    )
    XetFile.objects.filter(pk=file.pk).update(verify_error=error)
    file.verify_error = error
    for blob in Blob.objects.filter(pk=file.sha256, in_store=False, xet_file=file):
        blob_quarantine(blob=blob, reason=error)
    return False
