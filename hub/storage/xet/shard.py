"""Shards: parse and validate an uploaded shard, and write one.

Xet Protocol Specification, "MDB Shard File Format": a 48-byte header (magic
tag, version 2, footer size), the file info section (per file a
FileDataSequenceHeader, its entries, then optional FileVerificationEntry per
entry and one FileMetadataExt, as its flags say; closed by a bookend), the
CAS info section (per xorb a header and one entry per chunk; a bookend) and
an optional 200-byte footer. Every record is 48 bytes. An upload carries no
footer; a dedup answer does.

The spec leaves the footer's lookup tables as "reserved"; the reference
client reads them from a dedup answer, so the writer fills them as the
reference implementation lays them out (sorted (u64, u32) and (u64, u32,
u32) rows after the CAS section). The reader checks structure only; what a
shard says about stored xorbs is checked against the store by the caller.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from hub.storage.xet.errors import XetFormatError
from hub.storage.xet.hashes import HASH_LEN, hash_to_hex, swap_words

SHARD_TAG = b"HFRepoMetaData\x00" + bytes(
    [85, 105, 103, 69, 106, 123, 129, 87, 131, 165, 189, 217, 92, 205, 209, 74, 169]
)
HEADER_VERSION = 2
FOOTER_VERSION = 1
RECORD = 48
HEADER_LEN = 48
FOOTER_LEN = 200
BOOKEND = b"\xff" * HASH_LEN + bytes(16)
FLAG_VERIFICATION = 1 << 31
FLAG_METADATA_EXT = 1 << 30
MAX_SHARD_BYTES = 64 * 1024 * 1024
NO_EXPIRY = (1 << 64) - 1

HEADER_STRUCT = struct.Struct("<32sQQ")
FILE_HEADER_STRUCT = struct.Struct("<32sII8x")
TERM_STRUCT = struct.Struct("<32sIIII")
HASH_EXT_STRUCT = struct.Struct("<32s16x")
CAS_HEADER_STRUCT = struct.Struct("<32sIIII")
CAS_ENTRY_STRUCT = struct.Struct("<32sII8x")
FOOTER_STRUCT = struct.Struct("<9Q32sQQ48xQQQQ")
assert FOOTER_STRUCT.size == FOOTER_LEN


@dataclass(frozen=True)
class FileTerm:
    """A run of chunks [start, end) of one xorb, ``size`` bytes unpacked."""

    xorb_hash: bytes
    size: int
    chunk_start: int
    chunk_end: int
    range_hash: bytes | None = None


@dataclass(frozen=True)
class ShardFile:
    """One file: its Xet hash, terms in order and (if given) its sha256 digest
    (the plain digest; on the wire it is word-swapped, see ``swap_words``)."""

    file_hash: bytes
    terms: tuple[FileTerm, ...]
    sha256: bytes | None = None

    @property
    def size(self) -> int:
        return sum(t.size for t in self.terms)


@dataclass(frozen=True)
class ShardChunk:
    hash: bytes
    byte_start: int  # uncompressed bytes of the xorb's chunks before this one
    size: int


@dataclass(frozen=True)
class ShardXorb:
    """One xorb: its hash, serialized length and chunks in order."""

    xorb_hash: bytes
    chunks: tuple[ShardChunk, ...]
    bytes_on_disk: int

    @property
    def size(self) -> int:
        return sum(c.size for c in self.chunks)


@dataclass
class Shard:
    files: list[ShardFile] = field(default_factory=list)
    xorbs: list[ShardXorb] = field(default_factory=list)
    hmac_key: bytes = bytes(HASH_LEN)
    created_at: int = 0
    expires_at: int = NO_EXPIRY


class _Reader:
    """Walks 48-byte records, naming the section when the data runs out."""

    def __init__(self, data: bytes, end: int) -> None:
        self.data = data
        self.end = end
        self.pos = HEADER_LEN

    def record(self, what: str) -> bytes:
        if self.end - self.pos < RECORD:
            raise XetFormatError(f"shard ends inside {what} at byte {self.pos}")
        rec = self.data[self.pos : self.pos + RECORD]
        self.pos += RECORD
        return rec

    def count(self, n: int, what: str) -> None:
        """Refuse a count that the remaining bytes cannot hold."""
        if n * RECORD > self.end - self.pos:
            raise XetFormatError(
                f"{what} claims {n} entries, the shard has room for "
                f"{(self.end - self.pos) // RECORD}"
            )


def _read_terms(r: _Reader, n: int, name: str) -> list[FileTerm]:
    terms = []
    for j in range(n):
        xorb, flags, size, start, end = TERM_STRUCT.unpack(r.record(f"{name} term {j}"))
        if flags != 0:
            raise XetFormatError(f"{name} term {j}: unknown flags {flags:#x}")
        if not start < end:
            raise XetFormatError(f"{name} term {j}: empty chunk range [{start}, {end})")
        if size == 0:
            raise XetFormatError(f"{name} term {j}: zero bytes")
        terms.append(FileTerm(xorb, size, start, end))
    return terms


def _read_file(r: _Reader, file_hash: bytes, flags: int, n: int) -> ShardFile:
    name = f"file {hash_to_hex(file_hash)}"
    if flags & ~(FLAG_VERIFICATION | FLAG_METADATA_EXT):
        raise XetFormatError(f"{name}: unknown flags {flags:#x}")
    if n == 0:
        raise XetFormatError(f"{name}: no terms")
    extra = n if flags & FLAG_VERIFICATION else 0
    r.count(n + extra + (1 if flags & FLAG_METADATA_EXT else 0), name)
    terms = _read_terms(r, n, name)
    if flags & FLAG_VERIFICATION:
        for j, term in enumerate(terms):
            (digest,) = HASH_EXT_STRUCT.unpack(r.record(f"{name} verification {j}"))
            terms[j] = FileTerm(
                term.xorb_hash, term.size, term.chunk_start, term.chunk_end, digest
            )
    sha256 = None
    if flags & FLAG_METADATA_EXT:
        (raw,) = HASH_EXT_STRUCT.unpack(r.record(f"{name} metadata"))
        sha256 = swap_words(raw)
    return ShardFile(file_hash, tuple(terms), sha256)


def _read_files(r: _Reader) -> list[ShardFile]:
    files: list[ShardFile] = []
    while True:
        rec = r.record("the file info section (no bookend)")
        if rec[:HASH_LEN] == BOOKEND[:HASH_LEN]:
            return files
        file_hash, flags, n = FILE_HEADER_STRUCT.unpack(rec)
        files.append(_read_file(r, file_hash, flags, n))


def _read_xorb(r: _Reader, rec: bytes) -> ShardXorb:
    xorb, flags, n, raw_bytes, on_disk = CAS_HEADER_STRUCT.unpack(rec)
    name = f"xorb {hash_to_hex(xorb)}"
    if flags != 0:
        raise XetFormatError(f"{name}: unknown flags {flags:#x}")
    if n == 0:
        raise XetFormatError(f"{name}: no chunks")
    r.count(n, name)
    chunks = []
    offset = 0
    for j in range(n):
        digest, start, size, *_ = CAS_ENTRY_STRUCT.unpack(r.record(f"{name} chunk {j}"))
        if start != offset or size == 0:
            raise XetFormatError(
                f"{name} chunk {j}: starts at byte {start} with {size} bytes, "
                f"expected a non-empty chunk at byte {offset}"
            )
        chunks.append(ShardChunk(digest, start, size))
        offset += size
    result = ShardXorb(xorb, tuple(chunks), on_disk)
    if result.size != raw_bytes:
        raise XetFormatError(
            f"{name}: header says {raw_bytes} bytes, its chunks sum to {result.size}"
        )
    return result


def _read_xorbs(r: _Reader) -> list[ShardXorb]:
    xorbs: list[ShardXorb] = []
    while True:
        rec = r.record("the CAS info section (no bookend)")
        if rec[:HASH_LEN] == BOOKEND[:HASH_LEN]:
            return xorbs
        xorbs.append(_read_xorb(r, rec))


def _read_footer(data: bytes, shard: Shard, cas_offset: int) -> None:
    fields = FOOTER_STRUCT.unpack(data[len(data) - FOOTER_LEN :])
    version, file_off, cas_off = fields[0], fields[1], fields[2]
    footer_off = fields[-1]
    if version != FOOTER_VERSION:
        raise XetFormatError(
            f"shard footer version {version}, expected {FOOTER_VERSION}"
        )
    if file_off != HEADER_LEN or cas_off != cas_offset:
        raise XetFormatError(
            "shard footer's section offsets disagree with the sections"
        )
    if footer_off != len(data) - FOOTER_LEN:
        raise XetFormatError(f"shard footer offset {footer_off} is not where it sits")
    shard.hmac_key, shard.created_at, shard.expires_at = fields[9:12]


def shard_read(data: bytes, *, footer: bool | None = None) -> Shard:
    """Parse a shard. ``footer`` True requires one, False forbids one (an
    upload); None takes what the header says."""
    if len(data) > MAX_SHARD_BYTES:
        raise XetFormatError(
            f"shard is {len(data)} bytes, the cap is {MAX_SHARD_BYTES}"
        )
    if len(data) < HEADER_LEN:
        raise XetFormatError("shard is shorter than its header")
    tag, version, footer_size = HEADER_STRUCT.unpack(data[:HEADER_LEN])
    if tag != SHARD_TAG:
        raise XetFormatError("not a shard (wrong magic tag)")
    if version != HEADER_VERSION:
        raise XetFormatError(
            f"shard header version {version}, expected {HEADER_VERSION}"
        )
    if footer_size not in (0, FOOTER_LEN):
        raise XetFormatError(
            f"shard footer size {footer_size}, expected 0 or {FOOTER_LEN}"
        )
    if footer is not None and footer != (footer_size == FOOTER_LEN):
        raise XetFormatError("shard upload must omit the footer" if not footer else
                             "shard has no footer")  # fmt: skip
    if footer_size > len(data) - HEADER_LEN:
        raise XetFormatError("shard footer size runs past the end")
    r = _Reader(data, len(data) - footer_size)
    shard = Shard(files=_read_files(r))
    cas_offset = r.pos
    shard.xorbs = _read_xorbs(r)
    if footer_size:
        _read_footer(data, shard, cas_offset)
    elif r.pos != len(data):
        raise XetFormatError(f"{len(data) - r.pos} bytes after the CAS info section")
    _check_verification(shard)
    return shard


def _check_verification(shard: Shard) -> None:
    with_ranges = {t.range_hash is not None for f in shard.files for t in f.terms}
    if len(with_ranges) > 1:
        raise XetFormatError("some files carry verification entries and some do not")
