"""Compact rows: a xorb's chunk table and a file's terms, packed as bytes.

A xorb has up to 8192 chunks and a large file hundreds of terms; one
binary column each keeps them to one row read, with no per-chunk rows.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from hub.storage.xet.hashes import hash_to_hex
from hub.storage.xet.shard import FileTerm
from hub.storage.xet.xorb import XorbChunk

_CHUNK = struct.Struct("<32sII")  # chunk hash, header offset, unpacked size
_TERM = struct.Struct("<32sIII")  # xorb hash, chunk start, chunk end, unpacked


@dataclass(frozen=True)
class ChunkRow:
    hash: bytes
    offset: int  # where the chunk's header starts in the serialized xorb
    size: int  # uncompressed bytes


@dataclass(frozen=True)
class TermRow:
    xorb_hex: str
    chunk_start: int
    chunk_end: int  # exclusive
    size: int  # unpacked bytes


def chunk_table_pack(chunks: Sequence[XorbChunk]) -> bytes:
    return b"".join(_CHUNK.pack(c.hash, c.offset, c.size) for c in chunks)


def chunk_table_unpack(data: bytes) -> list[ChunkRow]:
    return [ChunkRow(*fields) for fields in _CHUNK.iter_unpack(bytes(data))]


def terms_pack(terms: Sequence[FileTerm]) -> bytes:
    return b"".join(
        _TERM.pack(t.xorb_hash, t.chunk_start, t.chunk_end, t.size) for t in terms
    )


def terms_unpack(data: bytes) -> list[TermRow]:
    return [
        TermRow(hash_to_hex(h), start, end, size)
        for h, start, end, size in _TERM.iter_unpack(bytes(data))
    ]
