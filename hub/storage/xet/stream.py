"""Verify a xorb while it streams in, one chunk at a time.

``XorbDigest`` has the ``update``/``hexdigest`` shape of a hashlib object,
so a blob store writes a xorb exactly as it writes a blob: the bytes go to
staging while this checks every chunk header, decodes every chunk to its
declared size and hashes it; ``hexdigest`` then gives the xorb's hash (its
key), and the store refuses the object when that differs from the hash the
upload named. Memory stays at one chunk (at most 128 KiB compressed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hub.storage.xet.errors import XetFormatError
from hub.storage.xet.hashes import chunk_hash, hash_to_hex, xorb_hash
from hub.storage.xet.xorb import (
    HEADER_LEN,
    MAX_XORB_BYTES,
    MAX_XORB_CHUNKS,
    MAX_XORB_WIRE_BYTES,
    XorbChunk,
    decompress_chunk,
    read_chunk_header,
)


class XorbDigest:
    """Incremental xorb reader: ``update`` with the bytes, ``hexdigest`` at
    the end. ``chunks`` lists every chunk read (hash, size, offsets)."""

    def __init__(self) -> None:
        self.chunks: list[XorbChunk] = []
        self.size = 0
        self.unpacked = 0
        self._buffer = bytearray()
        self._pos = 0  # bytes of the buffer already read
        self._header: tuple[int, int, int] | None = None

    def update(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > MAX_XORB_WIRE_BYTES:
            raise XetFormatError(
                f"xorb is more than {MAX_XORB_WIRE_BYTES} bytes, the cap of the format"
            )
        self._buffer += data
        while self._step():
            pass
        del self._buffer[: self._pos]  # once per update, not per chunk
        self._pos = 0

    def _step(self) -> bool:
        index = len(self.chunks)
        pos = self._pos
        if self._header is None:
            if len(self._buffer) - pos < HEADER_LEN:
                return False
            if index >= MAX_XORB_CHUNKS:
                raise XetFormatError(f"xorb has more than {MAX_XORB_CHUNKS} chunks")
            with memoryview(self._buffer) as view:
                self._header = read_chunk_header(view, index, pos)
        compressed, scheme, size = self._header
        if len(self._buffer) - pos < HEADER_LEN + compressed:
            return False
        payload = bytes(self._buffer[pos + HEADER_LEN : pos + HEADER_LEN + compressed])
        raw = decompress_chunk(index, scheme, payload, size)
        self.unpacked += size
        if self.unpacked > MAX_XORB_BYTES:
            raise XetFormatError(
                f"xorb holds more than {MAX_XORB_BYTES} bytes of content"
            )
        offset = self._offset()
        end = offset + HEADER_LEN + compressed
        self.chunks.append(XorbChunk(chunk_hash(raw), size, offset, end))
        self._pos = pos + HEADER_LEN + compressed
        self._header = None
        return True

    def _offset(self) -> int:
        return self.chunks[-1].end if self.chunks else 0

    def digest(self) -> bytes:
        """The xorb hash; XetFormatError when the bytes end mid-chunk."""
        if len(self._buffer) > self._pos or self._header is not None:
            raise XetFormatError(
                f"xorb ends inside chunk {len(self.chunks)}: "
                f"{len(self._buffer)} bytes of a chunk are missing their rest"
            )
        if not self.chunks:
            raise XetFormatError("empty xorb")
        return xorb_hash((c.hash, c.size) for c in self.chunks)

    def hexdigest(self) -> str:
        return hash_to_hex(self.digest())


def iter_chunk_data(parts: Iterable[bytes]) -> Iterator[bytes]:
    """The raw bytes of each chunk of serialized chunks arriving in ``parts``
    (a byte range of a stored xorb that starts and ends on chunk bounds).

    No hashing: stored xorbs were verified on upload. XetFormatError when
    the bytes are not whole chunks.
    """
    buffer = bytearray()
    index = 0
    for data in parts:
        buffer += data
        pos = 0
        while len(buffer) - pos >= HEADER_LEN:
            with memoryview(buffer) as view:
                compressed, scheme, size = read_chunk_header(view, index, pos)
            if len(buffer) - pos < HEADER_LEN + compressed:
                break
            payload = bytes(buffer[pos + HEADER_LEN : pos + HEADER_LEN + compressed])
            yield decompress_chunk(index, scheme, payload, size)
            pos += HEADER_LEN + compressed
            index += 1
        del buffer[:pos]
    if buffer:
        raise XetFormatError(f"stored xorb range ends inside chunk {index}")
