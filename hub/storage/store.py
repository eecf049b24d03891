"""The blob store interface: what every backend (local disk, S3) offers.

Objects live in *key spaces*: ``blobs`` holds verified content addressed by
its SHA-256 (every stored file); another space (Xet xorbs, addressed by
their own 64-hex hash) is the same store seen through
:meth:`BlobStore.in_space`, with its own keys and the same reads, download
plans and deletes. Keys come from hashes only; a path chosen by a user never
reaches the filesystem or a bucket.

A backend answers four questions:

* how a client gets an object's bytes (:meth:`BlobStore.download_plan`: a
  local file to send, an internal redirect for nginx, a presigned URL, or a
  stream), with an optional byte range;
* how bytes become an object (:meth:`BlobStore.write`: staged, verified,
  then promoted to their key in one atomic step);
* what a byte range of an object holds (:meth:`BlobStore.iter_range`);
* how an object goes away (:meth:`BlobStore.delete`);
* which objects it holds (:meth:`BlobStore.iter_objects`, for ``hub_fsck``).

Stores that can take uploads straight from clients (S3 presigned URLs)
also answer :meth:`BlobStore.direct_uploads` with a :class:`DirectUploads`:
staged objects that become content only once the hub has read them back
(:meth:`DirectUploads.promote_staged`).
"""

from __future__ import annotations

import errno
import itertools
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from hub.core.errors import ApplicationError, ValidationError

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class ReadableStream(Protocol):
    """Anything with ``read(n)``: a file, a socket stream, a WSGI input."""

    def read(self, size: int = -1, /) -> bytes | None: ...


class Digest(Protocol):
    """What a store hashes written bytes with: hashlib's shape. The key of
    the object is ``hexdigest()``; it may raise ValidationError when the
    bytes are not a valid object of the space (a xorb's chunks, say)."""

    def update(self, data: bytes, /) -> None: ...

    def hexdigest(self) -> str: ...


class BlobIntegrityError(ValidationError):
    """The bytes received do not match the size or digest announced."""

    code = "integrity_error"


class StoreUnavailableError(ApplicationError):
    """The blob store failed or did not answer in time (an S3 5xx, a
    timeout): nothing was changed, the same request may succeed later."""

    code = "store_unavailable"
    http_status = 503
    retry_after = 10


class StoreFullError(ApplicationError):
    """The blob store has no room left for these bytes (a full disk);
    nothing was kept."""

    code = "store_full"
    http_status = 507
    retry_after = 60


