"""Git LFS uploads: signed upload URLs, basic and multipart transfers.

The Hugging Face client uploads large files the way git-lfs does
(hf-protocol.md 2.14): a batch call, authenticated with the user's token,
answers one URL per object (or per part); the bytes are then PUT to those
URLs *without* any credentials. The URLs therefore authenticate themselves:
each carries a grant, the object's digest and size, the user, the part and
an expiry, signed with the project's SECRET_KEY (``django.core.signing``).

Basic transfers stream the request body straight into the blob store,
which hashes while writing and renames into place only when size and
digest match. Multipart transfers stage each part as a file under
``<HUB_BLOB_ROOT>/tmp/uploads/<upload id>/``; the completion call streams
the parts, in order, through the same blob-store write, so a multipart
object is verified exactly like a basic one. Whatever fails, the staging
parts are removed and nothing a commit could reference is left behind.

No state lives in the database until the blob is stored: the signed URLs
carry everything, so any web process (sharing the blob root) can serve any
part of an upload.

With the S3 store, the HF client's uploads go straight to S3 (``direct``
plans): a presigned PUT, or an S3 multipart upload with one presigned URL
per part, into a staging key ``staging/<oid>/<user>/<upload id>``. The
bytes become a blob only when the hub has read them back and checked size
and SHA-256 (the LFS verify call for a single PUT, the completion call for
multipart; :meth:`S3BlobStore.promote_staged`): until then no Blob row
exists and no blob key holds them, so nothing can reference them.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import queue
import re
import shutil
import threading
import time
import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing

from hub.core.errors import (
    ApplicationError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from hub.ops.metrics import observe_upload
from hub.storage.backends import SHA256_RE, BlobIntegrityError, ReadableStream
from hub.storage.models import Blob
from hub.storage.s3 import S3BlobStore
from hub.storage.services import blob_claim, blob_store, blob_upload

logger = logging.getLogger(__name__)

# Salt of every signed upload URL: a value signed for another purpose with
# the same SECRET_KEY (a session, a password reset) never verifies here.
UPLOAD_SIGNING_SALT = "hub.storage.uploads.lfs-upload"

# Largest object accepted through LFS. The Hugging Face Hub caps files at
# 50 GB; a self-hosted hub may hold bigger checkpoints, but an announced
# size must stay a number a disk could plausibly hold.
MAX_OBJECT_BYTES = 1024 * 1024**3

# S3 allows at most 10,000 parts; keeping the same bound keeps the batch
# answer (one URL per part) small and the protocol mappable onto S3. Larger
# objects get larger parts.
MAX_PARTS = 10_000

# Objects per batch call (the client sends at most 256).
MAX_BATCH_OBJECTS = 1000

# Extra idle time granted to a staging directory past the URL lifetime
# before garbage collection may remove it (a part PUT or a completion
# started just before the URLs expired may still be running).
STAGING_IDLE_MARGIN_SECONDS = 3600

TRANSFER_BASIC = "basic"
TRANSFER_MULTIPART = "multipart"
SUPPORTED_TRANSFERS = (TRANSFER_BASIC, TRANSFER_MULTIPART)

_UPLOAD_ID_RE = re.compile(r"^[0-9a-f]{32}$")
_ETAG_RE = re.compile(r"^[0-9a-f]{32}$")
_READ_CHUNK = 1024 * 1024
# Chunks read ahead of the writer: bounds an upload's buffers to 4 MiB.
_READ_AHEAD_CHUNKS = 4


class UploadDeniedError(PermissionDeniedError):
    """A signed upload URL is forged, altered, expired or for another object."""

    code = "upload_denied"


class UploadLengthRequiredError(ApplicationError):
    """An upload body arrived without a Content-Length."""

    code = "length_required"
    http_status = 411


class UnsupportedTransferError(ValidationError):
    """None of the transfer adapters the client offered is supported here."""

    code = "unsupported_transfer"


# Grants ---------------------------------------------------------------------


class GrantKind:
    """What a signed URL allows: a whole object, one part, or completion."""

    OBJECT = "object"
    PART = "part"
    COMPLETE = "complete"


@dataclass(frozen=True)
class UploadGrant:
    """The content of a signed upload URL.

    ``upload_id``, ``chunk_size`` and ``part_number`` are set for multipart
    grants only (``part_number`` for part grants only).
    """

    kind: str
    oid: str
    size: int
    user_id: int
    expires_at: int
    upload_id: str = ""
    chunk_size: int = 0
    part_number: int = 0
    # Direct S3 multipart uploads: the UploadId S3 gave the staging object.
    s3_upload_id: str = ""
    # Who the grant was issued to, beyond the user: the API token they used
    # (0: a browser session), the repo, and whether it was issued for a pull
    # request (readers) rather than under write access. Whoever opens a grant
    # re-checks these, so a revoked token or a removed member ends it at once.
    token_id: int = 0
    repo_id: int = 0
    for_pr: bool = False

    @property
    def part_count(self) -> int:
        return part_count(size=self.size, chunk_size=self.chunk_size)


def _signer() -> signing.Signer:
    return signing.Signer(salt=UPLOAD_SIGNING_SALT)


def upload_grant_sign(grant: UploadGrant) -> str:
    """The URL-safe signed token of ``grant``. Pure; no side effects."""
    payload: dict[str, Any] = {
        "k": grant.kind,
        "o": grant.oid,
        "s": grant.size,
        "u": grant.user_id,
        "e": grant.expires_at,
    }
    if grant.upload_id:
        payload.update(m=grant.upload_id, c=grant.chunk_size)
    if grant.part_number:
        payload["n"] = grant.part_number
    if grant.s3_upload_id:
        payload["x"] = grant.s3_upload_id
    if grant.token_id:
        payload["t"] = grant.token_id
    if grant.repo_id:
        payload["r"] = grant.repo_id
    if grant.for_pr:
        payload["p"] = 1
    return _signer().sign_object(payload)


def upload_grant_check(
    *, token: str, kind: str, oid: str, part_number: int | None = None
) -> UploadGrant:
    """Verify a signed token for ``kind`` on object ``oid`` (and part).

    Also checks the expiry and that the user who asked for the URL is still
    active. Raises UploadDeniedError (403) otherwise; reads one user row.
    """
    try:
        payload = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise UploadDeniedError(
            "This upload URL is not valid: its signature does not match."
        ) from None
    try:
        grant = UploadGrant(
            kind=str(payload["k"]),
            oid=str(payload["o"]),
            size=int(payload["s"]),
            user_id=int(payload["u"]),
            expires_at=int(payload["e"]),
            upload_id=str(payload.get("m", "")),
            chunk_size=int(payload.get("c", 0)),
            part_number=int(payload.get("n", 0)),
            s3_upload_id=str(payload.get("x", "")),
            token_id=int(payload.get("t", 0)),
            repo_id=int(payload.get("r", 0)),
            for_pr=bool(payload.get("p", 0)),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise UploadDeniedError("This upload URL is not valid.") from None
    if grant.kind != kind or grant.oid != oid:
        raise UploadDeniedError("This upload URL was issued for another object.")
    if part_number is not None and grant.part_number != part_number:
        raise UploadDeniedError("This upload URL was issued for another part.")
    if grant.expires_at < time.time():
        raise UploadDeniedError(
            "This upload URL has expired: ask the LFS batch API for a new one."
        )
    if grant.upload_id and not _UPLOAD_ID_RE.match(grant.upload_id):
        raise UploadDeniedError("This upload URL is not valid.")
    if not (get_user_model().objects.filter(pk=grant.user_id, is_active=True).exists()):
        raise UploadDeniedError(
            "The account this upload URL was issued to is inactive."
        )
    return grant


# Planning (the batch API) ---------------------------------------------------


def part_count(*, size: int, chunk_size: int) -> int:
    """How many parts a multipart upload of ``size`` bytes has."""
    return math.ceil(size / chunk_size) if chunk_size else 0


def part_size(*, size: int, chunk_size: int, part_number: int) -> int:
    """Exact byte count of part ``part_number`` (1-based): the last is shorter."""
    return min(chunk_size, size - (part_number - 1) * chunk_size)


def _chunk_size_for(size: int) -> int:
    chunk = int(settings.HUB_LFS_MULTIPART_CHUNK_BYTES)
    if size > chunk * MAX_PARTS:
        # Round the larger part size up to whole MiB so parts stay aligned.
        mib = 1024 * 1024
        chunk = math.ceil(math.ceil(size / MAX_PARTS) / mib) * mib
    return chunk


@dataclass(frozen=True)
class UploadPlan:
    """What the batch API answers for one object.

    Exactly one of: ``error`` set (code, message); ``transfer`` empty (the
    object is already stored: nothing to upload); ``transfer`` basic with
    ``token`` for the single PUT; ``transfer`` multipart with one token per
    part in ``part_tokens`` and ``token`` for the completion call.
    """

    oid: str
    size: int
    error: tuple[int, str] | None = None
    transfer: str = ""
    token: str = ""
    chunk_size: int = 0
    part_tokens: tuple[str, ...] = field(default=())
    expires_in: int = 0
    # Direct S3 plans: the presigned PUT of a basic transfer (``token`` is
    # then empty: the verify call promotes the object), or the presigned
    # part URLs of a multipart one (``token`` signs the completion).
    direct_href: str = ""
    part_urls: tuple[str, ...] = field(default=())


def upload_choose_transfer(
    *, offered: Collection[str] | None, size: int, threshold: int | None = None
) -> str:
    """The transfer adapter for an object of ``size`` bytes.

    Multipart when offered and the object reaches
    HUB_LFS_MULTIPART_THRESHOLD_BYTES (or basic is not offered); basic
    otherwise. Never "xet". Raises UnsupportedTransferError when neither
    basic nor multipart is offered.
    """
    # git-lfs: a request without "transfers" means basic.
    offered = set(offered) if offered else {TRANSFER_BASIC}
    if threshold is None:
        threshold = int(settings.HUB_LFS_MULTIPART_THRESHOLD_BYTES)
    if TRANSFER_MULTIPART in offered and (
        size >= threshold or TRANSFER_BASIC not in offered
    ):
        return TRANSFER_MULTIPART
    if TRANSFER_BASIC in offered:
        return TRANSFER_BASIC
    raise UnsupportedTransferError(
        f"None of the offered transfers ({', '.join(sorted(offered))}) is "
        f"supported; this hub supports {' and '.join(SUPPORTED_TRANSFERS)}."
    )


def upload_plan(
    *,
    oid: str,
    size: int,
    user_id: int,
    transfers: Collection[str] | None,
    holds_content: bool = True,
    direct: bool = False,
    token_id: int = 0,
    repo_id: int = 0,
    for_pr: bool = False,
) -> UploadPlan:
    """Decide how one LFS object gets uploaded and sign the URLs for it.

    Already stored (and not quarantined) → nothing to upload, the client
    skips it; quarantined or a size differing from the stored one → a 422
    error for that object; an invalid digest or size → a 422 error; else a
    basic or multipart upload grant for ``user_id``, valid for
    HUB_LFS_UPLOAD_URL_TTL_SECONDS. Reads one Blob row; writes nothing.
    Raises UnsupportedTransferError (see upload_choose_transfer).

    ``holds_content=False`` (the caller has never uploaded this content and
    cannot read a repo holding it) always asks for the bytes: whether some
    other repo stores them must not leak, and uploading proves possession.

    ``direct=True`` with the S3 store plans an upload straight to S3
    (presigned URLs; starts an S3 multipart upload for multipart plans).
    ``token_id``, ``repo_id`` and ``for_pr`` are signed into the grants (see
    UploadGrant) for whoever opens them to re-check.
    """
    if not SHA256_RE.match(oid):
        return UploadPlan(
            oid=oid, size=size, error=(422, "oid must be a SHA-256 (64 lowercase hex).")
        )
    if size < 0 or size > MAX_OBJECT_BYTES:
        return UploadPlan(
            oid=oid,
            size=size,
            error=(422, f"size must be between 0 and {MAX_OBJECT_BYTES} bytes."),
        )
    blob = (
        Blob.objects.filter(pk=oid).only("size", "is_quarantined").first()
        if holds_content
        else None
    )
    if blob is not None:
        if blob.is_quarantined:
            return UploadPlan(
                oid=oid,
                size=size,
                error=(422, "This content has been quarantined and cannot be used."),
            )
        if blob.size != size:
            return UploadPlan(
                oid=oid,
                size=size,
                error=(
                    422,
                    f"An object with this oid is stored with size {blob.size}, "
                    f"not {size}.",
                ),
            )
        return UploadPlan(oid=oid, size=size)
    ttl = int(settings.HUB_LFS_UPLOAD_URL_TTL_SECONDS)
    expires_at = int(time.time()) + ttl
    store = blob_store()
    if direct and isinstance(store, S3BlobStore):
        return _direct_plan(
            store,
            oid=oid,
            size=size,
            user_id=user_id,
            transfers=transfers,
            token_id=token_id,
            repo_id=repo_id,
            for_pr=for_pr,
        )
    transfer = upload_choose_transfer(offered=transfers, size=size)
    if transfer == TRANSFER_BASIC:
        grant = UploadGrant(
            kind=GrantKind.OBJECT,
            oid=oid,
            size=size,
            user_id=user_id,
            expires_at=expires_at,
            token_id=token_id,
            repo_id=repo_id,
            for_pr=for_pr,
        )
        return UploadPlan(
            oid=oid,
            size=size,
            transfer=transfer,
            token=upload_grant_sign(grant),
            expires_in=ttl,
        )
    chunk = _chunk_size_for(size)
    base = UploadGrant(
        kind=GrantKind.COMPLETE,
        oid=oid,
        size=size,
        user_id=user_id,
        expires_at=expires_at,
        upload_id=uuid.uuid4().hex,
        chunk_size=chunk,
        token_id=token_id,
        repo_id=repo_id,
        for_pr=for_pr,
    )
    parts = tuple(
        upload_grant_sign(replace(base, kind=GrantKind.PART, part_number=n))
        for n in range(1, base.part_count + 1)
    )
    return UploadPlan(
        oid=oid,
        size=size,
        transfer=transfer,
        token=upload_grant_sign(base),
        chunk_size=chunk,
        part_tokens=parts,
        expires_in=ttl,
    )


def _direct_plan(
    store: S3BlobStore,
    *,
    oid: str,
    size: int,
    user_id: int,
    transfers: Collection[str] | None,
    token_id: int,
    repo_id: int,
    for_pr: bool,
) -> UploadPlan:
    transfer = upload_choose_transfer(
        offered=transfers,
        size=size,
        threshold=int(settings.HUB_S3_MULTIPART_THRESHOLD_BYTES),
    )
    ttl = int(settings.HUB_LFS_UPLOAD_URL_TTL_SECONDS)
    upload_id = uuid.uuid4().hex
    expires_at = int(time.time()) + ttl
    key = store.staging_key(oid, user_id, upload_id, expires_at)
    if transfer == TRANSFER_BASIC:
        return UploadPlan(
            oid=oid,
            size=size,
            transfer=transfer,
            direct_href=store.upload_put_url(key, expires_in=ttl),
            expires_in=ttl,
        )
    grant = UploadGrant(
        kind=GrantKind.COMPLETE,
        oid=oid,
        size=size,
        user_id=user_id,
        expires_at=expires_at,
        upload_id=upload_id,
        chunk_size=_chunk_size_for(size),
        s3_upload_id=store.multipart_create(key),
        token_id=token_id,
        repo_id=repo_id,
        for_pr=for_pr,
    )
    part_urls = tuple(
        store.multipart_part_url(
            key, upload_id=grant.s3_upload_id, part_number=n, expires_in=ttl
        )
        for n in range(1, grant.part_count + 1)
    )
    return UploadPlan(
        oid=oid,
        size=size,
        transfer=transfer,
        token=upload_grant_sign(grant),
        chunk_size=grant.chunk_size,
        part_urls=part_urls,
        expires_in=ttl,
    )


# Receiving bytes ------------------------------------------------------------


class _ReadAhead:
    """Reads a request body in a helper thread, a few chunks ahead.

    Receiving from the socket, hashing and writing to disk all release the
    GIL, so with the network read moved to its own thread they overlap
    instead of taking turns (1 GiB PUTs to a bare WSGI app under gunicorn on
    2 vCPUs: median 3.4 s -> 2.5 s). Memory stays bounded by the queue.
    After close() the helper reads at most one more chunk, then stops.
    """

    _END = b""

    def __init__(self, stream: ReadableStream, length: int) -> None:
        self._stream = stream
        self._length = length
        self._queue: queue.Queue[bytes | BaseException] = queue.Queue(
            maxsize=_READ_AHEAD_CHUNKS
        )
        self._stop = threading.Event()
        self._pending = b""
        self._finished = False
        self._thread = threading.Thread(
            target=self._produce, name="upload-read-ahead", daemon=True
        )
        self._thread.start()

    def _offer(self, item: bytes | BaseException) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self) -> None:
        remaining = self._length
        try:
            while remaining > 0 and not self._stop.is_set():
                chunk = self._stream.read(min(_READ_CHUNK, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                if not self._offer(chunk):
                    return
        except BaseException as exc:  # handed to the reading thread
            self._offer(exc)
            return
        self._offer(self._END)

    def read(self, size: int = -1, /) -> bytes:
        if not self._pending:
            if self._finished:
                return b""
            item = self._queue.get()
            if isinstance(item, BaseException):
                self._finished = True
                raise item
            if item == self._END:
                self._finished = True
                return b""
            self._pending = item
        if size is None or size < 0 or size >= len(self._pending):
            data, self._pending = self._pending, b""
        else:
            data, self._pending = self._pending[:size], self._pending[size:]
        return data

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


@contextlib.contextmanager
def _read_ahead(stream: ReadableStream, length: int) -> Iterator[_ReadAhead]:
    reader = _ReadAhead(stream, length)
    try:
        yield reader
    finally:
        reader.close()


def _check_length(content_length: int | None, expected: int, what: str) -> None:
    if content_length is None:
        if expected == 0:
            return
        raise UploadLengthRequiredError(
            f"The {what} must be sent with a Content-Length header."
        )
    if content_length != expected:
        raise BlobIntegrityError(
            f"The {what} must be exactly {expected} bytes, not {content_length}."
        )


def upload_receive_object(
    *, grant: UploadGrant, stream: ReadableStream, content_length: int | None
) -> Blob:
    """Store the body of a basic PUT as the object ``grant`` names.

    Streams into the blob store (never buffered whole), which verifies size
    and SHA-256 and leaves nothing behind on a mismatch. Raises
    BlobIntegrityError (wrong size or digest) or UploadLengthRequiredError.
    Idempotent: re-sending stored content returns the existing Blob.
    """
    _check_length(content_length, grant.size, "upload")
    with _read_ahead(stream, grant.size) as body:
        blob = blob_upload(
            stream=body, expected_sha256=grant.oid, expected_size=grant.size
        )
    blob_claim(blob=blob, user_id=grant.user_id)
    observe_upload(grant.size, via="hub")
    return blob


def _staging_root() -> Path:
    return Path(settings.HUB_BLOB_ROOT) / "tmp" / "uploads"


def _staging_dir(upload_id: str) -> Path:
    if not _UPLOAD_ID_RE.match(upload_id):
        raise ValidationError("Malformed upload id.")
    return _staging_root() / upload_id


def _part_files(folder: Path, part_number: int) -> list[Path]:
    prefix = f"{part_number}."
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    return [folder / n for n in names if n.startswith(prefix)]


def upload_receive_part(
    *, grant: UploadGrant, stream: ReadableStream, content_length: int | None
) -> str:
    """Stage one part of a multipart upload; return its ETag (quoted).

    The part must be exactly chunk_size bytes (the last one: the remainder).
    It is written to a temporary file and renamed into place, replacing any
    earlier copy of the same part, so a retried part is never half-visible.
    The ETag names this copy: completion accepts only the copies whose
    ETags the client was given. Raises BlobIntegrityError on a wrong size.
    """
    expected = part_size(
        size=grant.size, chunk_size=grant.chunk_size, part_number=grant.part_number
    )
    _check_length(content_length, expected, f"part {grant.part_number}")
    folder = _staging_dir(grant.upload_id)
    folder.mkdir(parents=True, exist_ok=True)
    etag = uuid.uuid4().hex
    temp = folder / f".{grant.part_number}.{etag}.tmp"
    final = folder / f"{grant.part_number}.{etag}"
    try:
        received = 0
        with _read_ahead(stream, expected) as body, open(temp, "xb") as out:
            while True:
                # Read at most one byte past the part: more is refused.
                want = min(_READ_CHUNK, expected - received + 1)
                chunk = body.read(want)
                if not chunk:
                    break
                received += len(chunk)
                if received > expected:
                    break
                out.write(chunk)
        if received != expected:
            raise BlobIntegrityError(
                f"Part {grant.part_number} must be {expected} bytes; "
                f"{'more' if received > expected else received} were received."
            )
        # No fsync: a part torn by a crash fails the digest check at
        # completion, and the verified blob is fsynced by the blob store.
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)
    for older in _part_files(folder, grant.part_number):
        if older != final:
            older.unlink(missing_ok=True)
    observe_upload(expected, via="hub")
    return f'"{etag}"'


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


def _normalise_etag(value: object) -> str:
    text = str(value).strip()
    if text.startswith("W/"):
        text = text[2:]
    return text.strip('"')


def _parse_parts(grant: UploadGrant, parts: Iterable[Any]) -> dict[int, str]:
    found: dict[int, str] = {}
    for item in parts:
        if not isinstance(item, dict):
            raise ValidationError('Each part must be {"partNumber": n, "etag": "..."}.')
        number, etag = item.get("partNumber"), item.get("etag")
        if not isinstance(number, int) or isinstance(number, bool):
            raise ValidationError("partNumber must be an integer.")
        if not isinstance(etag, str) or not etag:
            raise ValidationError(f"Part {number} has no etag.")
        if number in found:
            raise ValidationError(f"Part {number} is listed twice.")
        found[number] = _normalise_etag(etag)
    expected = set(range(1, grant.part_count + 1))
    if set(found) != expected:
        missing = sorted(expected - set(found))
        extra = sorted(set(found) - expected)
        detail = []
        if missing:
            detail.append(f"missing parts {_short_list(missing)}")
        if extra:
            detail.append(f"unknown parts {_short_list(extra)}")
        raise ValidationError(
            f"This upload has {grant.part_count} parts: {'; '.join(detail)}."
        )
    return found


def _short_list(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + (", ..." if len(numbers) > 10 else "")


def upload_complete(*, grant: UploadGrant, payload: Any) -> Blob:
    """Assemble a multipart upload into a verified blob.

    ``payload`` is the decoded completion body, ``{"oid", "parts":
    [{"partNumber", "etag"}]}`` (None when it was not JSON): every part
    1..N must be listed once, with the ETag its PUT answered. The staged
    parts are streamed in order through the blob store (size and SHA-256
    checked, atomic rename). The staging directory is removed whatever the
    outcome. Idempotent: completing an object already stored returns its
    Blob. Raises ValidationError (body, parts, ETags) or BlobIntegrityError.
    """
    folder = _staging_dir(grant.upload_id)
    try:
        if not isinstance(payload, dict) or not isinstance(payload.get("parts"), list):
            raise ValidationError(
                'The completion body must be JSON: {"oid": ..., "parts": [...]}.'
            )
        if payload.get("oid") != grant.oid:
            raise ValidationError("The completion oid differs from the upload's oid.")
        existing = Blob.objects.filter(
            pk=grant.oid,
            size=grant.size,
            is_quarantined=False,
            claims__user_id=grant.user_id,
        ).first()
        if existing is not None:
            # A retried completion whose first attempt stored the blob (for
            # this user: whether anyone else stored it must not show).
            return existing
        etags = _parse_parts(grant, payload["parts"])
        if grant.s3_upload_id:
            return _complete_direct(grant, etags)
        paths: list[Path] = []
        for number in range(1, grant.part_count + 1):
            etag = etags[number]
            path = folder / f"{number}.{etag}"
            if not _ETAG_RE.match(etag) or not path.is_file():
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
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _complete_direct(grant: UploadGrant, etags: dict[int, str]) -> Blob:
    """Assemble a direct S3 multipart upload, then verify and promote it."""
    store = blob_store()
    if not isinstance(store, S3BlobStore):
        raise ValidationError("This upload was started on another blob store.")
    key = store.staging_key(grant.oid, grant.user_id, grant.upload_id, grant.expires_at)
    try:
        store.multipart_complete(key, upload_id=grant.s3_upload_id, etags=etags)
    except BlobIntegrityError:
        store.multipart_abort(key, upload_id=grant.s3_upload_id)
        raise
    return _promote(store, key, oid=grant.oid, size=grant.size, user_id=grant.user_id)


def _promote(
    store: S3BlobStore, key: str, *, oid: str, size: int, user_id: int
) -> Blob:
    written = store.promote_staged(key, sha256=oid, size=size)
    blob, _ = Blob.objects.get_or_create(
        sha256=written.sha256, defaults={"size": written.size}
    )
    blob_claim(blob=blob, user_id=user_id)
    observe_upload(size, via="s3-direct")
    return blob


def upload_verify(*, oid: str, size: int, user_id: int | None = None) -> Blob:
    """The stored, usable Blob ``oid`` of ``size`` bytes (the LFS verify step).

    With the S3 store, bytes ``user_id`` PUT straight to S3 are checked and
    promoted here first (a digest mismatch raises BlobIntegrityError and
    deletes them). Raises NotFoundError when the object is missing or has
    another size, and ValidationError when it is quarantined.
    """
    blob = None
    store = blob_store()
    if user_id is not None and isinstance(store, S3BlobStore) and SHA256_RE.match(oid):
        # Bytes this user PUT straight to S3 (even for content already
        # stored: checking them is what records that the user holds it).
        staged = store.staged_objects(store.staging_prefix(oid, user_id))
        wrong = [item for item in staged if item.size != size]
        failure: BlobIntegrityError | None = None
        for item in staged:
            if item.size != size or blob is not None:
                # A wrong size, or the spare copy of a retried upload: one
                # promoted copy is enough (each promotion reads it back).
                store.client.delete_object(Bucket=store.bucket, Key=item.key)
                continue
            try:
                blob = _promote(store, item.key, oid=oid, size=size, user_id=user_id)
            except BlobIntegrityError as exc:  # deleted; another copy may do
                failure = exc
        if blob is None and failure is not None:
            raise failure
        if blob is None and wrong:
            raise BlobIntegrityError(
                f"The uploaded object has {wrong[0].size} bytes, not the "
                f"announced {size}."
            )
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


# Housekeeping ---------------------------------------------------------------


def _last_activity(folder: Path) -> float:
    latest = folder.stat().st_mtime
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                latest = max(latest, entry.stat(follow_symlinks=False).st_mtime)
            except FileNotFoundError:
                continue
    return latest


def upload_staging_collect(*, older_than_seconds: int | None = None) -> list[str]:
    """Remove multipart staging directories idle for ``older_than_seconds``.

    Idle = no part written and no completion reading it for that long. The
    default, the URL lifetime plus STAGING_IDLE_MARGIN_SECONDS, only removes
    uploads no signed URL can reach any more. Returns the upload ids
    removed. Safe to run at any time, concurrently with uploads.
    """
    if older_than_seconds is None:
        older_than_seconds = (
            int(settings.HUB_LFS_UPLOAD_URL_TTL_SECONDS) + STAGING_IDLE_MARGIN_SECONDS
        )
    cutoff = time.time() - older_than_seconds
    root = _staging_root()
    removed: list[str] = []
    try:
        entries = list(os.scandir(root))
    except FileNotFoundError:
        entries = []
    for entry in entries:
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                if _last_activity(path) >= cutoff:
                    continue
                shutil.rmtree(path, ignore_errors=True)
            elif entry.stat(follow_symlinks=False).st_mtime < cutoff:
                path.unlink(missing_ok=True)
            else:
                continue
        except FileNotFoundError:
            continue
        removed.append(entry.name)
    store = blob_store()
    if isinstance(store, S3BlobStore):
        # Keys carry their URLs' expiry: created before the cut-off means
        # expired before cut-off + URL lifetime.
        removed += store.collect_staging(
            expired_before=cutoff + int(settings.HUB_LFS_UPLOAD_URL_TTL_SECONDS)
        )
    if removed:
        logger.info("removed %d abandoned LFS upload staging dirs", len(removed))
    return removed
