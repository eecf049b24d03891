"""Storage's checks for ``hub_fsck`` (the framework is ``hub.storage.fsck``).

``blobs``: every Blob row's bytes hash to its SHA-256, size (and git blob
id, when known), streamed in chunks through the ``BlobStore`` interface, so
local disk and S3 alike, in constant memory; content that lives only in Xet
is rebuilt from its xorbs (``xetcas.verify.rebuilt_digest``, what the
worker verifies with). *Repair*: a blob whose bytes are missing or wrong is
quarantined with a reason starting ``hub_fsck:``, so nobody is served wrong
bytes (maintainers still see the file and the reason); the object is kept
for inspection. Once the right bytes are back (restored from a backup) a
later ``--repair`` finds them verified and lifts that quarantine, and only
that kind. A false Xet claim the worker already quarantined is not a
storage fault and is not reported.

``objects``: every object in the store's key spaces (blobs, xorbs, shards)
has its row, and every xorb and shard row its object. *Repair*: an orphan
object older than the grace period is deleted (it may be a write whose row
is about to be created otherwise); rows without objects are reported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.db.models import Model, QuerySet

from hub.storage.fsck import (
    FSCK_REASON,
    Check,
    Finding,
    FsckContext,
    FsckReport,
    fsck_run,
)
from hub.storage.models import Blob, XetShard, XetXorb
from hub.storage.services import blob_is_poisoned, blob_quarantine
from hub.storage.store import BlobStore
from hub.storage.stores import raw_store
from hub.storage.xetcas.spaces import SHARDS, XORBS
from hub.storage.xetcas.verify import rebuilt_digest

_BATCH = 500


def _stored_problem(store: BlobStore, blob: Blob) -> tuple[str, str] | None:
    """(code, words) of what is wrong with a stored blob's object, or None."""
    if not store.exists(blob.sha256):
        return "missing", "its object is not in the store"
    digest, size = hashlib.sha256(), 0
    # The git blob id, as hub.catalog.gitobjects computes it (storage may
    # not import the catalog): SHA-1 of "blob <size>\0" and the bytes.
    git = hashlib.sha1(f"blob {blob.size}\0".encode(), usedforsecurity=False)
    try:
        for chunk in store.iter_range(blob.sha256):
            digest.update(chunk)
            git.update(chunk)
            size += len(chunk)
    except Exception as exc:  # noqa: BLE001 - any read failure is the finding
        return "unreadable", f"reading its object failed: {exc}"
    if size != blob.size:
        return "size", f"its object has {size} bytes, its row says {blob.size}"
    if digest.hexdigest() != blob.sha256:
        return "corrupt", f"its object's bytes hash to {digest.hexdigest()}"
    if blob.git_sha1 and git.hexdigest() != blob.git_sha1:
        return "git_sha1", f"its git blob id is {git.hexdigest()}, not {blob.git_sha1}"
    return None


def _xet_problem(blob: Blob) -> tuple[str, str] | None:
    if blob.xet_file is None:
        return "missing", "it is in neither the store nor Xet"
    try:
        sha256, size = rebuilt_digest(blob.xet_file)
    except Exception as exc:  # noqa: BLE001 - a missing xorb, a bad chunk
        return "unreadable", f"rebuilding it from its xorbs failed: {exc}"
    if (sha256, size) != (blob.sha256, blob.size):
        return "corrupt", f"its Xet bytes rebuild to {sha256} ({size} bytes)"
    return None


def _blob_findings(
    ctx: FsckContext, blobs: QuerySet[Blob] | None = None
) -> Iterator[Finding]:
    store = raw_store()
    rows = (blobs if blobs is not None else Blob.objects.all()).select_related(
        "xet_file"
    )
    for blob in rows.order_by("pk").iterator(chunk_size=_BATCH):
        ctx.tick()
        if blob_is_poisoned(blob):  # the worker's own quarantine of a lie
            continue
        found = _stored_problem(store, blob) if blob.in_store else _xet_problem(blob)
        if found is None:
            _lift_fsck_quarantine(ctx, blob)
            continue
        if not Blob.objects.filter(pk=blob.pk).exists():
            continue  # collected meanwhile: nothing is wrong
        ctx.unreadable.add(blob.sha256)
        code, words = found
        message = f"Blob {blob.sha256}: {words}."
        repaired = ""
        if ctx.repair:
            blob_quarantine(blob=blob, reason=f"{FSCK_REASON} {words}.")
            repaired = "quarantined"
        yield Finding("blobs", code, blob.sha256, message, repaired)