def primed(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """``chunks`` with the first one read now: a store that fails before the
    first byte raises here (StoreUnavailableError: a 503 the client can
    act on) instead of after a 200 has been sent."""
    iterator = iter(chunks)
    first = next(iterator, None)
    return iter(()) if first is None else itertools.chain((first,), iterator)


@contextmanager
def disk_space_errors() -> Iterator[None]:
    """Turn a full disk or quota (ENOSPC, EDQUOT) into StoreFullError."""
    try:
        yield
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StoreFullError(
                "The hub's storage is full: nothing of this upload was kept. "
                "Try again later or ask the hub's operators."
            ) from exc
        raise


@dataclass(frozen=True)
class WrittenBlob:
    sha256: str
    size: int


def check_sha256(value: str) -> str:
    if not SHA256_RE.match(value or ""):
        raise ValidationError(f"{value!r} is not a SHA-256 digest (64 lowercase hex).")
    return value


@dataclass(frozen=True)
class KeySpace:
    """A namespace of keys in one store: its name and what a key looks like.

    The ``blobs`` space keeps the historical layout (no folder of its own on
    disk, ``blobs/`` in a bucket); any other space lives under its name.
    """

    name: str
    key_pattern: re.Pattern[str] = SHA256_RE

    def check(self, key: str) -> str:
        if self.key_pattern is SHA256_RE:
            return check_sha256(key)
        if not self.key_pattern.match(key or ""):
            raise ValidationError(f"{key!r} is not a key of the {self.name} space.")
        return key

    @staticmethod
    def fan_out(key: str) -> str:
        """``ab/cd/<key>``: two folder levels keep directories small."""
        return f"{key[:2]}/{key[2:4]}/{key}"


BLOBS = KeySpace("blobs")


class DownloadKind:
    """How a download plan hands the bytes over."""

    FILE = "file"  # a local file the web server sends (sendfile)
    ACCEL = "x-accel"  # an internal redirect nginx serves (X-Accel-Redirect)
    REDIRECT = "redirect"  # a presigned URL the client follows
    STREAM = "stream"  # bytes read from the store through the hub


@dataclass(frozen=True)
class DownloadPlan:
    """How one object (or a byte range of it) reaches a client.

    Exactly one of ``path`` (FILE), ``accel_uri`` (ACCEL), ``url``
    (REDIRECT) or ``chunks`` (STREAM) is set, as ``kind`` says. ``via``
    labels the bytes in the download metric.
    """

    kind: str
    size: int
    byte_range: tuple[int, int] | None = None
    path: Path | None = None
    accel_uri: str = ""
    url: str = ""
    chunks: Iterable[bytes] = ()
    via: str = "stream"

    @property
    def length(self) -> int:
        """Bytes the answer carries: the range's, or the whole object's."""
        if self.byte_range is None:
            return self.size
        return self.byte_range[1] - self.byte_range[0] + 1


@dataclass(frozen=True)
class StagedObject:
    key: str
    size: int
    last_modified: datetime


class BlobStore(ABC):
    """Objects addressed by key in one key space (``blobs`` unless moved)."""

    kind: str  # "local" or "s3"
    space: KeySpace = BLOBS

    @abstractmethod
    def in_space(self, space: KeySpace) -> BlobStore:
        """The same storage, addressing the keys of ``space``."""

    # Writing -----------------------------------------------------------------

    @abstractmethod
    def write(
        self,
        stream: ReadableStream,
        *,
        expected_sha256: str | None = None,
        expected_size: int | None = None,
        chunk_size: int = 1024 * 1024,
        digest: Digest | None = None,
    ) -> WrittenBlob:
        """Stage ``stream`` while hashing, verify size and SHA-256, promote it
        to its key atomically. Never reads past ``expected_size``; raises
        BlobIntegrityError on a mismatch, leaving nothing behind.

        ``digest`` replaces SHA-256 as the key of the object (a space whose
        keys are another hash); ``expected_sha256`` is then that key."""

    def direct_uploads(self) -> DirectUploads | None:
        """The store's direct-upload face, None when bytes come through the hub."""
        return None

    def collect_staging(self, *, expired_before: float) -> list[str]:
        """Remove the store's own staged uploads expired by then; their names."""
        return []

    def staged_uploads(self) -> Iterator[StagedObject]:
        """What the store holds staged, not (yet) content: writes and uploads
        under way or abandoned, each with a key ``staged_remove`` takes, its
        size and when it was last written (``hub_fsck --invariants``)."""
        return iter(())

    def staged_remove(self, key: str) -> None:
        """Remove one staged upload ``staged_uploads`` listed (gone: no-op)."""
        raise ValueError(f"this store stages nothing: {key!r}")

    # Reading -----------------------------------------------------------------

    @abstractmethod
    def exists(self, sha256: str) -> bool: ...

    @abstractmethod
    def size(self, sha256: str) -> int: ...

    @abstractmethod
    def iter_range(
        self,
        sha256: str,
        start: int = 0,
        end: int | None = None,
        chunk_size: int = 1024 * 1024,
    ) -> Iterator[bytes]:
        """Yield bytes ``start`` to ``end`` inclusive (to the end when None)."""

    def local_path(self, sha256: str) -> Path | None:
        """The object as a local file (read in place), None when remote."""
        return None

    @abstractmethod
    def iter_objects(self) -> Iterator[StagedObject]:
        """Every object of this key space: its key (the hash, not the path),
        size and last change, in no set order (``hub_fsck``'s orphan check).
        Names that are not keys of the space are skipped."""

    @abstractmethod
    def download_plan(
        self,
        sha256: str,
        *,
        size: int,
        byte_range: tuple[int, int] | None = None,
        filename: str,
        content_type: str,
    ) -> DownloadPlan:
        """How a client gets this object's bytes (``byte_range`` inclusive)."""

    def range_url(self, key: str, *, first: int, last: int) -> str | None:
        """A short-lived URL a client GETs bytes ``first``..``last`` of an
        object from, straight from the store; None when the store has no
        such URLs (the hub then serves them itself)."""
        return None

    def stream_plan(
        self, sha256: str, *, size: int, byte_range: tuple[int, int] | None
    ) -> DownloadPlan:
        """The plan every store can follow: bytes read through the hub."""
        start, end = byte_range if byte_range else (0, size - 1)
        chunks = self.iter_range(sha256, start, end) if size else iter(())
        return DownloadPlan(
            kind=DownloadKind.STREAM,
            size=size,
            byte_range=byte_range,
            chunks=chunks,
            via="stream",
        )

    # Removing and health ---------------------------------------------------------

    @abstractmethod
    def delete(self, sha256: str) -> None: ...

    @abstractmethod
    def ping(self) -> None:
        """Raise unless the store can serve now (readiness)."""


class DirectUploads(ABC):
    """Uploads a client sends straight to the store (presigned URLs).

    The bytes land on a *staging* key that names the object, the uploader
    and the URL's expiry; nothing can reference them until
    :meth:`promote_staged` has read them back, checked size and SHA-256 and
    copied them to their content address.
    """

    @abstractmethod
    def staging_prefix(self, sha256: str, user_id: int | None = None) -> str: ...

    @abstractmethod
    def staging_key(
        self, sha256: str, user_id: int, upload_id: str, expires_at: int
    ) -> str: ...

    @abstractmethod
    def upload_put_url(self, key: str, *, expires_in: int) -> str: ...

    @abstractmethod
    def multipart_create(self, key: str) -> str: ...

    @abstractmethod
    def multipart_part_url(
        self, key: str, *, upload_id: str, part_number: int, expires_in: int
    ) -> str: ...

    @abstractmethod
    def multipart_complete(
        self, key: str, *, upload_id: str, etags: dict[int, str]
    ) -> None: ...

    @abstractmethod
    def multipart_abort(self, key: str, *, upload_id: str) -> None: ...

    @abstractmethod
    def staged_objects(self, prefix: str) -> list[StagedObject]: ...

    @abstractmethod
    def staged_discard(self, key: str) -> None: ...

    @abstractmethod
    def promote_staged(self, key: str, *, sha256: str, size: int) -> WrittenBlob: ...
