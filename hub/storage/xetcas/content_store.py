"""Reads of content by SHA-256, whether its bytes sit in the store or in Xet.

``ContentStore`` wraps the backend: writes, staging and direct uploads are
the backend's; a read of a digest whose Blob row says its bytes live only
in Xet (``in_store`` false) rebuilds them from the file's xorbs. One query
on the Blob row per read tells which; content in the store reads as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from hub.storage.models import Blob, XetFile
from hub.storage.store import (
    BlobStore,
    Digest,
    DirectUploads,
    DownloadKind,
    DownloadPlan,
    KeySpace,
    ReadableStream,
    StagedObject,
    WrittenBlob,
)
from hub.storage.xetcas.reconstruction import xet_file_iter_range


def xet_only_file(sha256: str) -> XetFile | None:
    """The Xet file holding this content when the store does not, else None."""
    blob = (
        Blob.objects.filter(pk=sha256, in_store=False)
        .select_related("xet_file")
        .only("sha256", "xet_file")
        .first()
    )
    return blob.xet_file if blob is not None else None


class ContentStore(BlobStore):
    """The backend's store, reading Xet-only content through reconstruction."""

    def __init__(self, backend: BlobStore) -> None:
        self.backend = backend
        self.kind = backend.kind
        self.space = backend.space

    def in_space(self, space: KeySpace) -> BlobStore:
        return self.backend.in_space(space)

    def write(
        self,
        stream: ReadableStream,
        *,
        expected_sha256: str | None = None,
        expected_size: int | None = None,
        chunk_size: int = 1024 * 1024,
        digest: Digest | None = None,
    ) -> WrittenBlob:
        return self.backend.write(
            stream,
            expected_sha256=expected_sha256,
            expected_size=expected_size,
            chunk_size=chunk_size,
            digest=digest,
        )

    def direct_uploads(self) -> DirectUploads | None:
        return self.backend.direct_uploads()

    def collect_staging(self, *, expired_before: float) -> list[str]:
        return self.backend.collect_staging(expired_before=expired_before)

    def staged_uploads(self) -> Iterator[StagedObject]:
        return self.backend.staged_uploads()

    def staged_remove(self, key: str) -> None:
        self.backend.staged_remove(key)

    def exists(self, sha256: str) -> bool:
        return xet_only_file(sha256) is not None or self.backend.exists(sha256)

    def size(self, sha256: str) -> int:
        file = xet_only_file(sha256)
        return file.size if file is not None else self.backend.size(sha256)

    def iter_range(
        self,
        sha256: str,
        start: int = 0,
        end: int | None = None,
        chunk_size: int = 1024 * 1024,
    ) -> Iterator[bytes]:
        file = xet_only_file(sha256)
        if file is not None:
            return xet_file_iter_range(file, start, end)
        return self.backend.iter_range(sha256, start, end, chunk_size)

    def local_path(self, sha256: str) -> Path | None:
        if xet_only_file(sha256) is not None:
            return None
        return self.backend.local_path(sha256)

    def iter_objects(self) -> Iterator[StagedObject]:
        """The backend's objects (Xet-only content has none of its own)."""
        return self.backend.iter_objects()

    def download_plan(
        self,
        sha256: str,
        *,
        size: int,
        byte_range: tuple[int, int] | None = None,
        filename: str,
        content_type: str,
    ) -> DownloadPlan:
        file = xet_only_file(sha256)
        if file is None:
            return self.backend.download_plan(
                sha256,
                size=size,
                byte_range=byte_range,
                filename=filename,
                content_type=content_type,
            )
        start, end = byte_range if byte_range else (0, size - 1)
        return DownloadPlan(
            kind=DownloadKind.STREAM,
            size=size,
            byte_range=byte_range,
            chunks=xet_file_iter_range(file, start, end) if size else iter(()),
            via="xet-stream",
        )

    def range_url(self, key: str, *, first: int, last: int) -> str | None:
        return self.backend.range_url(key, first=first, last=last)

    def delete(self, sha256: str) -> None:
        self.backend.delete(sha256)

    def ping(self) -> None:
        self.backend.ping()
