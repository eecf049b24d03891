"""Xet storage rows and objects built directly (no CAS, no HTTP).

The bytes of a xorb or shard made here are arbitrary (keyed by their
SHA-256): GC and accounting only ever look at rows, keys and sizes.
"""

from __future__ import annotations

import hashlib
import io
import os
from datetime import timedelta

from django.db import models
from django.utils import timezone

from hub.accounts.models import User
from hub.storage.models import Blob, XetFile, XetFileXorb, XetShard, XetXorb, XorbClaim
from hub.storage.xetcas.spaces import shard_store, xorb_store


def make_xorb(size: int = 1000, *, stored: bool = True) -> XetXorb:
    """A xorb row of ``size`` serialized bytes (and its object, if ``stored``)."""
    data = os.urandom(size)
    key = hashlib.sha256(data).hexdigest()
    if stored:
        written = xorb_store().write(io.BytesIO(data))
        assert written.sha256 == key
    return XetXorb.objects.create(
        hash=key, size=size, unpacked_size=size, chunk_count=1, chunk_table=b""
    )


def make_xet_file(
    xorbs: list[XetXorb], *, size: int | None = None, uploader: User | None = None
) -> XetFile:
    """A file whose terms use ``xorbs`` (its size: theirs, unless given)."""
    sha256 = hashlib.sha256(os.urandom(32)).hexdigest()
    file = XetFile.objects.create(
        hash=hashlib.sha256(sha256.encode()).hexdigest(),
        sha256=sha256,
        size=sum(x.unpacked_size for x in xorbs) if size is None else size,
        terms=b"",
        uploaded_by=uploader,
    )
    XetFileXorb.objects.bulk_create(XetFileXorb(file=file, xorb=x) for x in xorbs)
    return file


def make_xet_blob(file: XetFile) -> Blob:
    """The Xet-only Blob of ``file`` (its bytes live only in xorbs)."""
    return Blob.objects.create(
        sha256=file.sha256, size=file.size, in_store=False, xet_file=file
    )


def make_shard(files: list[XetFile], *, size: int = 300) -> XetShard:
    data = os.urandom(size)
    written = shard_store().write(io.BytesIO(data))
    shard = XetShard.objects.create(hash=written.sha256, size=size)
    shard.files.set(files)
    return shard


def claim(xorb: XetXorb, user: User) -> XorbClaim:
    return XorbClaim.objects.create(xorb=xorb, user=user)


def age(*rows: models.Model, days: float = 2) -> None:
    """Make rows look created ``days`` ago (past the GC grace period)."""
    when = timezone.now() - timedelta(days=days)
    for row in rows:
        type(row)._default_manager.filter(pk=row.pk).update(created_at=when)
