"""Parquet: the footer and the first row groups, read by byte range.

The footer's length and magic are checked in plain Python before pyarrow's
Thrift decoder sees a byte, every column chunk's claimed range must lie in
the file's data, and a row group is read only within the caps. pyarrow then
reads exactly the footer and the column chunks of the row groups that hold
the first rows: a 2 GB file costs its footer and a row group or two.
"""

from __future__ import annotations

import struct
from typing import Any

import pyarrow.parquet as pq
from tab_channel import Channel, ReadRefused, RemoteFile
from tab_values import Cells, Problem, clean, features, fit_rows, human_size

MAGIC = b"PAR1"
ENCRYPTED_MAGIC = b"PARE"
READ_BUFFER_BYTES = 64 * 1024
# Column chunks checked against the file's bounds (row groups × columns).
MAX_CHUNKS_CHECKED = 200_000


def footer_length(channel: Channel, caps: dict[str, Any]) -> int:
    """The footer's length, once the magic and the claimed size are sane."""
    size = channel.size
    if size < 12:
        raise Problem(
            "parquet.too_small",
            f"The file is {size} bytes: too short to be Parquet (header, "
            "footer and magic need at least 12).",
        )
    head = channel.read_at(0, 4)
    tail = channel.read_at(size - 8, 8)
    if tail[4:] == ENCRYPTED_MAGIC or head == ENCRYPTED_MAGIC:
        raise Problem(
            "parquet.encrypted",
            "The file is an encrypted Parquet file: it cannot be read here.",
        )
    if head != MAGIC:
        raise Problem(
            "parquet.bad_magic",
            "The file does not start with Parquet's magic bytes 'PAR1': it is "
            "not a Parquet file.",
        )
    if tail[4:] != MAGIC:
        raise Problem(
            "parquet.truncated",
            "The file does not end with Parquet's magic bytes 'PAR1': it is "
            "truncated or was not written to the end.",
        )
    (length,) = struct.unpack("<I", tail[:4])
    if length > size - 12:
        raise Problem(
            "parquet.footer_past_start",
            f"The footer claims {length} bytes but the file holds only "
            f"{size - 12} besides its magic bytes: the file is truncated or "
            "corrupt.",
        )
    if length > caps["footer_max_bytes"]:
        raise Problem(
            "parquet.footer_too_large",
            f"The footer is {human_size(length)}, over the "
            f"{human_size(caps['footer_max_bytes'])} read here: write fewer "
            "columns or row groups per file.",
        )
    return length


def _chunk_span(column: Any) -> tuple[int, int]:
    start = column.data_page_offset
    if column.has_dictionary_page and column.dictionary_page_offset:
        start = min(start, column.dictionary_page_offset)
    return start, start + column.total_compressed_size


def check_bounds(metadata: Any, data_end: int) -> None:
    """Every row count adds up and every column chunk lies in the data."""
    total = 0
    checked = 0
    for index in range(metadata.num_row_groups):
        group = metadata.row_group(index)
        if group.num_rows < 0:
            raise Problem(
                "parquet.bad_row_group",
                f"Row group {index} claims a negative number of rows.",
            )
        total += group.num_rows
        for column_index in range(group.num_columns):
            checked += 1
            if checked > MAX_CHUNKS_CHECKED:
                break
            column = group.column(column_index)
            start, end = _chunk_span(column)
            if start < 4 or end > data_end or column.total_compressed_size < 0:
                raise Problem(
                    "parquet.chunk_out_of_bounds",
                    f"Row group {index}, column '{column.path_in_schema[:200]}' "
                    f"claims bytes {start}–{end}, outside the file's data "
                    f"(bytes 4–{data_end}): the file is corrupt.",
                )
    if total != metadata.num_rows:
        raise Problem(
            "parquet.row_count_mismatch",
            f"The row groups hold {total} rows but the footer says "
            f"{metadata.num_rows}: the file is corrupt.",
        )


def _groups_to_read(
    metadata: Any, columns: list[int], caps: dict[str, Any]
) -> list[int]:
    """The first row groups that hold ``caps['rows']`` rows, within the caps."""
    wanted, groups = caps["rows"], []
    for index in range(metadata.num_row_groups):
        if wanted <= 0:
            break
        group = metadata.row_group(index)
        if group.num_rows == 0:
            continue
        compressed = sum(group.column(c).total_compressed_size for c in columns)
        if compressed > caps["row_group_max_bytes"]:
            raise Problem(
                "parquet.row_group_too_large",
                f"Row group {index} is {human_size(compressed)} compressed, over the "
                f"{human_size(caps['row_group_max_bytes'])} a row group may hold "
                "here: write smaller row groups.",
            )
        if group.total_byte_size > caps["row_group_max_uncompressed"]:
            raise Problem(
                "parquet.row_group_too_large",
                f"Row group {index} claims {human_size(group.total_byte_size)} "
                "uncompressed, over the "
                f"{human_size(caps['row_group_max_uncompressed'])} a row group may "
                "hold here.",
            )
        groups.append(index)
        wanted -= group.num_rows
    return groups


def inspect_parquet(channel: Channel, caps: dict[str, Any]) -> dict[str, Any]:
    """Schema, row count and first rows of a Parquet file (see module doc)."""
    length = footer_length(channel, caps)
    try:
        parquet = pq.ParquetFile(
            RemoteFile(channel),
            thrift_string_size_limit=caps["footer_max_bytes"],
            # Column chunks are streamed page by page in small reads instead
            # of fetched whole: the first 100 rows of a 100 MB row group
            # cost its first pages, not the row group.
            pre_buffer=False,
            buffer_size=READ_BUFFER_BYTES,
            thrift_container_size_limit=caps["footer_max_bytes"] // 4,
        )
    except ReadRefused:
        raise
    except Exception as exc:
        raise Problem(
            "parquet.bad_footer",
            f"The footer cannot be decoded: {str(exc)[:300]}",
        ) from None
    metadata = parquet.metadata
    check_bounds(metadata, channel.size - 8 - length)
    schema = parquet.schema_arrow
    shown = min(len(schema), caps["row_columns"])
    leaves = _leaf_indices(parquet, shown)
    groups = _groups_to_read(metadata, leaves, caps)
    cells = Cells(caps["cell_max_chars"])
    rows: list[dict[str, Any]] = []
    if groups:
        batches = parquet.iter_batches(
            batch_size=caps["rows"],
            row_groups=groups,
            columns=schema.names[:shown],
            use_threads=False,
        )
        for batch in batches:
            for row in batch.to_pylist():
                rows.append(cells.row(row))
                if len(rows) >= caps["rows"]:
                    break
            if len(rows) >= caps["rows"]:
                break
    return {
        "ok": True,
        "features": features(schema, caps["schema_columns"]),
        "num_columns": len(schema),
        "columns_shown": shown,
        "num_rows": metadata.num_rows,
        "num_rows_exact": True,
        "rows": fit_rows(rows, caps["rows_max_bytes"]),
        "truncated_cells": cells.truncated,
        "facts": {
            "row_groups": metadata.num_row_groups,
            "created_by": clean((metadata.created_by or "")[:200]),
            "footer_bytes": length,
        },
    }


def _leaf_indices(parquet: Any, shown: int) -> list[int]:
    """The Parquet leaf columns of the first ``shown`` Arrow fields."""
    names = set(parquet.schema_arrow.names[:shown])
    schema = parquet.schema
    return [
        index
        for index in range(len(schema))
        if schema.column(index).path.split(".")[0] in names
    ]
