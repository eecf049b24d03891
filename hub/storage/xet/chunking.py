"""Content-defined chunking and whole-file Xet hashes.

Xet Protocol Specification, "Content-Defined Chunking" (gear hash, MIN 8 KiB,
MAX 128 KiB, MASK 0xFFFF000000000000) and "Hashing", "File Hashes".

The gear hash at a byte depends only on the last 64 bytes (each step shifts
the state left by one), and no boundary is tested before 8 KiB, so every test
sees a hash built from bytes of its own chunk: this lets the loop start each
chunk 65 bytes before its minimum size, as the spec's skip-ahead allows,
without changing any boundary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from hub.storage.xet.gear_table import GEAR_TABLE
from hub.storage.xet.hashes import Node, chunk_hash, file_hash

MIN_CHUNK_SIZE = 8 * 1024
MAX_CHUNK_SIZE = 128 * 1024
MASK = 0xFFFF_0000_0000_0000
_WINDOW = 64
_U64 = (1 << 64) - 1
_READ_SIZE = 8 * 1024 * 1024


def _next_boundary(data: bytes, start: int) -> int:
    """End (exclusive) of the chunk starting at ``start``; len(data) if none cut."""
    end = len(data)
    limit = min(end, start + MAX_CHUNK_SIZE)
    first_test = start + MIN_CHUNK_SIZE - 1  # index whose chunk size is MIN
    i = max(start, first_test - _WINDOW - 1)
    if i >= limit:
        return end
    table = GEAR_TABLE
    h = 0
    while i < first_test and i < limit:
        h = ((h << 1) + table[data[i]]) & _U64
        i += 1
    while i < limit:
        h = ((h << 1) + table[data[i]]) & _U64
        i += 1
        if not h & MASK:
            return i
    if limit - start >= MAX_CHUNK_SIZE:
        return limit
    return end


def chunk_boundaries(data: bytes, *, final: bool = True) -> list[int]:
    """Chunk end offsets in ``data``. With ``final`` false, the tail after the
    last cut is left out (a stream keeps it for the next read)."""
    ends: list[int] = []
    start = 0
    while start < len(data):
        end = _next_boundary(data, start)
        if end == len(data) and not final and end - start < MAX_CHUNK_SIZE:
            break  # not cut by content or size: more bytes may still move it
        ends.append(end)
        start = end
    return ends


def iter_chunks(stream: BinaryIO) -> Iterator[bytes]:
    """Yield the chunks of a stream, reading it in large blocks."""
    pending = b""
    while True:
        block = stream.read(_READ_SIZE)
        data = pending + block if block else pending
        ends = chunk_boundaries(data, final=not block)
        start = 0
        for end in ends:
            yield data[start:end]
            start = end
        pending = data[start:]
        if not block:
            return


def chunk_nodes(chunks: Iterable[bytes]) -> list[Node]:
    """(hash, size) of each chunk, the leaves of the xorb and file trees."""
    return [(chunk_hash(c), len(c)) for c in chunks]


def file_hash_of_stream(stream: BinaryIO) -> bytes:
    """The Xet file hash (32 raw bytes) of everything ``stream`` yields."""
    return file_hash(chunk_nodes(iter_chunks(stream)))


def file_hash_of_bytes(data: bytes) -> bytes:
    """The Xet file hash of ``data``."""
    ends = chunk_boundaries(data)
    starts = [0, *ends][: len(ends)]
    return file_hash(chunk_nodes(data[s:e] for s, e in zip(starts, ends, strict=True)))