def _lift_fsck_quarantine(ctx: FsckContext, blob: Blob) -> None:
    if not (ctx.repair and blob.is_quarantined):
        return
    if blob.quarantine_reason.startswith(FSCK_REASON):
        Blob.objects.filter(
            pk=blob.pk, quarantine_reason__startswith=FSCK_REASON
        ).update(is_quarantined=False, quarantine_reason="", quarantined_at=None)
        ctx.restored.append(blob.sha256)


# (space name, its store, the model whose rows name its keys)
def _spaces() -> list[tuple[str, BlobStore, type[Model]]]:
    store = raw_store()
    return [
        ("blobs", store, Blob),
        ("xorbs", store.in_space(XORBS), XetXorb),
        ("shards", store.in_space(SHARDS), XetShard),
    ]


def _object_findings(ctx: FsckContext) -> Iterator[Finding]:
    for space, store, model in _spaces():
        listed: set[str] = set()
        batch = []
        for obj in store.iter_objects():
            ctx.tick()
            if space != "blobs":  # few: their rows are matched below
                listed.add(obj.key)
            batch.append(obj)
            if len(batch) >= _BATCH:
                yield from _orphans(ctx, space, store, model, batch)
                batch = []
        yield from _orphans(ctx, space, store, model, batch)
        if space != "blobs":
            yield from _rows_without_objects(space, store, model, listed)


def _orphans(
    ctx: FsckContext, space: str, store: BlobStore, model: type[Model], batch: list
) -> Iterator[Finding]:
    known = dict(
        model._default_manager.filter(pk__in=[o.key for o in batch]).values_list(
            "pk", "size"
        )
    )
    for obj in batch:
        if obj.key in known:
            # A xorb's or shard's row size is its stored bytes (storage
            # accounting counts it); a blob's is the blob check's to judge.
            if space != "blobs" and known[obj.key] != obj.size:
                yield Finding(
                    "objects",
                    "size",
                    f"{space}/{obj.key}",
                    f"The {space} object {obj.key} has {obj.size} bytes, "
                    f"its row says {known[obj.key]}.",
                )
            continue
        message = f"The {space} object {obj.key} ({obj.size} bytes) has no row."
        repaired = ""
        if ctx.repair and obj.last_modified < ctx.cutoff:
            if not model._default_manager.filter(pk=obj.key).exists():
                store.delete(obj.key)
                repaired = "deleted"
        elif ctx.repair:
            repaired = "kept: younger than the grace period"
        yield Finding("objects", "orphan", f"{space}/{obj.key}", message, repaired)


def _rows_without_objects(
    space: str, store: BlobStore, model: type[Model], listed: set[str]
) -> Iterator[Finding]:
    for key in model._default_manager.values_list("pk", flat=True).iterator():
        if key not in listed and not store.exists(key):
            yield Finding(
                "objects",
                "missing",
                f"{space}/{key}",
                f"The {space} row {key} has no object in the store.",
            )


def _object_total() -> int:
    return Blob.objects.count() + XetXorb.objects.count() + XetShard.objects.count()


STORAGE_CHECKS = [
    Check(
        "blobs",
        "every blob's bytes hash to its SHA-256 and size",
        lambda: Blob.objects.count(),
        _blob_findings,
    ),
    Check(
        "objects",
        "every stored object has its row, every xorb and shard row its object",
        _object_total,
        _object_findings,
    ),
]


def blobs_verify(*, blobs: QuerySet[Blob], repair: bool = False) -> FsckReport:
    """The ``blobs`` check on these blobs only (the admin's Verify action):
    what is wrong with their bytes; ``repair`` as ``hub_fsck --repair``."""
    only = Check(
        "blobs",
        STORAGE_CHECKS[0].description,
        blobs.count,
        lambda ctx: _blob_findings(ctx, blobs=blobs),
    )
    return fsck_run([only], repair=repair)
