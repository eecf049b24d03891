"""A Xet file as byte ranges of xorbs: what clients fetch, what the hub reads.

``file_pieces`` maps a byte range of a file to the runs of chunks that hold
it (terms narrowed to the chunks the range touches). Clients get them as
the CAS reconstruction answer (``reconstruction_answer``, both versions of
the spec's shape); the hub itself streams them (``xet_file_iter_range``),
which is how validators, evals and clients without hf_xet read Xet files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from hub.core.errors import ValidationError
from hub.storage.models import XetFile, XetXorb
from hub.storage.xet.stream import iter_chunk_data
from hub.storage.xetcas.pack import (
    ChunkRow,
    TermRow,
    chunk_table_unpack,
    terms_unpack,
)
from hub.storage.xetcas.spaces import xorb_store

# A URL for bytes [first, last] of a xorb.
FetchUrl = Callable[[str, int, int], str]


class RangeNotSatisfiableError(ValidationError):
    code = "range_not_satisfiable"
    http_status = 416


@dataclass(frozen=True)
class Piece:
    """Chunks [chunk_start, chunk_end) of one xorb, serialized at bytes
    [byte_start, byte_end); of their ``size`` unpacked bytes the range keeps
    ``take`` after skipping ``skip``."""

    xorb_hex: str
    chunk_start: int
    chunk_end: int
    byte_start: int
    byte_end: int
    size: int
    skip: int
    take: int


def _tables(hexes: set[str]) -> dict[str, tuple[list[ChunkRow], int]]:
    rows = XetXorb.objects.filter(pk__in=hexes).values_list(
        "hash", "chunk_table", "size"
    )
    return {h: (chunk_table_unpack(table), size) for h, table, size in rows}


def _narrow(
    rows: list[ChunkRow], first: int, last: int, at: int, start: int, end: int
) -> tuple[int, int, int, int]:
    """Chunks of [first, last) covering file bytes [start, end] when chunk
    ``first`` begins at file offset ``at``: (cs, ce, offset of cs, size)."""
    cs = first
    while cs < last - 1 and at + rows[cs].size <= start:
        at += rows[cs].size
        cs += 1
    ce, size = cs, 0
    while ce < last and at + size <= end:
        size += rows[ce].size
        ce += 1
    return cs, ce, at, size


def _overlapping(file: XetFile, start: int, end: int) -> list[tuple[TermRow, int]]:
    """The terms holding bytes start..end, each with its file offset."""
    out: list[tuple[TermRow, int]] = []
    pos = 0
    for t in terms_unpack(file.terms):
        t_start, pos = pos, pos + t.size
        if pos <= start:
            continue
        if t_start > end:
            break
        out.append((t, t_start))
    return out


def file_pieces(file: XetFile, start: int, end: int) -> list[Piece]:
    """The pieces holding bytes ``start``..``end`` (inclusive) of the file.

    Only the chunk tables of the xorbs those terms use are read: a small
    range of a large file costs one or two xorb rows, not all of them.
    """
    terms = _overlapping(file, start, end)
    tables = _tables({t.xorb_hex for t, _ in terms})
    pieces: list[Piece] = []
    for t, t_start in terms:
        rows, xorb_size = tables[t.xorb_hex]
        cs, ce, at, size = _narrow(
            rows, t.chunk_start, t.chunk_end, t_start, start, end
        )
        skip = max(0, start - at)
        take = min(end + 1, at + size) - (at + skip)
        byte_end = rows[ce].offset if ce < len(rows) else xorb_size
        pieces.append(
            Piece(t.xorb_hex, cs, ce, rows[cs].offset, byte_end, size, skip, take)
        )
    return pieces


def byte_range_check(
    file: XetFile, byte_range: tuple[int, int] | None
) -> tuple[int, int]:
    """(start, end) inclusive within the file; 416 when it starts past the end."""
    if byte_range is None:
        return 0, file.size - 1
    start, end = byte_range
    if start >= file.size or start < 0 or end < start:
        raise RangeNotSatisfiableError(
            f"Range starts at byte {start}; the file has {file.size} bytes."
        )
    return start, min(end, file.size - 1)


def _merged(pieces: list[Piece]) -> dict[str, list[tuple[int, int, int, int]]]:
    """Per xorb, the chunk runs to fetch (chunks and bytes), overlaps merged."""
    runs: dict[str, list[tuple[int, int, int, int]]] = {}
    for p in sorted(pieces, key=lambda p: (p.xorb_hex, p.chunk_start)):
        mine = runs.setdefault(p.xorb_hex, [])
        if mine and p.chunk_start <= mine[-1][1]:
            cs, ce, bs, be = mine[-1]
            if p.chunk_end > ce:
                mine[-1] = (cs, p.chunk_end, bs, p.byte_end)
            continue
        mine.append((p.chunk_start, p.chunk_end, p.byte_start, p.byte_end))
    return runs


def reconstruction_answer(
    *,
    file: XetFile,
    byte_range: tuple[int, int] | None,
    version: int,
    fetch_url: FetchUrl,
) -> dict[str, Any]:
    """The CAS reconstruction answer (``/v1`` or ``/v2`` shape) for a range."""
    if file.size == 0:
        fetch_key = "xorbs" if version == 2 else "fetch_info"
        return {"offset_into_first_range": 0, "terms": [], fetch_key: {}}
    start, end = byte_range_check(file, byte_range)
    pieces = file_pieces(file, start, end)
    terms = [
        {
            "hash": p.xorb_hex,
            "unpacked_length": p.size,
            "range": {"start": p.chunk_start, "end": p.chunk_end},
        }
        for p in pieces
    ]
    fetch: dict[str, list[dict[str, Any]]] = {}
    for xorb_hex, runs in _merged(pieces).items():
        for cs, ce, bs, be in runs:
            url = fetch_url(xorb_hex, bs, be - 1)
            chunks = {"start": cs, "end": ce}
            span = {"start": bs, "end": be - 1}
            entry: dict[str, Any]
            if version == 2:
                entry = {"url": url, "ranges": [{"chunks": chunks, "bytes": span}]}
            else:
                entry = {"range": chunks, "url": url, "url_range": span}
            fetch.setdefault(xorb_hex, []).append(entry)
    return {
        "offset_into_first_range": pieces[0].skip if pieces else 0,
        "terms": terms,
        ("xorbs" if version == 2 else "fetch_info"): fetch,
    }


def _piece_bytes(piece: Piece) -> Iterator[bytes]:
    skip, left = piece.skip, piece.take
    parts = xorb_store().iter_range(
        piece.xorb_hex, piece.byte_start, piece.byte_end - 1
    )
    for raw in iter_chunk_data(parts):
        if skip >= len(raw):
            skip -= len(raw)
            continue
        out = raw[skip : skip + left]
        skip = 0
        left -= len(out)
        yield out
        if left <= 0:
            return


def xet_file_iter_range(
    file: XetFile, start: int = 0, end: int | None = None
) -> Iterator[bytes]:
    """Bytes ``start``..``end`` (inclusive; to the end when None) of the
    file, rebuilt from its xorbs one chunk at a time."""
    if file.size == 0 or start >= file.size:
        return
    last = file.size - 1 if end is None else min(end, file.size - 1)
    for piece in file_pieces(file, start, last):
        yield from _piece_bytes(piece)
