"""GGUF headers: every length bounded by the file, metadata extracted."""

from __future__ import annotations

import struct

import pytest

from tests.workers.validators.corpus import (
    GGUF_ARRAY,
    GGUF_STRING,
    GGUF_U32,
    gguf_bytes,
    gguf_kv,
    gguf_string,
)
from workers.validators.base import BytesSource
from workers.validators.gguf import validate_gguf
from workers.validators.gguf_types import GGML_TYPES
from workers.validators.registry import validate_file

LLAMA_KVS = [
    gguf_kv("general.architecture", GGUF_STRING, "llama"),
    gguf_kv("general.name", GGUF_STRING, "tiny"),
    gguf_kv("llama.block_count", GGUF_U32, 1),
    gguf_kv("tokenizer.ggml.tokens", GGUF_ARRAY, (GGUF_STRING, ["<s>", "a", "b"])),
]
LLAMA_TENSORS = [
    ("token_embd.weight", [64, 3], 2),  # Q4_0
    ("output_norm.weight", [64], 0),  # F32
    ("blk.0.attn_q.weight", [256, 2], 12),  # Q4_K
]


def test_valid_file_yields_architecture_parameters_and_quantization():
    data = gguf_bytes(LLAMA_KVS, LLAMA_TENSORS)
    verdict = validate_file("model.gguf", BytesSource(data))
    assert verdict.status == "passed"
    assert verdict.metadata == {
        "format": "gguf",
        "version": 3,
        "architecture": "llama",
        "name": "tiny",
        "parameters": 64 * 3 + 64 + 256 * 2,
        "quantization": ["Q4_0", "Q4_K"],
        "tensor_types": ["F32", "Q4_0", "Q4_K"],
        "tensors": 3,
    }


def test_custom_alignment_is_honoured():
    kvs = [*LLAMA_KVS, gguf_kv("general.alignment", GGUF_U32, 64)]
    data = gguf_bytes(kvs, LLAMA_TENSORS, alignment=64)
    assert validate_gguf(BytesSource(data)).status == "passed"


def test_missing_architecture_is_a_warning():
    data = gguf_bytes([], [("w", [4], 0)])
    verdict = validate_gguf(BytesSource(data))
    assert verdict.status == "warning"
    assert verdict.codes == ["gguf.no_architecture"]


def _hostile() -> dict[str, tuple[bytes, str]]:
    valid = gguf_bytes(LLAMA_KVS, LLAMA_TENSORS)
    huge_string = (
        b"GGUF"
        + struct.pack("<IQQ", 3, 0, 1)
        + struct.pack("<Q", 2**63)
        + b"key"
        + bytes(64)
    )
    cut = valid.index(b"blk.0.attn_q.weight") + 5
    unknown_type = bytearray(gguf_bytes([], [("w", [4], 0)]))
    # header (24) + name length (8) + "w" + rank (4) + one dim (8) = 45
    struct.pack_into("<I", unknown_type, 45, 4)
    huge_array = gguf_bytes(
        [
            gguf_string("tokenizer.ggml.scores")
            + struct.pack("<IIQ", GGUF_ARRAY, 6, 2**62)
        ],
        [],
    )
    return {
        "truncated": (valid[:cut], "gguf.truncated"),
        "counts_2_63": (
            gguf_bytes(LLAMA_KVS, LLAMA_TENSORS, tensor_count=2**63),
            "gguf.count_out_of_bounds",
        ),
        "kv_count_2_63": (
            gguf_bytes(LLAMA_KVS, LLAMA_TENSORS, kv_count=2**63 - 1),
            "gguf.count_out_of_bounds",
        ),
        "string_length_2_63": (huge_string, "gguf.truncated"),
        "array_count_2_62": (huge_array, "gguf.count_out_of_bounds"),
        "offset_out_of_file": (
            gguf_bytes(LLAMA_KVS, LLAMA_TENSORS, data_size=100),
            "gguf.out_of_bounds",
        ),
        "offset_overlapping": (
            gguf_bytes(LLAMA_KVS, LLAMA_TENSORS, offsets=[0, 0, 0]),
            "gguf.bad_offset",
        ),
        "offset_huge": (
            gguf_bytes(LLAMA_KVS, LLAMA_TENSORS, offsets=[0, 2**63, 0]),
            "gguf.bad_offset",
        ),
        "version_1": (gguf_bytes(LLAMA_KVS, [], version=1), "gguf.unsupported_version"),
        "big_endian": (
            gguf_bytes(LLAMA_KVS, [], version=3 << 24),
            "gguf.unsupported_version",
        ),
        "unknown_tensor_type": (bytes(unknown_type), "gguf.bad_type"),
        "unknown_value_type": (
            gguf_bytes([gguf_string("k") + struct.pack("<IB", 13, 0)], []),
            "gguf.bad_type",
        ),
        "dims_not_in_blocks": (
            gguf_bytes([], [("w", [33], 2)]),
            "gguf.bad_shape",
        ),
        "too_many_dims": (
            gguf_bytes([], [("w", [1, 1, 1, 1, 1], 0)]),
            "gguf.bad_shape",
        ),
        "duplicate_key": (
            gguf_bytes([LLAMA_KVS[0], LLAMA_KVS[0]], []),
            "gguf.duplicate_key",
        ),
        "duplicate_tensor": (
            gguf_bytes([], [("w", [4], 0), ("w", [4], 0)]),
            "gguf.duplicate_tensor",
        ),
        "alignment_not_power_of_two": (
            gguf_bytes([gguf_kv("general.alignment", GGUF_U32, 48)], []),
            "gguf.bad_alignment",
        ),
        "long_tensor_name": (
            gguf_bytes([], [("w" * 64, [4], 0)]),
            "gguf.bad_string",
        ),
    }


