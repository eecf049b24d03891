"""Chunking and hashes against the real client (hf_xet) and the spec's examples."""

from __future__ import annotations

import io
import random

import hf_xet
import pytest

from hub.storage.xet.chunking import (
    MAX_CHUNK_SIZE,
    MIN_CHUNK_SIZE,
    chunk_boundaries,
    file_hash_of_bytes,
    file_hash_of_stream,
)
from hub.storage.xet.hashes import hash_from_hex, hash_to_hex, verification_hash


def _bytes(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


SHARED_PREFIX = _bytes(2_000_000, 7)
FILES = {
    "empty": b"",
    "one_byte": b"\x00",
    "under_one_chunk": _bytes(MIN_CHUNK_SIZE - 1, 1),
    "random_several_mb": _bytes(4_500_000, 2),
    "repeated": b"model-commons " * 300_000,
    "zeros": bytes(600_000),
    "prefix_a": SHARED_PREFIX + _bytes(700_000, 3),
    "prefix_b": SHARED_PREFIX + _bytes(900_000, 4),
}


@pytest.fixture(scope="module")
def oracle(tmp_path_factory):
    """The real client's file hashes for every file above."""
    root = tmp_path_factory.mktemp("xet")
    paths = []
    for name, data in FILES.items():
        (root / name).write_bytes(data)
        paths.append(str(root / name))
    return {
        name: info.hash
        for name, info in zip(FILES, hf_xet.hash_files(paths), strict=True)
    }


@pytest.mark.parametrize("name", list(FILES))
def test_file_hash_matches_hf_xet(name, oracle):
    assert hash_to_hex(file_hash_of_bytes(FILES[name])) == oracle[name]


@pytest.mark.parametrize("name", ["random_several_mb", "prefix_a", "zeros"])
def test_streamed_hash_equals_whole_hash(name):
    data = FILES[name]
    assert file_hash_of_stream(io.BytesIO(data)) == file_hash_of_bytes(data)


def test_chunks_respect_min_and_max():
    data = FILES["random_several_mb"] + bytes(500_000)
    ends = chunk_boundaries(data)
    sizes = [b - a for a, b in zip([0, *ends], ends, strict=False)]
    assert ends[-1] == len(data)
    assert all(s <= MAX_CHUNK_SIZE for s in sizes)
    assert all(s >= MIN_CHUNK_SIZE for s in sizes[:-1])
    assert MAX_CHUNK_SIZE in sizes  # the run of zeros is cut by size


def test_shared_prefix_shares_leading_chunks():
    a = chunk_boundaries(FILES["prefix_a"])
    b = chunk_boundaries(FILES["prefix_b"])
    common = [e for e in a if e < len(SHARED_PREFIX) - MAX_CHUNK_SIZE]
    assert common and b[: len(common)] == common


def test_hash_string_uses_the_spec_byte_order():
    digest = bytes(range(32))
    # The spec's example drops the "10" byte (62 digits); this is its rule.
    text = "07060504030201000f0e0d0c0b0a09081716151413121110" + "1f1e1d1c1b1a1918"
    assert hash_to_hex(digest) == text
    assert hash_from_hex(text) == digest


@pytest.mark.parametrize("bad", ["00" * 31, "G" * 64, "AB" * 32])
def test_hash_string_rejects_malformed(bad):
    with pytest.raises(ValueError):
        hash_from_hex(bad)


def test_verification_hash_is_keyed_over_raw_hashes():
    one = verification_hash([bytes(32)])
    assert one != verification_hash([bytes(32), bytes(32)])
    assert len(one) == 32
