"""Completing an upload: parts assembled, bytes verified, content promoted.

A multipart upload through the hub streams its staged part files, in
order, through the blob store's verified write, so it is checked exactly
like a basic one. Uploads sent straight to the store (S3) are read back,
checked and promoted by the store (``DirectUploads.promote_staged``) on the
completion (multipart) or the verify call (one PUT): until then no Blob
row exists and no content key holds them, so nothing can reference them.
The wire format of these calls lives in the HF face (``api.hf.lfs``).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from hub.core.errors import NotFoundError, ValidationError
from hub.ops.metrics import observe_upload
from hub.storage.models import Blob
from hub.storage.services import (
    blob_claim,
    blob_register,
    blob_store,
    blob_upload,
)
from hub.storage.store import SHA256_RE, BlobIntegrityError, DirectUploads
from hub.storage.uploads.grants import UploadGrant, part_size
from hub.storage.uploads.staging import staging_dir

ETAG_RE = re.compile(r"^[0-9a-f]{32}$")


class _PartsReader:
    """Reads the part files one after the other, as one stream.

    Marks the staging directory as active at each part, so garbage
    collection never removes an upload while it is being completed.
    """

    def __init__(self, folder: Path, paths: Sequence[Path]) -> None:
        self._folder = folder
        self._paths = list(paths)
        self._current: Any = None

    def read(self, size: int = -1, /) -> bytes:
        while True:
            if self._current is None:
                if not self._paths:
                    return b""
                os.utime(self._folder)
                self._current = open(self._paths.pop(0), "rb")  # noqa: SIM115
            chunk: bytes = self._current.read(size)
            if chunk:
                return chunk
            self._current.close()
            self._current = None

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None


@contextlib.contextmanager
def upload_parts_staged(grant: UploadGrant) -> Iterator[None]:
    """Around a completion: its staged parts are removed whatever the outcome."""
    folder = staging_dir(grant.upload_id)
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def upload_completed_blob(*, grant: UploadGrant) -> Blob | None:
    """The Blob a retried completion's first attempt stored, for this user
    (whether anyone else stored it must not show); None otherwise."""
    return Blob.objects.filter(
        pk=grant.oid,
        size=grant.size,
        is_quarantined=False,
        claims__user_id=grant.user_id,
    ).first()


def upload_assemble(*, grant: UploadGrant, etags: Mapping[int, str]) -> Blob:
    """Assemble the parts of a multipart upload into a verified blob.

    ``etags``: part number → the ETag its PUT answered, for every part
    1..N. Parts staged by the hub are streamed in order through the blob
    store (size and SHA-256 checked, atomic promotion); a direct upload is
    assembled and promoted by the store. Raises ValidationError (a part
    missing or not received) or BlobIntegrityError.
    """
    if set(etags) != set(range(1, grant.part_count + 1)):
        raise ValidationError(f"This upload has {grant.part_count} parts.")
    if grant.s3_upload_id:
        return _assemble_direct(grant, dict(etags))
    folder = staging_dir(grant.upload_id)
    paths: list[Path] = []
    for number in range(1, grant.part_count + 1):
        etag = etags[number]
        path = folder / f"{number}.{etag}"
        if not ETAG_RE.match(etag) or not path.is_file():
            raise ValidationError(
                f"Part {number} with ETag {etag!r} was not received: "
                "upload the parts again."
            )
        expected = part_size(
            size=grant.size, chunk_size=grant.chunk_size, part_number=number
        )
        if path.stat().st_size != expected:
            raise ValidationError(f"Part {number} is incomplete: upload it again.")
        paths.append(path)
    reader = _PartsReader(folder, paths)
    try:
        blob = blob_upload(
            stream=reader, expected_sha256=grant.oid, expected_size=grant.size
        )
    finally:
        reader.close()
    blob_claim(blob=blob, user_id=grant.user_id)
    return blob


def _assemble_direct(grant: UploadGrant, etags: dict[int, str]) -> Blob:
    """Assemble a direct multipart upload in the store, then verify and promote it."""
    uploads = blob_store().direct_uploads()
    if uploads is None:
        raise ValidationError("This upload was started on another blob store.")
    key = uploads.staging_key(
        grant.oid, grant.user_id, grant.upload_id, grant.expires_at
    )
    try:
        uploads.multipart_complete(key, upload_id=grant.s3_upload_id, etags=etags)
    except BlobIntegrityError:
        uploads.multipart_abort(key, upload_id=grant.s3_upload_id)
        raise
    return _promote(uploads, key, oid=grant.oid, size=grant.size, user_id=grant.user_id)


def _promote(
    uploads: DirectUploads, key: str, *, oid: str, size: int, user_id: int
) -> Blob:
    written = uploads.promote_staged(key, sha256=oid, size=size)
    blob = blob_register(sha256=written.sha256, size=written.size)
    blob_claim(blob=blob, user_id=user_id)
    observe_upload(size, via="s3-direct")
    return blob


def upload_verify(*, oid: str, size: int, user_id: int | None = None) -> Blob:
    """The stored, usable Blob ``oid`` of ``size`` bytes (the verify step).

    With a store taking direct uploads (S3), bytes ``user_id`` PUT straight
    to it are checked and promoted here first (a digest mismatch raises
    BlobIntegrityError and deletes them). Raises NotFoundError when the
    object is missing or has another size, and ValidationError when it is
    quarantined.
    """
    blob = None
    uploads = blob_store().direct_uploads()
    if user_id is not None and uploads is not None and SHA256_RE.match(oid):
        blob = _promote_staged_copies(uploads, oid=oid, size=size, user_id=user_id)
    if blob is None and SHA256_RE.match(oid) and user_id is not None:
        # Only content this user sent: whether someone else stored it must
        # not show (the batch answer skips the upload, and the verify call,
        # for content the caller may already use).
        blob = Blob.objects.filter(pk=oid, claims__user_id=user_id).first()
    if blob is None or blob.size != size:
        raise NotFoundError(f"Object {oid} of {size} bytes has not been uploaded.")
    if blob.is_quarantined:
        raise ValidationError("This content has been quarantined and cannot be used.")
    return blob


def _promote_staged_copies(
    uploads: DirectUploads, *, oid: str, size: int, user_id: int
) -> Blob | None:
    """Promote the bytes this user PUT straight to the store (even for content
    already stored: checking them is what records that the user holds it)."""
    blob: Blob | None = None
    staged = uploads.staged_objects(uploads.staging_prefix(oid, user_id))
    wrong = [item for item in staged if item.size != size]
    failure: BlobIntegrityError | None = None
    for item in staged:
        if item.size != size or blob is not None:
            # A wrong size, or the spare copy of a retried upload: one
            # promoted copy is enough (each promotion reads it back).
            uploads.staged_discard(item.key)
            continue
        try:
            blob = _promote(uploads, item.key, oid=oid, size=size, user_id=user_id)
        except BlobIntegrityError as exc:  # deleted; another copy may do
            failure = exc
    if blob is None and failure is not None:
        raise failure
    if blob is None and wrong:
        raise BlobIntegrityError(
            f"The uploaded object has {wrong[0].size} bytes, not the announced {size}."
        )
    return blob
