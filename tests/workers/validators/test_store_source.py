"""StoreSource: a stored blob read by byte ranges, in cached aligned blocks."""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from hub.storage.backends import LocalBlobStore
from workers.validators.base import StoreSource


@pytest.fixture
def stored(tmp_path):
    store = LocalBlobStore(tmp_path / "blobs")
    data = os.urandom(10 * 1000 + 7)
    digest = hashlib.sha256(data).hexdigest()
    written = store.write(io.BytesIO(data), expected_sha256=digest)
    return store, written.sha256, data


@pytest.mark.parametrize(
    ("offset", "length"),
    [
        (0, 8),
        (0, 0),
        (1020, 10),
        (1023, 2),
        (5000, 3000),
        (9990, 100),
        (20000, 5),
        (0, 20000),
    ],
)
def test_reads_the_same_bytes_as_the_file(stored, offset, length):
    store, sha256, data = stored
    source = StoreSource(store, sha256, len(data), block=1024, blocks=4, whole_below=0)
    assert source.read_at(offset, length) == data[offset : offset + length]


def test_small_reads_of_a_header_cost_one_request(stored):
    store, sha256, data = stored
    source = StoreSource(store, sha256, len(data), block=1024, blocks=4, whole_below=0)
    for offset in range(0, 1000, 10):
        assert source.read_at(offset, 10) == data[offset : offset + 10]
    assert source.requests == 1


def test_a_read_wider_than_the_cache_goes_straight_through(stored):
    store, sha256, data = stored
    source = StoreSource(store, sha256, len(data), block=1024, blocks=2, whole_below=0)
    assert source.read_at(0, 5000) == data[:5000]
    assert source.requests == 1
    assert source.read_at(9000, 1) == data[9000:9001]  # blocks still work
    assert source.requests == 2


def test_negative_offsets_are_refused(stored):
    store, sha256, data = stored
    with pytest.raises(ValueError):
        StoreSource(store, sha256, len(data)).read_at(-1, 4)


def test_a_small_blob_is_fetched_whole_once(stored):
    store, sha256, data = stored
    source = StoreSource(store, sha256, len(data), whole_below=len(data))
    for offset in range(0, len(data), 997):
        assert source.read_at(offset, 50) == data[offset : offset + 50]
    assert source.requests == 1
