"""The real client's xorbs and shards pass the readers, and match our writers."""

from __future__ import annotations

import array
import hashlib
import random

import hf_xet
import pytest

from hub.storage.xet.hashes import hash_from_hex, hash_to_hex
from hub.storage.xet.shard import shard_read
from hub.storage.xet.shard_write import shard_check_terms, shard_write
from hub.storage.xet.xorb import Compression, xorb_verify
from tests.storage.xet.cas_capture import CaptureCAS


def _floats(n: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return array.array("f", (rng.gauss(0, 0.02) for _ in range(n))).tobytes()


@pytest.fixture(scope="module")
def upload(tmp_path_factory):
    """Upload three files with hf_xet; the captured requests and file bytes."""
    root = tmp_path_factory.mktemp("client")
    base = random.Random(1).randbytes(1_500_000)
    files = {
        "weights.bin": _floats(600_000, 2),
        "random.bin": base + random.Random(3).randbytes(300_000),
        "finetune.bin": base + random.Random(4).randbytes(200_000),
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    cas = CaptureCAS()
    try:
        paths = [str(root / name) for name in files]
        infos = hf_xet.upload_files(
            paths, cas.url, ("token", 4102444800), None, None, "model"
        )
    finally:
        cas.stop()
    return cas.captured, files, infos


def _xorbs(captured):
    out = {}
    for path, body in captured.bodies("/v1/xorbs/"):
        digest = hash_from_hex(path.rsplit("/", 1)[1])
        out[digest] = (body, xorb_verify(body, digest))
    return out


def test_client_xorbs_verify(upload):
    captured, files, _ = upload
    xorbs = _xorbs(captured)
    assert xorbs


def test_client_shard_parses_checks_and_rewrites_identically(upload):
    captured, files, infos = upload
    xorbs = _xorbs(captured)
    [(_, body)] = captured.bodies("/v1/shards")
    shard = shard_read(body, footer=False)
    shard_check_terms(
        shard, {h: [(c.hash, c.size) for c in cs] for h, (_, cs) in xorbs.items()}
    )
    assert shard_write(shard, footer=False) == body
    by_hash = {hash_to_hex(f.file_hash): f for f in shard.files}
    for info, data in zip(infos, files.values(), strict=True):
        f = by_hash[info.hash]
        assert f.size == len(data)
        assert f.sha256 == hashlib.sha256(data).digest()
    for x in shard.xorbs:
        body, chunks = xorbs[x.xorb_hash]
        assert [c.hash for c in x.chunks] == [c.hash for c in chunks]


def test_client_chunk_offsets_count_uncompressed_bytes(upload):
    captured, _, _ = upload
    [(_, body)] = captured.bodies("/v1/shards")
    for x in shard_read(body).xorbs:
        starts = [c.byte_start for c in x.chunks]
        sizes = [c.size for c in x.chunks]
        assert starts == [sum(sizes[:i]) for i in range(len(sizes))]


def test_client_uses_bg4_for_float_weights(upload):
    captured, _, _ = upload
    schemes = {
        body[c.offset + 4] for body, chunks in _xorbs(captured).values() for c in chunks
    }
    assert Compression.BG4_LZ4 in schemes
