"""The local blob store: objects as files under one root folder.

The interface (hub.storage.store.BlobStore) is small on purpose: write a
stream, plan a download, read a range, delete. Storage keys come from
hashes only; a path chosen by a user never reaches the filesystem.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from hub.storage.s3_staging import verified_digest
from hub.storage.store import (
    BLOBS,
    BlobIntegrityError,
    BlobStore,
    Digest,
    DownloadKind,
    DownloadPlan,
    KeySpace,
    ReadableStream,
    StagedObject,
    WrittenBlob,
    disk_space_errors,
)
from hub.storage.writeback import EarlyWriteback


def _copy(
    stream: ReadableStream,
    out: BinaryIO,
    digest: Digest,
    chunk_size: int,
    expected_size: int | None,
    writeback: EarlyWriteback,
) -> int:
    """Copy ``stream`` into ``out``, hashing; returns the size."""
    size = 0
    while True:
        # Never read past what was announced: a client sending more is cut
        # off and rejected instead of filling a disk.
        want = chunk_size
        if expected_size is not None:
            want = min(chunk_size, expected_size - size + 1)
        chunk = stream.read(want)
        if not chunk:
            return size
        size += len(chunk)
        if expected_size is not None and size > expected_size:
            raise BlobIntegrityError(
                f"Received more than the announced {expected_size} bytes."
            )
        digest.update(chunk)
        out.write(chunk)
        writeback.wrote(len(chunk))


# The name of a write's staging file under ``<root>/tmp`` (uuid4 hex).
_PART_RE = re.compile(r"\A[0-9a-f]{32}\.part\Z")


class LocalBlobStore(BlobStore):
    """Blobs as files ``<root>/ab/cd/<sha256>``; staging in ``<root>/tmp``.

    A write streams into a unique staging file in fixed-size chunks while
    hashing, checks size and digest, fsyncs, then renames into place: a
    reader sees the whole blob or nothing, and a mismatch or an error leaves
    no file behind.
    """

    kind = "local"

    def __init__(
        self, root: Path, *, accel_prefix: str = "", space: KeySpace = BLOBS
    ) -> None:
        self.root = Path(root)
        # HUB_BLOB_ACCEL_REDIRECT_PREFIX: nginx serves the files from an
        # internal location mapped to the root (empty: the hub sends them).
        self.accel_prefix = accel_prefix
        self.space = space

    def in_space(self, space: KeySpace) -> LocalBlobStore:
        if space.name == "tmp":
            raise ValueError("tmp is the staging folder, not a key space")
        return LocalBlobStore(self.root, accel_prefix=self.accel_prefix, space=space)

    def _path(self, sha256: str) -> Path:
        return self.root / self.relative_path(sha256)

    def relative_path(self, sha256: str) -> str:
        """Where an object lives under the root (nginx X-Accel-Redirect uses it)."""
        key = KeySpace.fan_out(self.space.check(sha256))
        return key if self.space is BLOBS else f"{self.space.name}/{key}"

    def _staging_dir(self) -> Path:
        path = self.root / "tmp"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def write(
        self,
        stream: ReadableStream,
        *,
        expected_sha256: str | None = None,
        expected_size: int | None = None,
        chunk_size: int = 1024 * 1024,
        digest: Digest | None = None,
    ) -> WrittenBlob:
        if expected_sha256 is not None:
            self.space.check(expected_sha256)
        staging = self._staging_dir() / f"{uuid.uuid4().hex}.part"
        digest = digest if digest is not None else hashlib.sha256()
        size = 0
        try:
            with disk_space_errors(), open(staging, "xb") as out:
                writeback = EarlyWriteback(out.fileno())
                try:
                    size = _copy(
                        stream, out, digest, chunk_size, expected_size, writeback
                    )
                    out.flush()
                finally:
                    writeback.finish()
                os.fsync(out.fileno())
            if expected_size is not None and size != expected_size:
                raise BlobIntegrityError(
                    f"Received {size} bytes but {expected_size} were announced."
                )
            sha256 = verified_digest(digest, expected_sha256)
            final = self._path(sha256)
            with disk_space_errors():
                final.parent.mkdir(parents=True, exist_ok=True)
                # os.replace is atomic; for existing content it replaces
                # identical bytes, so concurrent uploads of the same file
                # are harmless.
                os.replace(staging, final)
            return WrittenBlob(sha256=sha256, size=size)
        finally:
            staging.unlink(missing_ok=True)

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def size(self, sha256: str) -> int:
        return self._path(sha256).stat().st_size

    def iter_range(
        self,
        sha256: str,
        start: int = 0,
        end: int | None = None,
        chunk_size: int = 1024 * 1024,
    ) -> Iterator[bytes]:
        """Yield bytes ``start`` to ``end`` inclusive (to the end when None)."""
        path = self._path(sha256)
        with open(path, "rb") as handle:
            handle.seek(start)
            remaining = None if end is None else end - start + 1
            while remaining is None or remaining > 0:
                want = chunk_size if remaining is None else min(chunk_size, remaining)
                chunk = handle.read(want)
                if not chunk:
                    return
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk

    def local_path(self, sha256: str) -> Path | None:
        return self._path(sha256)

    def staged_uploads(self) -> Iterator[StagedObject]:
        """The staging files of writes (``tmp/<uuid>.part``): a write removes
        its own, so one left behind is a write whose process died."""
        for path in self._staging_dir().glob("*.part"):
            if not _PART_RE.match(path.name):
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:  # the write finished meanwhile
                continue
            yield StagedObject(
                key=path.name,
                size=stat.st_size,
                last_modified=datetime.fromtimestamp(stat.st_mtime, tz=UTC),
            )

    def staged_remove(self, key: str) -> None:
        if not _PART_RE.match(key):
            raise ValueError(f"not a staging file: {key!r}")
        (self._staging_dir() / key).unlink(missing_ok=True)

    def iter_objects(self) -> Iterator[StagedObject]:
        """Files ``ab/cd/<key>`` of the space's folder (the root for blobs,
        whose two-character folders no other space's name can match)."""
        base = self.root if self.space is BLOBS else self.root / self.space.name
        for path in base.glob("??/??/*"):
            key = path.name
            if (
                not self.space.key_pattern.match(key)
                or path.parent.parent.name != key[:2]
            ):
                continue
            if path.parent.name != key[2:4] or not path.is_file():
                continue
            stat = path.stat()
            yield StagedObject(
                key=key,
                size=stat.st_size,
                last_modified=datetime.fromtimestamp(stat.st_mtime, tz=UTC),
            )

    def download_plan(
        self,
        sha256: str,
        *,
        size: int,
        byte_range: tuple[int, int] | None = None,
        filename: str,
        content_type: str,
    ) -> DownloadPlan:
        """nginx sends the file when configured (and honours Range), else the
        hub does, with sendfile."""
        if self.accel_prefix:
            return DownloadPlan(
                kind=DownloadKind.ACCEL,
                size=size,
                byte_range=byte_range,
                accel_uri=self.accel_prefix + self.relative_path(sha256),
                via="x-accel",
            )
        return DownloadPlan(
            kind=DownloadKind.FILE,
            size=size,
            byte_range=byte_range,
            path=self._path(sha256),
            via="stream",
        )

    def delete(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)

    def ping(self) -> None:
        """Raise unless the root is (or can be made) a writable folder."""
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise OSError(f"{self.root} is not writable")
