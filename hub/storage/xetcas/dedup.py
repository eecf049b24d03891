"""Answers to global dedup queries, in the keyed form of the spec.

A client asks about one chunk hash it holds. When a stored xorb has that
chunk and the asker may use the xorb (the caller decides: ``allowed``), the
answer is a shard describing the xorb whose chunk hashes are keyed with a
fresh HMAC key: the asker can match chunks it holds, and learns nothing
about the others. The asker may then reference that xorb (``XorbClaim``).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from hub.storage.models import XetDedupChunk, XetXorb
from hub.storage.xet.hashes import hash_from_hex, keyed_chunk_hash
from hub.storage.xet.shard import Shard, ShardChunk, ShardXorb
from hub.storage.xet.shard_write import shard_write
from hub.storage.xetcas.pack import chunk_table_unpack
from hub.storage.xetcas.receive import xet_hex_check, xorb_claim_refresh

# How long a client may keep using a dedup answer.
ANSWER_LIFETIME_SECONDS = 3600


def _keyed_shard(xorb: XetXorb, key: bytes) -> bytes:
    rows = chunk_table_unpack(xorb.chunk_table)
    entries: list[ShardChunk] = []
    start = 0
    for row in rows:
        entries.append(ShardChunk(keyed_chunk_hash(row.hash, key), start, row.size))
        start += row.size
    answer = Shard(
        xorbs=[ShardXorb(hash_from_hex(xorb.hash), tuple(entries), xorb.size)],
        hmac_key=key,
    )
    answer.created_at = int(time.time())
    answer.expires_at = answer.created_at + ANSWER_LIFETIME_SECONDS
    return shard_write(answer, footer=True)


def dedup_answer(
    *, chunk_hex: str, user_id: int, allowed: Callable[[XetXorb], bool]
) -> bytes | None:
    """The keyed shard for a chunk the asker may dedup against, or None."""
    xet_hex_check(chunk_hex, "chunk hash")
    row = XetDedupChunk.objects.filter(pk=chunk_hex).select_related("xorb").first()
    if row is None or not allowed(row.xorb):
        return None
    xorb_claim_refresh(xorb=row.xorb, user_id=user_id)
    return _keyed_shard(row.xorb, secrets.token_bytes(32))
