"""A dedup answer written by shard_write is understood by the real client.

File A is uploaded; then file B, which starts with A's bytes, is uploaded
to a CAS that answers dedup queries with a keyed shard describing A's xorb.
The client must reference that xorb instead of uploading A's chunks again.
"""

from __future__ import annotations

import random

import hf_xet

from hub.storage.xet.hashes import hash_from_hex, keyed_chunk_hash
from hub.storage.xet.shard import Shard, ShardChunk, ShardXorb, shard_read
from hub.storage.xet.shard_write import shard_write
from hub.storage.xet.xorb import xorb_verify
from tests.storage.xet.cas_capture import CaptureCAS

KEY = bytes(range(100, 132))


def _upload(path, cas):
    return hf_xet.upload_files(
        [str(path)], cas.url, ("token", 4102444800), None, None, "model"
    )


def _keyed_answer(xorb_hash: bytes, body: bytes) -> bytes:
    chunks = xorb_verify(body, xorb_hash)
    starts = [sum(c.size for c in chunks[:i]) for i in range(len(chunks))]
    entries = tuple(
        ShardChunk(keyed_chunk_hash(c.hash, KEY), start, c.size)
        for c, start in zip(chunks, starts, strict=True)
    )
    answer = Shard(xorbs=[ShardXorb(xorb_hash, entries, len(body))], hmac_key=KEY)
    answer.expires_at = 4102444800
    return shard_write(answer, footer=True)


def test_client_dedups_against_a_written_answer(tmp_path):
    a = random.Random(11).randbytes(2_000_000)
    b = a + random.Random(12).randbytes(300_000)
    (tmp_path / "a.bin").write_bytes(a)
    (tmp_path / "b.bin").write_bytes(b)
    first = CaptureCAS()
    try:
        _upload(tmp_path / "a.bin", first)
    finally:
        first.stop()
    [(path, body)] = first.captured.bodies("/v1/xorbs/")
    xorb_a = hash_from_hex(path.rsplit("/", 1)[1])
    answer = _keyed_answer(xorb_a, body)
    assert shard_read(answer, footer=True).hmac_key == KEY

    second = CaptureCAS(dedup=lambda _hash: answer)
    try:
        _upload(tmp_path / "b.bin", second)
    finally:
        second.stop()
    assert any(p.startswith("/v1/chunks/") for _, p, _ in second.captured.requests)
    uploaded = sum(len(body) for _, body in second.captured.bodies("/v1/xorbs/"))
    assert uploaded < 600_000  # only B's new tail, not A's 2 MB again
    [(_, shard_body)] = second.captured.bodies("/v1/shards")
    [file_b] = shard_read(shard_body, footer=False).files
    assert file_b.terms[0].xorb_hash == xorb_a
    assert file_b.size == len(b)
