"""Dataset files built in the tests: good ones and hostile bytes."""

from __future__ import annotations

import io
import struct

import pyarrow as pa
import pyarrow.parquet as pq


def parquet_bytes(
    rows: int = 1000, *, row_group_size: int = 100, width: int = 1
) -> bytes:
    """A Parquet file of ``rows`` rows (an id, a text, ``width`` float columns)."""
    columns = {
        "id": pa.array(range(rows), pa.int64()),
        "text": pa.array([f"row {i}" for i in range(rows)]),
    }
    for index in range(width):
        columns[f"x{index}"] = pa.array([i * 0.5 + index for i in range(rows)])
    out = io.BytesIO()
    pq.write_table(pa.table(columns), out, row_group_size=row_group_size)
    return out.getvalue()


def footer_of(data: bytes) -> tuple[int, int]:
    """(start, length) of a Parquet file's footer."""
    (length,) = struct.unpack("<I", data[-8:-4])
    return len(data) - 8 - length, length


def with_footer_length(data: bytes, length: int) -> bytes:
    return data[:-8] + struct.pack("<I", length) + b"PAR1"


def truncated_footer(data: bytes) -> bytes:
    """The footer's first half cut away, the length and magic kept."""
    start, length = footer_of(data)
    return data[:start] + data[start + length // 2 : -8] + data[-8:]


def patch_row_group(
    data: bytes, *, total_byte_size: int | None = None, num_rows: int | None = None
) -> bytes:
    """The first row group's claimed sizes rewritten in the footer's Thrift.

    RowGroup fields 2 (total_byte_size) and 3 (num_rows) are i64s that
    follow the column list: compact headers 0x16 0x16, zigzag varints.
    """
    group = pq.read_metadata(io.BytesIO(data)).row_group(0)
    start, length = footer_of(data)
    footer = data[start : start + length]
    old = (
        b"\x16"
        + _varint(group.total_byte_size * 2)
        + b"\x16"
        + _varint(group.num_rows * 2)
    )
    new = (
        b"\x16"
        + _varint((total_byte_size or group.total_byte_size) * 2)
        + b"\x16"
        + _varint((num_rows or group.num_rows) * 2)
    )
    assert footer.count(old) == 1
    patched = footer.replace(old, new)
    return data[:start] + patched + struct.pack("<I", len(patched)) + b"PAR1"


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


GARBAGE = bytes(range(256)) * 64
