"""Xorbs and shards arriving from a client: verified, then registered.

A xorb is stored only once every chunk decoded to its declared size and the
chunk hashes form the hash the upload named (``XorbDigest`` while it
streams). A shard registers files: every term must name a stored xorb the
uploader may use (``XorbClaim``) and a valid run of its chunks; each file's
Xet id must be the hash of those chunks; a SHA-256 must be declared. Any
failure refuses the whole shard and stores nothing.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from hub.ops.metrics import observe_upload
from hub.storage.models import (
    Blob,
    BlobClaim,
    XetDedupChunk,
    XetFile,
    XetFileXorb,
    XetShard,
    XetXorb,
    XorbClaim,
)
from hub.storage.services import blob_is_poisoned
from hub.storage.store import ReadableStream
from hub.storage.xet.errors import XetFormatError
from hub.storage.xet.hashes import file_hash, hash_from_hex, hash_to_hex
from hub.storage.xet.shard import Shard, ShardFile, shard_read
from hub.storage.xet.shard_write import shard_check_terms
from hub.storage.xet.stream import XorbDigest
from hub.storage.xet.xorb import MAX_XORB_WIRE_BYTES, XorbChunk
from hub.storage.xetcas.pack import chunk_table_pack, chunk_table_unpack, terms_pack
from hub.storage.xetcas.spaces import XET_KEY, shard_store, xorb_store
from hub.storage.xetcas.verify import rebuilt_digest, xet_file_judge


def xet_hex_check(value: str, what: str) -> str:
    if not XET_KEY.match(value or ""):
        raise XetFormatError(f"{value!r} is not a {what} (64 lowercase hex digits).")
    return value


def dedup_eligible(digest: bytes) -> bool:
    """The spec's rule: the hash's last 8 bytes, little-endian, % 1024 == 0."""
    return int.from_bytes(digest[24:32], "little") % 1024 == 0


def _dedup_rows(xorb: XetXorb, hashes: Iterable[bytes]) -> list[XetDedupChunk]:
    return [XetDedupChunk(chunk_hash=hash_to_hex(h), xorb=xorb) for h in hashes]


def xorb_claim_refresh(*, xorb: XetXorb, user_id: int) -> None:
    """The user may use the xorb, from now: a claim's age is how long ago
    its holder last sent (or was offered) the xorb, and GC keeps a xorb
    with a young claim for the shard that will follow."""
    claim, created = XorbClaim.objects.get_or_create(xorb=xorb, user_id=user_id)
    if not created:
        XorbClaim.objects.filter(pk=claim.pk).update(created_at=timezone.now())


def _register_xorb(
    user_id: int, xorb_hex: str, chunks: list[XorbChunk], size: int
) -> bool:
    with transaction.atomic():
        xorb, created = XetXorb.objects.get_or_create(
            hash=xorb_hex,
            defaults={
                "size": size,
                "unpacked_size": sum(c.size for c in chunks),
                "chunk_count": len(chunks),
                "chunk_table": chunk_table_pack(chunks),
            },
        )
        xorb_claim_refresh(xorb=xorb, user_id=user_id)
        if created:
            eligible = (c.hash for c in chunks if dedup_eligible(c.hash))
            XetDedupChunk.objects.bulk_create(
                _dedup_rows(xorb, eligible), ignore_conflicts=True
            )
    return created


def xorb_receive(
    *, user_id: int, xorb_hex: str, stream: ReadableStream, size: int | None
) -> bool:
    """Verify and store one xorb; True when it was new. The uploader may then
    use its chunks. Raises XetFormatError (nothing stored) when the bytes
    are not a valid xorb with that hash."""
    xet_hex_check(xorb_hex, "xorb hash")
    if size is not None and size > MAX_XORB_WIRE_BYTES:
        raise XetFormatError(f"xorb is {size} bytes, the cap is {MAX_XORB_WIRE_BYTES}")
    digest = XorbDigest()
    written = xorb_store().write(
        stream, expected_sha256=xorb_hex, expected_size=size, digest=digest
    )
    created = _register_xorb(user_id, xorb_hex, digest.chunks, written.size)
    observe_upload(written.size, via="xet")
    return created


@dataclass(frozen=True)
class _Known:
    xorbs: dict[bytes, XetXorb]

    def chunk_lists(self) -> dict[bytes, list[tuple[bytes, int]]]:
        return {
            raw: [(c.hash, c.size) for c in chunk_table_unpack(x.chunk_table)]
            for raw, x in self.xorbs.items()
        }


def _known_xorbs(shard: Shard, user_id: int) -> _Known:
    """The stored xorbs the shard's files use, each one the uploader may use."""
    wanted = {t.xorb_hash for f in shard.files for t in f.terms}
    rows = XetXorb.objects.in_bulk([hash_to_hex(h) for h in wanted])
    claimed = set(
        XorbClaim.objects.filter(user_id=user_id, xorb_id__in=list(rows)).values_list(
            "xorb_id", flat=True
        )
    )
    for raw in wanted:
        name = hash_to_hex(raw)
        if name not in rows:
            raise XetFormatError(
                f"xorb {name} is not stored on this hub: upload it before the shard"
            )
        if name not in claimed:
            raise XetFormatError(
                f"xorb {name} was neither uploaded by you nor offered to you"
            )
    return _Known({hash_from_hex(name): x for name, x in rows.items()})


def _check_file(f: ShardFile, chunks: dict[bytes, list[tuple[bytes, int]]]) -> None:
    name = hash_to_hex(f.file_hash)
    nodes = [
        node
        for t in f.terms
        for node in chunks[t.xorb_hash][t.chunk_start : t.chunk_end]
    ]
    if file_hash(nodes) != f.file_hash:
        raise XetFormatError(f"file {name}: its id is not the hash of its chunks")
    if f.sha256 is None:
        raise XetFormatError(
            f"file {name}: no SHA-256 in its metadata (files are addressed by SHA-256)"
        )


