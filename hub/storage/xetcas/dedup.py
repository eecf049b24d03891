"""Answers to global dedup queries, in the keyed form of the spec.

A client asks about one chunk hash it holds. When a stored xorb has that
chunk and the asker may use the xorb (the caller decides: ``allowed``), the
answer is a shard describing that xorb and the other xorbs of the files
using it (those the asker may use too), whose chunk hashes are keyed with a
fresh HMAC key: the asker can match chunks it holds, and learns nothing
about the others. The asker may then reference those xorbs (``XorbClaim``).

The client asks only about a file's first chunk and the rare chunks whose
hash ends in ten zero bits (``receive.dedup_eligible``), about one per
64 MiB xorb: an answer naming the matched xorb alone would leave many
xorbs of a multi-xorb checkpoint undiscovered, and a fine-tune would store
them again. The reference CAS answers with the shard that registered the
chunk, which describes the whole upload; the files' xorbs are that here.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from hub.storage.models import XetDedupChunk, XetXorb, XorbClaim
from hub.storage.xet.hashes import hash_from_hex, keyed_chunk_hash
from hub.storage.xet.shard import Shard, ShardChunk, ShardXorb
from hub.storage.xet.shard_write import shard_write
from hub.storage.xetcas.pack import chunk_table_unpack
from hub.storage.xetcas.receive import xet_hex_check, xorb_claim_refresh

# How long a client may keep using a dedup answer.
ANSWER_LIFETIME_SECONDS = 3600
# Xorbs one answer describes at most (64 per 4 GiB of files: a few MB).
ANSWER_MAX_XORBS = 64


def _keyed_xorb(xorb: XetXorb, key: bytes) -> ShardXorb:
    rows = chunk_table_unpack(xorb.chunk_table)
    entries: list[ShardChunk] = []
    start = 0
    for row in rows:
        entries.append(ShardChunk(keyed_chunk_hash(row.hash, key), start, row.size))
        start += row.size
    return ShardXorb(hash_from_hex(xorb.hash), tuple(entries), xorb.size)


def _keyed_shard(xorbs: list[XetXorb], key: bytes) -> bytes:
    answer = Shard(xorbs=[_keyed_xorb(x, key) for x in xorbs], hmac_key=key)
    answer.created_at = int(time.time())
    answer.expires_at = answer.created_at + ANSWER_LIFETIME_SECONDS
    return shard_write(answer, footer=True)


def _unfinished_upload(xorb: XetXorb, user_id: int, limit: int) -> list[XetXorb]:
    """The asker's own xorbs that no file uses yet, nearest ``xorb`` in
    upload order: an upload cut short before its shard, whose xorbs a
    resumed upload finds through one indexed chunk instead of only those
    with an indexed chunk of their own (about two in three)."""
    if limit <= 0 or not XorbClaim.objects.filter(xorb=xorb, user_id=user_id).exists():
        return []
    mine = (
        XetXorb.objects.filter(claims__user_id=user_id, files__isnull=True)
        .exclude(pk=xorb.pk)
        .distinct()
    )
    after = list(mine.filter(pk__gt=xorb.pk).order_by("pk")[:limit])
    before = list(mine.filter(pk__lt=xorb.pk).order_by("-pk")[: limit - len(after)])
    return after + before


def dedup_answer(
    *, chunk_hex: str, user_id: int, allowed: Callable[[XetXorb], bool]
) -> bytes | None:
    """The keyed shard for a chunk the asker may dedup against, or None."""
    xet_hex_check(chunk_hex, "chunk hash")
    row = XetDedupChunk.objects.filter(pk=chunk_hex).select_related("xorb").first()
    if row is None or not allowed(row.xorb):
        return None
    siblings = (
        XetXorb.objects.filter(files__xorbs=row.xorb)
        .exclude(pk=row.xorb.pk)
        .distinct()
        .order_by("pk")[: ANSWER_MAX_XORBS - 1]
    )
    unfinished = _unfinished_upload(
        row.xorb, user_id, ANSWER_MAX_XORBS - 1 - len(siblings)
    )
    xorbs = [row.xorb, *(x for x in [*siblings, *unfinished] if allowed(x))]
    for xorb in xorbs:
        xorb_claim_refresh(xorb=xorb, user_id=user_id)
    return _keyed_shard(xorbs, secrets.token_bytes(32))
