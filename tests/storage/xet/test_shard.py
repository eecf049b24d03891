"""Shards: round trips (upload and dedup forms) and hostile shards refused."""

from __future__ import annotations

import hashlib
import struct

import pytest

from hub.storage.xet.errors import XetFormatError
from hub.storage.xet.hashes import chunk_hash, file_hash, verification_hash
from hub.storage.xet.shard import (
    FOOTER_LEN,
    HEADER_LEN,
    RECORD,
    FileTerm,
    Shard,
    ShardChunk,
    ShardFile,
    ShardXorb,
    shard_read,
)
from hub.storage.xet.shard_write import shard_check_terms, shard_write
from hub.storage.xet.xorb import xorb_verify, xorb_write


def _shard() -> tuple[Shard, dict[bytes, list[tuple[bytes, int]]]]:
    chunks = [bytes([i]) * (1000 + i) for i in range(5)]
    data, xorb = xorb_write(chunks)
    read = xorb_verify(data, xorb)
    nodes = [(c.hash, c.size) for c in read]
    term = FileTerm(xorb, sum(s for _, s in nodes[1:4]), 1, 4,
                    verification_hash(h for h, _ in nodes[1:4]))  # fmt: skip
    payload = b"".join(chunks[1:4])
    f = ShardFile(file_hash(nodes[1:4]), (term,), hashlib.sha256(payload).digest())
    starts = [sum(c.size for c in read[:i]) for i in range(len(read))]
    entries = tuple(
        ShardChunk(c.hash, s, c.size) for c, s in zip(read, starts, strict=True)
    )
    x = ShardXorb(xorb, entries, len(data))
    return Shard(files=[f], xorbs=[x]), {xorb: nodes}


def test_upload_round_trip():
    shard, known = _shard()
    data = shard_write(shard, footer=False)
    back = shard_read(data, footer=False)
    assert back.files == shard.files and back.xorbs == shard.xorbs
    shard_check_terms(back, known)


def test_dedup_answer_round_trip_with_footer_and_key():
    shard, _ = _shard()
    shard.files = []
    shard.hmac_key = b"\x01" * 32
    shard.expires_at = 1_900_000_000
    data = shard_write(shard, footer=True)
    back = shard_read(data, footer=True)
    assert back.xorbs == shard.xorbs
    assert (back.hmac_key, back.expires_at) == (b"\x01" * 32, 1_900_000_000)
    # lookup tables: 1 xorb row (12 bytes) and 5 chunk rows (16 bytes each)
    assert len(data) == HEADER_LEN + RECORD * (1 + 1 + 5 + 1) + 12 + 5 * 16 + FOOTER_LEN


def test_upload_must_omit_footer():
    shard, _ = _shard()
    with pytest.raises(XetFormatError, match="must omit the footer"):
        shard_read(shard_write(shard, footer=True), footer=False)


def _refused(data: bytes, match: str) -> None:
    with pytest.raises(XetFormatError, match=match):
        shard_read(data)


def test_refuses_bad_magic_version_and_short_data():
    data = shard_write(_shard()[0], footer=False)
    _refused(b"x" + data[1:], "wrong magic tag")
    _refused(data[:32] + struct.pack("<Q", 3) + data[40:], "header version 3")
    _refused(data[:20], "shorter than its header")


def test_refuses_truncated_sections():
    data = shard_write(_shard()[0], footer=False)
    _refused(data[: HEADER_LEN + RECORD], "claims 3 entries, the shard has room for 0")
    _refused(data[:-RECORD], "no bookend")
    _refused(data + b"junk", "4 bytes after the CAS info section")


def test_refuses_counts_that_lie():
    data = bytearray(shard_write(_shard()[0], footer=False))
    data[HEADER_LEN + 36 : HEADER_LEN + 40] = struct.pack("<I", 10_000_000)
    _refused(bytes(data), "claims 20000001 entries")


