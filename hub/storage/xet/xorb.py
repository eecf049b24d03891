"""Xorbs: read and verify an uploaded xorb, and write one.

Xet Protocol Specification, "Xorb Formation & Serialization Format": a xorb is
chunks back to back, each an 8-byte header (version 0, compressed size u24 LE,
compression type, uncompressed size u24 LE) and its compressed bytes; types 0
none, 1 LZ4 (the frame format, as the reference client writes it), 2 byte
grouping by 4 then LZ4. Caps: 64 MiB serialized, chunks of at most 128 KiB,
at most 8192 chunks (the reference client's limit). Clients upload xorbs
without the reference implementation's trailing footer; one is refused here.

Every chunk is decompressed with an output cap, hashed, and the tree of its
hashes must give the hash the upload names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

import lz4.frame

from hub.storage.xet.errors import XetFormatError
from hub.storage.xet.hashes import chunk_hash, hash_to_hex, xorb_hash

MAX_XORB_BYTES = 64 * 1024 * 1024
MAX_CHUNK_BYTES = 128 * 1024
MAX_XORB_CHUNKS = 8 * 1024
HEADER_LEN = 8
CHUNK_VERSION = 0
# MAX_XORB_BYTES caps a xorb's content; on the wire each chunk adds its
# header, so the reference client sends up to this much for content that
# does not compress (64 MiB of random bytes: 67,116,896 bytes, 1,004 chunks).
MAX_XORB_WIRE_BYTES = MAX_XORB_BYTES + MAX_XORB_CHUNKS * HEADER_LEN


class Compression(IntEnum):
    NONE = 0
    LZ4 = 1
    BG4_LZ4 = 2


@dataclass(frozen=True)
class XorbChunk:
    """One verified chunk: its hash, uncompressed size and place in the xorb."""

    hash: bytes
    size: int
    offset: int  # where its header starts
    end: int  # where the next chunk's header starts


def bg4_split(data: bytes) -> bytes:
    """Group bytes by position modulo 4 (the spec's byte grouping)."""
    return b"".join(data[i::4] for i in range(4))


def bg4_join(grouped: bytes) -> bytes:
    """Undo ``bg4_split``: group i holds ceil((n - i) / 4) bytes."""
    n = len(grouped)
    out = bytearray(n)
    pos = 0
    for i in range(4):
        count = (n - i + 3) // 4
        out[i::4] = grouped[pos : pos + count]
        pos += count
    return bytes(out)


def _lz4_decompress(index: int, payload: bytes, size: int) -> bytes:
    decompressor = lz4.frame.LZ4FrameDecompressor()
    try:
        # One byte more than the header claims shows a chunk that lies about
        # its size without ever inflating past it (a bomb stops here).
        out = decompressor.decompress(payload, max_length=size + 1)
    except (RuntimeError, ValueError) as exc:
        raise XetFormatError(f"chunk {index}: LZ4 data is corrupt ({exc})") from exc
    if len(out) != size or not decompressor.eof or decompressor.unused_data:
        raise XetFormatError(
            f"chunk {index}: header says {size} bytes uncompressed, "
            "LZ4 data does not decode to exactly that"
        )
    return bytes(out)


def decompress_chunk(index: int, scheme: int, payload: bytes, size: int) -> bytes:
    """A chunk's raw bytes, or XetFormatError naming chunk ``index``."""
    if scheme == Compression.NONE:
        if len(payload) != size:
            raise XetFormatError(
                f"chunk {index}: uncompressed chunk of {len(payload)} bytes, "
                f"header says {size}"
            )
        return payload
    if scheme == Compression.LZ4:
        return _lz4_decompress(index, payload, size)
    if scheme == Compression.BG4_LZ4:
        return bg4_join(_lz4_decompress(index, payload, size))
    raise XetFormatError(f"chunk {index}: unknown compression type {scheme}")


def read_chunk_header(data: memoryview, index: int, pos: int) -> tuple[int, int, int]:
    if len(data) - pos < HEADER_LEN:
        raise XetFormatError(
            f"chunk {index}: header needs {HEADER_LEN} bytes, {len(data) - pos} remain"
        )
    head = bytes(data[pos : pos + HEADER_LEN])
    if head[0] != CHUNK_VERSION:
        raise XetFormatError(f"chunk {index}: unknown chunk version {head[0]}")
    compressed = int.from_bytes(head[1:4], "little")
    scheme = head[4]
    size = int.from_bytes(head[5:8], "little")
    if size == 0 or size > MAX_CHUNK_BYTES:
        raise XetFormatError(
            f"chunk {index}: uncompressed size {size}, allowed 1 to {MAX_CHUNK_BYTES}"
        )
    if compressed == 0 or compressed > MAX_CHUNK_BYTES:
        raise XetFormatError(
            f"chunk {index}: compressed size {compressed}, "
            f"allowed 1 to {MAX_CHUNK_BYTES}"
        )
    return compressed, scheme, size


def xorb_read(data: bytes) -> list[XorbChunk]:
    """Parse and decompress every chunk, checking headers, caps and sizes."""
    if not data:
        raise XetFormatError("empty xorb")
    if len(data) > MAX_XORB_WIRE_BYTES:
        raise XetFormatError(
            f"xorb is {len(data)} bytes, the cap is {MAX_XORB_WIRE_BYTES}"
        )
    view = memoryview(data)
    chunks: list[XorbChunk] = []
    pos = 0
    while pos < len(data):
        index = len(chunks)
        if index >= MAX_XORB_CHUNKS:
            raise XetFormatError(f"xorb has more than {MAX_XORB_CHUNKS} chunks")
        compressed, scheme, size = read_chunk_header(view, index, pos)
        start = pos + HEADER_LEN
        if len(data) - start < compressed:
            raise XetFormatError(
                f"chunk {index}: header says {compressed} bytes, "
                f"{len(data) - start} follow"
            )
        raw = decompress_chunk(index, scheme, data[start : start + compressed], size)
        chunks.append(XorbChunk(chunk_hash(raw), size, pos, start + compressed))
        pos = start + compressed
    return chunks


def xorb_verify(data: bytes, expected_hash: bytes) -> list[XorbChunk]:
    """Read a xorb and check its hash is ``expected_hash``; the chunk list."""
    chunks = xorb_read(data)
    actual = xorb_hash((c.hash, c.size) for c in chunks)
    if actual != expected_hash:
        raise XetFormatError(
            f"xorb hash is {hash_to_hex(actual)}, "
            f"the upload names {hash_to_hex(expected_hash)}"
        )
    return chunks


def compress_chunk(raw: bytes, scheme: Compression) -> tuple[Compression, bytes]:
    """Compress with ``scheme``; stored uncompressed when that is not smaller."""
    if scheme == Compression.LZ4:
        payload = lz4.frame.compress(raw)
    elif scheme == Compression.BG4_LZ4:
        payload = lz4.frame.compress(bg4_split(raw))
    else:
        return Compression.NONE, raw
    if len(payload) >= len(raw):
        return Compression.NONE, raw
    return scheme, payload


def chunk_serialize(raw: bytes, scheme: Compression, payload: bytes) -> bytes:
    """One chunk's header and payload."""
    return (
        bytes([CHUNK_VERSION])
        + len(payload).to_bytes(3, "little")
        + bytes([scheme])
        + len(raw).to_bytes(3, "little")
        + payload
    )


def xorb_write(
    chunks: Iterable[bytes], scheme: Compression = Compression.LZ4
) -> tuple[bytes, bytes]:
    """Serialize chunks into a xorb; (xorb bytes, xorb hash)."""
    parts: list[bytes] = []
    nodes: list[tuple[bytes, int]] = []
    for raw in chunks:
        if not 0 < len(raw) <= MAX_CHUNK_BYTES:
            raise ValueError(f"a chunk is 1 to {MAX_CHUNK_BYTES} bytes")
        used, payload = compress_chunk(raw, scheme)
        parts.append(chunk_serialize(raw, used, payload))
        nodes.append((chunk_hash(raw), len(raw)))
    return b"".join(parts), xorb_hash(nodes)