HOSTILE = _hostile()
# Formats this hub does not know (yet): loaders refuse them before parsing
# further, so they fail without quarantine.
UNKNOWN_VARIANTS = {"version_1", "big_endian", "unknown_tensor_type"}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_malformed_file_is_quarantined_with_its_exact_code(case):
    data, code = HOSTILE[case]
    verdict = validate_file("model.gguf", BytesSource(data))
    expected = "failed" if case in UNKNOWN_VARIANTS else "quarantine"
    assert verdict.status == expected
    assert verdict.codes == [code]
    assert verdict.findings[0].message  # says what is wrong, in words


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (gguf_bytes(LLAMA_KVS, LLAMA_TENSORS)[:20], "gguf.truncated", "too short"),
        (
            gguf_bytes(LLAMA_KVS, LLAMA_TENSORS, kv_count=2**63),
            "gguf.count_out_of_bounds",
            "9223372036854775808 metadata entries",
        ),
        (
            gguf_bytes(LLAMA_KVS, LLAMA_TENSORS)[:-1],
            "gguf.out_of_bounds",
            "past the end of the file",
        ),
        (
            # A value's string length runs past the end of the file.
            b"GGUF"
            + struct.pack("<IQQ", 3, 0, 1)
            + gguf_string("k")
            + struct.pack("<IQ", GGUF_STRING, 1000)
            + b"short",
            "gguf.truncated",
            "cut short",
        ),
        (b"not a gguf file at all", "gguf.not_gguf", "magic bytes"),
    ],
)
def test_truncated_or_lying_gguf_is_quarantined_and_says_why(data, code, words):
    """The llama.cpp loader CVEs are made of headers like these."""
    verdict = validate_file("model.gguf", BytesSource(data))
    assert verdict.status == "quarantine"
    assert verdict.codes == [code]
    assert words in verdict.findings[0].message


def test_type_table_is_consistent():
    for type_id, (name, block, block_bytes) in GGML_TYPES.items():
        assert block in (1, 32, 256), name
        assert 0 < block_bytes <= 300, name
        assert type_id not in (4, 5, 31, 32, 33, 36, 37, 38)


def test_counts_are_rejected_before_anything_is_read():
    data = gguf_bytes([], [], tensor_count=2**63)
    reads: list[int] = []

    class Recording(BytesSource):
        def read_at(self, offset: int, length: int) -> bytes:
            reads.append(length)
            return super().read_at(offset, length)

    assert validate_gguf(Recording(data)).codes == ["gguf.count_out_of_bounds"]
    assert sum(reads) <= 64
