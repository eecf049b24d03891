"""Parameter counts from hand-written safetensors headers."""

from __future__ import annotations

import json
import struct

import pytest

from hub.catalog.safetensors_meta import (
    MAX_HEADER_BYTES,
    SafetensorsHeaderError,
    safetensors_parse_header,
    safetensors_read_header,
)


def file_bytes(header: dict, data: bytes = b"") -> bytes:
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + data


def reader(content: bytes):
    reads: list[tuple[int, int]] = []

    def read(offset: int, length: int) -> bytes:
        reads.append((offset, length))
        return content[offset : offset + length]

    return read, reads


def test_counts_parameters_per_dtype_and_keeps_metadata():
    header = safetensors_parse_header(
        json.dumps(
            {
                "__metadata__": {"format": "pt"},
                "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
                "b": {"dtype": "F32", "shape": [4], "data_offsets": [24, 40]},
                "c": {"dtype": "BF16", "shape": [], "data_offsets": [40, 42]},
                "d": {"dtype": "I8", "shape": [0, 5], "data_offsets": [42, 42]},
            }
        ).encode()
    )
    assert header.parameters == {"F32": 10, "BF16": 1, "I8": 0}
    assert header.total == 11
    assert header.metadata == {"format": "pt"}


def test_reads_only_the_header_through_ranges():
    content = file_bytes(
        {"w": {"dtype": "F16", "shape": [8], "data_offsets": [0, 16]}}, b"\0" * 16
    )
    read, reads = reader(content)
    header = safetensors_read_header(read=read, size=len(content))
    assert header.parameters == {"F16": 8}
    raw_length = len(content) - 8 - 16
    assert reads == [(0, 8), (8, raw_length)]


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"[1, 2]",
        b'{"w": 3}',
        b'{"w": {"shape": [1]}}',
        b'{"w": {"dtype": "F32", "shape": [-1]}}',
        b'{"w": {"dtype": "F32", "shape": "2x2"}}',
        b'{"w": {"dtype": "F32", "shape": [true]}}',
        b'{"__metadata__": [1]}',
    ],
)
def test_malformed_headers_are_refused(raw):
    with pytest.raises(SafetensorsHeaderError):
        safetensors_parse_header(raw)


def test_truncated_or_oversized_files_are_refused():
    content = file_bytes({"w": {"dtype": "F32", "shape": [1]}})
    read, _ = reader(content)
    with pytest.raises(SafetensorsHeaderError):
        safetensors_read_header(read=read, size=4)
    with pytest.raises(SafetensorsHeaderError):
        safetensors_read_header(read=read, size=len(content) - 1)
    huge = struct.pack("<Q", MAX_HEADER_BYTES + 1) + b"{}"
    read, reads = reader(huge)
    with pytest.raises(SafetensorsHeaderError, match="at most"):
        safetensors_read_header(read=read, size=2**40)
    assert reads == [(0, 8)]  # the oversized header itself is never read
