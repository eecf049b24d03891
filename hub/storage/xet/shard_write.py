"""Write shards, and check a shard's terms against the xorbs they name.

Xet Protocol Specification, "MDB Shard File Format" (layout, see
``shard.py``) and "Hashing", "Term Verification Hashes". The lookup tables
after the CAS section follow the reference implementation: rows keyed by a
hash's first 8 bytes as a little-endian u64, sorted, pointing at the record
index (counted in 48-byte records from the section's start) where the file or
xorb starts, and for chunks also the chunk's index in its xorb.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence

from hub.storage.xet.errors import XetFormatError
from hub.storage.xet.hashes import hash_to_hex, swap_words, verification_hash
from hub.storage.xet.shard import (
    BOOKEND,
    CAS_ENTRY_STRUCT,
    CAS_HEADER_STRUCT,
    FILE_HEADER_STRUCT,
    FLAG_METADATA_EXT,
    FLAG_VERIFICATION,
    FOOTER_LEN,
    FOOTER_STRUCT,
    FOOTER_VERSION,
    HASH_EXT_STRUCT,
    HEADER_LEN,
    HEADER_STRUCT,
    HEADER_VERSION,
    SHARD_TAG,
    TERM_STRUCT,
    Shard,
    ShardFile,
    ShardXorb,
)


def _file_records(f: ShardFile) -> list[bytes]:
    with_ranges = all(t.range_hash is not None for t in f.terms)
    flags = (FLAG_VERIFICATION if with_ranges else 0) | (
        FLAG_METADATA_EXT if f.sha256 is not None else 0
    )
    out = [FILE_HEADER_STRUCT.pack(f.file_hash, flags, len(f.terms))]
    out += [
        TERM_STRUCT.pack(t.xorb_hash, 0, t.size, t.chunk_start, t.chunk_end)
        for t in f.terms
    ]
    if with_ranges:
        out += [HASH_EXT_STRUCT.pack(t.range_hash) for t in f.terms]
    if f.sha256 is not None:
        out.append(HASH_EXT_STRUCT.pack(swap_words(f.sha256)))
    return out


def _xorb_records(x: ShardXorb) -> list[bytes]:
    head = CAS_HEADER_STRUCT.pack(
        x.xorb_hash, 0, len(x.chunks), x.size, x.bytes_on_disk
    )
    return [head] + [
        CAS_ENTRY_STRUCT.pack(c.hash, c.byte_start, c.size) for c in x.chunks
    ]


def _key(digest: bytes) -> int:
    return int.from_bytes(digest[:8], "little")


def _lookup_tables(shard: Shard) -> bytes:
    files, xorbs, chunks = [], [], []
    index = 0
    for f in shard.files:
        files.append((_key(f.file_hash), index))
        index += len(_file_records(f))
    index = 0
    for x in shard.xorbs:
        xorbs.append((_key(x.xorb_hash), index))
        chunks += [(_key(c.hash), index, j) for j, c in enumerate(x.chunks)]
        index += 1 + len(x.chunks)
    row2, row3 = struct.Struct("<QI"), struct.Struct("<QII")
    return (
        b"".join(row2.pack(*r) for r in sorted(files))
        + b"".join(row2.pack(*r) for r in sorted(xorbs))
        + b"".join(row3.pack(*r) for r in sorted(chunks))
    )


def shard_write(shard: Shard, *, footer: bool) -> bytes:
    """Serialize; an upload omits the footer, a dedup answer carries one."""
    file_part = b"".join(r for f in shard.files for r in _file_records(f)) + BOOKEND
    cas_part = b"".join(r for x in shard.xorbs for r in _xorb_records(x)) + BOOKEND
    header = HEADER_STRUCT.pack(SHARD_TAG, HEADER_VERSION, FOOTER_LEN if footer else 0)
    body = header + file_part + cas_part
    if not footer:
        return body
    n_files = len(shard.files)
    n_xorbs = len(shard.xorbs)
    n_chunks = sum(len(x.chunks) for x in shard.xorbs)
    file_lookup = len(body)
    xorb_lookup = file_lookup + 12 * n_files
    chunk_lookup = xorb_lookup + 12 * n_xorbs
    footer_at = chunk_lookup + 16 * n_chunks
    stats = (
        sum(x.bytes_on_disk for x in shard.xorbs),
        sum(f.size for f in shard.files),
        sum(x.size for x in shard.xorbs),
    )
    return (
        body
        + _lookup_tables(shard)
        + FOOTER_STRUCT.pack(
            FOOTER_VERSION,
            HEADER_LEN,
            HEADER_LEN + len(file_part),
            file_lookup,
            n_files,
            xorb_lookup,
            n_xorbs,
            chunk_lookup,
            n_chunks,
            shard.hmac_key,
            shard.created_at,
            shard.expires_at,
            *stats,
            footer_at,
        )  # fmt: skip
    )


def shard_check_terms(
    shard: Shard, xorb_chunks: Mapping[bytes, Sequence[tuple[bytes, int]]]
) -> None:
    """Check each file term against its xorb's (chunk hash, size) list: the
    range lies inside the xorb, the sizes add up, the range hash matches.
    A xorb missing from ``xorb_chunks`` and from the shard is an error."""
    known = dict(xorb_chunks)
    for x in shard.xorbs:
        known.setdefault(x.xorb_hash, [(c.hash, c.size) for c in x.chunks])
    for f in shard.files:
        name = f"file {hash_to_hex(f.file_hash)}"
        for j, t in enumerate(f.terms):
            chunks = known.get(t.xorb_hash)
            if chunks is None:
                raise XetFormatError(
                    f"{name} term {j}: unknown xorb {hash_to_hex(t.xorb_hash)}"
                )
            if t.chunk_end > len(chunks):
                raise XetFormatError(
                    f"{name} term {j}: chunks [{t.chunk_start}, {t.chunk_end}) "
                    f"outside xorb {hash_to_hex(t.xorb_hash)} of {len(chunks)} chunks"
                )
            run = chunks[t.chunk_start : t.chunk_end]
            if sum(size for _, size in run) != t.size:
                raise XetFormatError(
                    f"{name} term {j}: size {t.size} disagrees with its chunks"
                )
            if t.range_hash is not None and t.range_hash != verification_hash(
                h for h, _ in run
            ):
                raise XetFormatError(
                    f"{name} term {j}: verification hash does not match"
                )
