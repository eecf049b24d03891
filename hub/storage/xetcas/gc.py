"""Garbage collection of Xet storage: files, xorbs and shards nobody uses.

Run after the blob collector (``blob_collect_garbage``): a Xet-only Blob it
deletes frees its XetFile. Three passes, each freeing the next:

* files no Blob points at (a shard registered them but no commit kept
  them), once older than the grace period;
* xorbs no remaining file uses, once older than the grace period and with
  no claim younger than it: a client that uploaded (or was offered) a xorb
  sends the shard naming it afterwards, so a young claim is an upload in
  flight;
* shards all of whose files are gone.

As for blobs, rows go first, in a transaction: the database refuses to
delete a file a Blob took meanwhile, or a xorb a file took (``PROTECT``),
and the objects in the ``xorbs`` and ``shards`` key spaces are deleted only
once their rows are gone. An object left behind by a crash between the two
is harmless (nothing names it); a row never outlives its object.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from hub.storage.models import Blob, XetFile, XetFileXorb, XetShard, XetXorb, XorbClaim
from hub.storage.store import BlobStore
from hub.storage.xetcas.spaces import shard_store, xorb_store

logger = logging.getLogger(__name__)

# Rows deleted per transaction; a batch a concurrent writer touched is
# retried row by row, so one referenced row never keeps the others.
BATCH = 200


@dataclass
class XetGarbage:
    """What one collection removed (hex keys)."""

    files: list[str] = field(default_factory=list)
    xorbs: list[str] = field(default_factory=list)
    shards: list[str] = field(default_factory=list)
    xorb_bytes: int = 0  # stored bytes of those xorbs


def _files_unused(cutoff: datetime) -> list[Any]:
    return [
        ~Exists(Blob.objects.filter(xet_file=OuterRef("pk"))),
        models.Q(created_at__lt=cutoff),
    ]


def _xorbs_unused(cutoff: datetime) -> list[Any]:
    return [
        ~Exists(XetFileXorb.objects.filter(xorb=OuterRef("pk"))),
        ~Exists(XorbClaim.objects.filter(xorb=OuterRef("pk"), created_at__gte=cutoff)),
        models.Q(created_at__lt=cutoff),
    ]


def _shards_unused(cutoff: datetime) -> list[Any]:
    through = XetShard.files.through
    return [
        ~Exists(through.objects.filter(xetshard=OuterRef("pk"))),
        models.Q(created_at__lt=cutoff),
    ]


def _delete_locked(
    model: type[models.Model], condition: list[Any], keys: Sequence[str]
) -> list[str]:
    """Delete the rows of ``keys`` that still meet ``condition``, in one
    transaction; IntegrityError (rolled back) when a row gained a referrer."""
    with transaction.atomic():
        found = list(
            model._default_manager.select_for_update()
            .filter(*condition, pk__in=list(keys))
            .values_list("pk", flat=True)
        )
        if found:
            model._default_manager.filter(pk__in=found).delete()
    return [str(key) for key in found]


def _delete_rows(
    model: type[models.Model], condition: list[Any], keys: Sequence[str]
) -> list[str]:
    try:
        return _delete_locked(model, condition, keys)
    except IntegrityError:  # also ProtectedError: something took a row meanwhile
        if len(keys) == 1:
            logger.info("%s %s was referenced during GC; kept", model.__name__, keys[0])
            return []
    deleted: list[str] = []
    for key in keys:
        deleted += _delete_rows(model, condition, [key])
    return deleted


def _collect(
    model: type[models.Model], condition: list[Any], store: BlobStore | None
) -> list[str]:
    candidates = list(
        model._default_manager.filter(*condition)
        .values_list("pk", flat=True)
        .iterator()
    )
    deleted: list[str] = []
    for begin in range(0, len(candidates), BATCH):
        gone = _delete_rows(model, condition, candidates[begin : begin + BATCH])
        if store is not None:
            for key in gone:
                store.delete(key)
        deleted += gone
    return deleted


def _cutoff(grace_seconds: int | None) -> datetime:
    grace = (
        settings.HUB_BLOB_GC_GRACE_SECONDS if grace_seconds is None else grace_seconds
    )
    return timezone.now() - timedelta(seconds=grace)


def xet_garbage_find(*, grace_seconds: int | None = None) -> XetGarbage:
    """What ``xet_collect_garbage`` would remove now, removing nothing. (A
    real run also takes what the blobs it follows free.)"""
    cutoff = _cutoff(grace_seconds)

    def keys(model: type[models.Model], condition: list[Any]) -> list[str]:
        rows = model._default_manager.filter(*condition).values_list("pk", flat=True)
        return [str(key) for key in rows]

    xorbs = XetXorb.objects.filter(*_xorbs_unused(cutoff))
    return XetGarbage(
        files=keys(XetFile, _files_unused(cutoff)),
        xorbs=keys(XetXorb, _xorbs_unused(cutoff)),
        shards=keys(XetShard, _shards_unused(cutoff)),
        xorb_bytes=xorbs.aggregate(n=models.Sum("size"))["n"] or 0,
    )


def xet_collect_garbage(*, grace_seconds: int | None = None) -> XetGarbage:
    """Delete Xet files no Blob references, then xorbs no file uses, then
    shards with no file left (rows, then their objects), all older than the
    grace period (``HUB_BLOB_GC_GRACE_SECONDS`` unless given). Safe to run
    any time and concurrently with uploads; returns what was removed."""
    cutoff = _cutoff(grace_seconds)
    garbage = XetGarbage()
    garbage.files = _collect(XetFile, _files_unused(cutoff), None)
    unused = XetXorb.objects.filter(*_xorbs_unused(cutoff))
    sizes = dict(unused.values_list("hash", "size"))
    garbage.xorbs = _collect(XetXorb, _xorbs_unused(cutoff), xorb_store())
    garbage.xorb_bytes = sum(sizes.get(key, 0) for key in garbage.xorbs)
    garbage.shards = _collect(XetShard, _shards_unused(cutoff), shard_store())
    return garbage