def test_refuses_footer_offsets_past_the_end():
    shard, _ = _shard()
    data = bytearray(shard_write(shard, footer=True))
    data[-8:] = struct.pack("<Q", 10**9)
    _refused(bytes(data), "footer offset 1000000000")
    data = bytearray(shard_write(shard, footer=True))
    at = len(data) - FOOTER_LEN + 16
    data[at : at + 8] = struct.pack("<Q", 10**9)
    _refused(bytes(data), "section offsets disagree")
    header = bytearray(shard_write(shard, footer=False))
    header[40:48] = struct.pack("<Q", 200)
    _refused(bytes(header), "claims 5 entries, the shard has room for 1")


def test_refuses_xorb_size_that_disagrees_with_its_chunks():
    shard, _ = _shard()
    x = shard.xorbs[0]
    shard.xorbs[0] = ShardXorb(x.xorb_hash, x.chunks[:-1], x.bytes_on_disk)
    data = bytearray(shard_write(shard, footer=False))
    cas = data.index(x.xorb_hash, HEADER_LEN + RECORD * 4)
    data[cas + 40 : cas + 44] = struct.pack("<I", 1)
    _refused(bytes(data), "header says 1 bytes, its chunks sum to")


def test_term_ranges_outside_a_xorb_are_refused():
    shard, known = _shard()
    f = shard.files[0]
    t = f.terms[0]
    shard.xorbs = []
    shard.files = [ShardFile(f.file_hash, (FileTerm(t.xorb_hash, t.size, 3, 9, None),))]
    with pytest.raises(XetFormatError, match=r"chunks \[3, 9\) outside xorb"):
        shard_check_terms(shard_read(shard_write(shard, footer=False)), known)
    with pytest.raises(XetFormatError, match="unknown xorb"):
        shard_check_terms(shard, {})


def test_term_size_and_verification_hash_are_checked():
    shard, known = _shard()
    f = shard.files[0]
    t = f.terms[0]
    wrong_size = FileTerm(t.xorb_hash, t.size + 1, 1, 4, t.range_hash)
    shard.files = [ShardFile(f.file_hash, (wrong_size,))]
    with pytest.raises(XetFormatError, match="size .* disagrees"):
        shard_check_terms(shard, known)
    wrong_range = FileTerm(t.xorb_hash, t.size, 1, 4, chunk_hash(b"x"))
    shard.files = [ShardFile(f.file_hash, (wrong_range,))]
    with pytest.raises(XetFormatError, match="verification hash does not match"):
        shard_check_terms(shard, known)


def test_refuses_mixed_verification_entries():
    shard, _ = _shard()
    f = shard.files[0]
    t = f.terms[0]
    bare = ShardFile(b"\x02" * 32, (FileTerm(t.xorb_hash, t.size, 1, 4, None),))
    shard.files.append(bare)
    _refused(shard_write(shard, footer=False), "some files carry verification")


def test_refuses_chunk_offsets_that_do_not_add_up():
    shard, _ = _shard()
    x = shard.xorbs[0]
    moved = (
        x.chunks[0],
        ShardChunk(x.chunks[1].hash, 5, x.chunks[1].size),
        *x.chunks[2:],
    )
    shard.xorbs = [ShardXorb(x.xorb_hash, moved, x.bytes_on_disk)]
    _refused(
        shard_write(shard, footer=False), "chunk 1: starts at byte 5 with 1001 bytes"
    )


def test_refuses_empty_ranges_and_unknown_flags():
    shard, _ = _shard()
    t = shard.files[0].terms[0]
    shard.files = [ShardFile(b"\x03" * 32, (FileTerm(t.xorb_hash, t.size, 4, 4),))]
    _refused(shard_write(shard, footer=False), r"empty chunk range \[4, 4\)")
    data = bytearray(shard_write(_shard()[0], footer=False))
    data[HEADER_LEN + 32 : HEADER_LEN + 36] = struct.pack("<I", 1)
    _refused(bytes(data), "unknown flags 0x1")