def shard_file_sizes(body: bytes) -> list[tuple[str, int]]:
    """(SHA-256, size) of each file a shard declares, read before any check
    (a quota refuses the shard on these); XetFormatError when unreadable."""
    shard = shard_read(body, footer=False)
    return [((f.sha256 or b"").hex(), f.size) for f in shard.files]


def shard_parse(*, user_id: int, body: bytes) -> tuple[Shard, dict[str, XetXorb]]:
    """A shard whose every file checks out against stored xorbs (and those
    xorbs by hex hash), or XetFormatError saying what is wrong."""
    shard = shard_read(body, footer=False)
    known = _known_xorbs(shard, user_id)
    chunks = known.chunk_lists()
    shard_check_terms(shard, chunks)
    for f in shard.files:
        _check_file(f, chunks)
    return shard, {x.hash: x for x in known.xorbs.values()}


def _settle_declarations(file: XetFile, declared: str) -> None:
    """Two shards declared different SHA-256s for the same bytes: the bytes
    decide (rebuilt once). A false earlier declaration is caught (its blob
    quarantined as a false claim) and the row takes the true one; a false
    new one is refused."""
    truth = None if file.verified_at is not None else rebuilt_digest(file)
    if truth is None or xet_file_judge(file=file, rebuilt=truth):
        raise XetFormatError(
            f"file {file.hash} is registered with SHA-256 {file.sha256}; "
            f"the same bytes cannot have SHA-256 {declared}"
        )
    if truth[0] != declared:
        raise XetFormatError(
            f"file {file.hash}: its bytes hash to {truth[0]}, "
            f"not the declared {declared}"
        )
    XetFile.objects.filter(pk=file.pk).update(
        sha256=declared, verified_at=timezone.now(), verify_error=""
    )
    file.refresh_from_db()


def _register_file(f: ShardFile, user_id: int, known: dict[str, XetXorb]) -> XetFile:
    name = hash_to_hex(f.file_hash)
    sha256 = (f.sha256 or b"").hex()
    file, created = XetFile.objects.get_or_create(
        hash=name,
        defaults={
            "sha256": sha256,
            "size": f.size,
            "terms": terms_pack(f.terms),
            "uploaded_by_id": user_id,
        },
    )
    if not created and file.sha256 != sha256:
        _settle_declarations(file, sha256)
    if created:
        used = {hash_to_hex(t.xorb_hash) for t in f.terms}
        XetFileXorb.objects.bulk_create(
            [XetFileXorb(file=file, xorb=known[h]) for h in sorted(used)],
            ignore_conflicts=True,
        )
        if f.terms:
            first = f.terms[0]
            table = chunk_table_unpack(known[hash_to_hex(first.xorb_hash)].chunk_table)
            XetDedupChunk.objects.bulk_create(
                _dedup_rows(
                    known[hash_to_hex(first.xorb_hash)], [table[first.chunk_start].hash]
                ),
                ignore_conflicts=True,
            )
    return file


def _register_blob(file: XetFile, user_id: int) -> bool:
    """The Blob for the file's content; True when the uploader holds it.

    New content becomes a Xet-only Blob claimed by the uploader (its digest
    is verified later, by a worker). Content already stored is not touched:
    the uploader holds it only if they already did; otherwise their claim
    waits for the file's bytes to be checked (``False``).
    """
    blob, created = Blob.objects.get_or_create(
        sha256=file.sha256,
        defaults={"size": file.size, "in_store": False, "xet_file": file},
    )
    if blob.xet_file_id != file.hash and blob_is_poisoned(blob):
        return False  # a false claim on this digest: verified, this file repairs it
    if blob.size != file.size:
        raise XetFormatError(
            f"file {file.hash}: content with SHA-256 {file.sha256} has "
            f"{blob.size} bytes on this hub, not {file.size}"
        )
    if created:
        BlobClaim.objects.get_or_create(blob=blob, user_id=user_id)
        return True
    return BlobClaim.objects.filter(blob=blob, user_id=user_id).exists()


@dataclass(frozen=True)
class ShardResult:
    files: list[XetFile]
    # Files whose content was already stored and which the uploader does not
    # hold yet: their bytes must be verified before the uploader may use them.
    unclaimed: list[XetFile]
    created: bool


def shard_receive(*, user_id: int, body: bytes) -> ShardResult:
    """Check a shard (``shard_parse``), keep it, register its files."""
    shard, xorbs = shard_parse(user_id=user_id, body=body)
    shard_hex = hashlib.sha256(body).hexdigest()
    files: list[XetFile] = []
    unclaimed: list[XetFile] = []
    with transaction.atomic():
        record, created = XetShard.objects.get_or_create(
            hash=shard_hex, defaults={"size": len(body), "uploaded_by_id": user_id}
        )
        for f in shard.files:
            file = _register_file(f, user_id, xorbs)
            files.append(file)
            if not _register_blob(file, user_id):
                unclaimed.append(file)
        record.files.add(*files)
        # Last, inside the transaction: a failed write registers nothing.
        shard_store().write(io.BytesIO(body), expected_size=len(body))
    return ShardResult(files=files, unclaimed=unclaimed, created=created)


def blob_claim_verified(*, file: XetFile, user_id: int) -> None:
    """The uploader holds the content once its Xet bytes proved its digest."""
    BlobClaim.objects.get_or_create(blob_id=file.sha256, user_id=user_id)
