"""Xorbs: round trips for each compression scheme and hostile uploads refused."""

from __future__ import annotations

import random

import lz4.frame
import pytest

from hub.storage.xet.chunking import chunk_boundaries
from hub.storage.xet.errors import XetFormatError
from hub.storage.xet.hashes import chunk_hash, xorb_hash
from hub.storage.xet.xorb import (
    MAX_CHUNK_BYTES,
    MAX_XORB_CHUNKS,
    MAX_XORB_WIRE_BYTES,
    Compression,
    bg4_join,
    bg4_split,
    chunk_serialize,
    xorb_verify,
    xorb_write,
)


def _chunks() -> list[bytes]:
    rng = random.Random(5)
    data = rng.randbytes(300_000) + b"float32!" * 40_000 + bytes(range(256)) * 300
    ends = chunk_boundaries(data)
    return [data[a:b] for a, b in zip([0, *ends], ends, strict=False)]


@pytest.mark.parametrize("scheme", list(Compression))
def test_round_trip(scheme):
    chunks = _chunks()
    data, digest = xorb_write(chunks, scheme)
    read = xorb_verify(data, digest)
    assert [c.hash for c in read] == [chunk_hash(c) for c in chunks]
    assert [c.size for c in read] == [len(c) for c in chunks]
    assert read[0].offset == 0 and read[-1].end == len(data)
    assert all(a.end == b.offset for a, b in zip(read, read[1:], strict=False))


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7, 8, 9])
def test_bg4_is_reversible(n):
    raw = bytes(range(n))
    assert bg4_join(bg4_split(raw)) == raw


def test_bg4_groups_by_position():
    assert bg4_split(b"ABCDabcdXY") == b"AaXBbYCcDd"


def _raw(
    payload: bytes, *, scheme: int, size: int, compressed: int | None = None
) -> bytes:
    length = len(payload) if compressed is None else compressed
    return (
        bytes([0]) + length.to_bytes(3, "little") + bytes([scheme])
        + size.to_bytes(3, "little") + payload
    )  # fmt: skip


def _refused(data: bytes, digest: bytes, match: str) -> None:
    with pytest.raises(XetFormatError, match=match):
        xorb_verify(data, digest)


def test_refuses_truncated_xorb():
    data, digest = xorb_write(_chunks(), Compression.NONE)
    _refused(data[:-100], digest, r"chunk \d+: header says \d+ bytes, \d+ follow")
    _refused(data + b"\x00\x01", digest, r"header needs 8 bytes, 2 remain")


def test_refuses_wrong_chunk_bytes_as_wrong_xorb_hash():
    chunks = _chunks()
    data, digest = xorb_write(chunks, Compression.NONE)
    tampered = bytearray(data)
    tampered[100] ^= 1
    _refused(bytes(tampered), digest, "xorb hash is .* the upload names")


def test_refuses_wrong_xorb_hash():
    data, _ = xorb_write(_chunks())
    _refused(data, bytes(32), "xorb hash is .* the upload names 0{64}")


def test_refuses_oversized_chunk():
    big = bytes(MAX_CHUNK_BYTES + 1)
    _refused(
        _raw(big, scheme=0, size=len(big)), bytes(32), "chunk 0: uncompressed size"
    )


def test_refuses_unknown_compression_and_version():
    _refused(
        _raw(b"abc", scheme=7, size=3), bytes(32), "chunk 0: unknown compression type 7"
    )
    bad_version = b"\x01" + _raw(b"abc", scheme=0, size=3)[1:]
    _refused(bad_version, bytes(32), "chunk 0: unknown chunk version 1")


def test_refuses_lz4_bomb():
    bomb = lz4.frame.compress(bytes(30 * 1024 * 1024))
    assert len(bomb) < MAX_CHUNK_BYTES
    _refused(
        _raw(bomb, scheme=1, size=1000), bytes(32), "chunk 0: header says 1000 bytes"
    )


def test_refuses_lz4_shorter_than_claimed_and_garbage():
    short = lz4.frame.compress(b"x" * 500)
    _refused(_raw(short, scheme=1, size=1000), bytes(32), "does not decode to exactly")
    _refused(
        _raw(b"not lz4 at all", scheme=2, size=50), bytes(32), "LZ4 data is corrupt"
    )


def test_refuses_uncompressed_size_mismatch_and_zero_sizes():
    _refused(_raw(b"abcd", scheme=0, size=5, compressed=4), bytes(32), "header says 5")
    _refused(_raw(b"", scheme=0, size=0), bytes(32), "uncompressed size 0")
    _refused(b"", bytes(32), "empty xorb")


def test_refuses_too_many_chunks_and_too_many_bytes():
    one = chunk_serialize(b"a", Compression.NONE, b"a")
    many = one * (MAX_XORB_CHUNKS + 1)
    _refused(many, xorb_hash([]), f"more than {MAX_XORB_CHUNKS} chunks")
    _refused(bytes(MAX_XORB_WIRE_BYTES + 1), bytes(32), "the cap is")
