"""safetensors headers: exact verdicts, cross-checked with the reference library."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors import safe_open
from safetensors.numpy import save_file as save_numpy
from safetensors.torch import save_file as save_torch

from tests.workers.validators.corpus import safetensors_bytes, tensor
from workers.validators.base import BytesSource, FileSource
from workers.validators.registry import validate_file
from workers.validators.safetensors import read_header, validate_safetensors


def reference_accepts(tmp_path: Path, data: bytes) -> bool:
    path = tmp_path / "reference.safetensors"
    path.write_bytes(data)
    try:
        with safe_open(str(path), "np") as handle:
            list(handle.keys())
    except Exception:
        return False
    return True


def test_hand_written_file_passes_with_parameter_counts(tmp_path):
    header = {
        "__metadata__": {"format": "pt"},
        "embed": tensor("F32", [4, 2], 0, 32),
        "scale": tensor("BF16", [3], 32, 38),
        "mask": tensor("BOOL", [2], 38, 40),
    }
    data = safetensors_bytes(header, bytes(40))
    verdict = validate_file("model.safetensors", BytesSource(data))
    assert verdict.status == "passed"
    assert verdict.findings == ()
    assert verdict.metadata["parameters"] == {"BF16": 3, "BOOL": 2, "F32": 8}
    assert verdict.metadata["total"] == 13
    assert verdict.metadata["saved_from"] == "pt"
    assert reference_accepts(tmp_path, data)


def test_files_written_by_the_library_pass(tmp_path):
    path = tmp_path / "model.safetensors"
    save_torch(
        {
            "a": torch.zeros(3, 5),
            "b": torch.ones(7, dtype=torch.float16),
            "empty": torch.zeros(0, 4),
            "f8": torch.zeros(4, dtype=torch.float8_e4m3fn),
        },
        str(path),
        metadata={"note": "x"},
    )
    with FileSource(path) as source:
        verdict = validate_file(path.name, source)
    assert verdict.status == "passed"
    assert verdict.metadata["parameters"] == {"F16": 7, "F32": 15, "F8_E4M3": 4}

    save_numpy({"x": np.zeros((2, 2), dtype=np.int64)}, str(path))
    with FileSource(path) as source:
        assert validate_file(path.name, source).metadata["total"] == 4


def test_sub_byte_dtypes_count_elements():
    data = safetensors_bytes({"q": tensor("F4", [2, 4], 0, 4)}, bytes(4))
    assert validate_safetensors(BytesSource(data)).metadata["parameters"] == {"F4": 8}


HOSTILE = {
    "huge_header_length": (
        safetensors_bytes(b"{}", length=2**62),
        "safetensors.header_too_large",
    ),
    "header_length_2_63": (
        safetensors_bytes(b"{}", length=2**63),
        "safetensors.header_too_large",
    ),
    "header_past_end": (
        safetensors_bytes(b"{}", length=1000),
        "safetensors.truncated",
    ),
    "too_short": (b"\x02\x00\x00", "safetensors.truncated"),
    "overlap": (
        safetensors_bytes(
            {"a": tensor("F32", [2], 0, 8), "b": tensor("F32", [2], 4, 12)}, bytes(12)
        ),
        "safetensors.overlap",
    ),
    "gap": (
        safetensors_bytes(
            {"a": tensor("F32", [1], 0, 4), "b": tensor("F32", [1], 8, 12)}, bytes(12)
        ),
        "safetensors.gap",
    ),
    "trailing_bytes": (
        safetensors_bytes({"a": tensor("F32", [1], 0, 4)}, bytes(8)),
        "safetensors.trailing_bytes",
    ),
    "out_of_bounds": (
        safetensors_bytes({"a": tensor("F32", [4], 0, 16)}, bytes(8)),
        "safetensors.out_of_bounds",
    ),
    "shape_overflows_u64": (
        # 2**64 elements wrap to 0 in 64-bit arithmetic: 0 bytes "fit".
        safetensors_bytes({"a": tensor("U8", [2**32, 2**32], 0, 0)}),
        "safetensors.size_mismatch",
    ),
    "absurd_rank": (
        safetensors_bytes({"a": tensor("F32", [2**40] * 10_000, 0, 4)}, bytes(4)),
        "safetensors.size_mismatch",
    ),
    "shape_does_not_match_range": (
        safetensors_bytes({"a": tensor("F32", [3], 0, 8)}, bytes(8)),
        "safetensors.size_mismatch",
    ),
    "duplicate_names": (
        safetensors_bytes(
            b'{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, '
            b'"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}',
            bytes(4),
        ),
        "safetensors.duplicate_name",
    ),
    "unknown_dtype": (
        safetensors_bytes({"a": tensor("F128", [1], 0, 16)}, bytes(16)),
        "safetensors.unknown_dtype",
    ),
    "metadata_not_strings": (
        safetensors_bytes({"__metadata__": {"epoch": 3}}),
        "safetensors.metadata_invalid",
    ),
    "not_json": (safetensors_bytes(b"{not json"), "safetensors.header_invalid"),
    "not_utf8": (safetensors_bytes(b'{"\xff": 1}'), "safetensors.header_invalid"),
    "empty_header": (safetensors_bytes(b"{}"), None),
    "array_header": (safetensors_bytes(b"[]"), "safetensors.header_invalid"),
    "negative_offset": (
        safetensors_bytes({"a": tensor("F32", [1], -4, 0)}),
        "safetensors.header_invalid",
    ),
    "nan_in_header": (
        safetensors_bytes(b'{"__metadata__": {"a": "b"}, "x": NaN}'),
        "safetensors.header_invalid",
    ),
    "deep_nesting": (
        safetensors_bytes(b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
        "safetensors.header_invalid",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_malformed_header_is_quarantined_with_its_exact_code(case, tmp_path):
    data, code = HOSTILE[case]
    verdict = validate_file("model.safetensors", BytesSource(data))
    if code is None:  # the empty header: a valid, if useless, file
        assert verdict.status == "passed"
        return
    # A dtype this hub does not know yet fails; every lie is quarantined.
    expected = "failed" if code == "safetensors.unknown_dtype" else "quarantine"
    assert verdict.status == expected
    assert verdict.codes == [code]
    if case != "duplicate_names":
        # The reference implementation refuses these too (it keeps the last
        # of two duplicates, which is why they are refused here).
        assert not reference_accepts(tmp_path, data)


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("header_length_2_63", "8.0 EiB header"),
        ("overlap", "share bytes"),
        ("trailing_bytes", "4 bytes after its last tensor"),
        ("shape_does_not_match_range", "does not fit its 8-byte range"),
        ("duplicate_names", "lists 'a' twice"),
        ("array_header", "does not start with a JSON object"),
    ],
)
def test_quarantine_finding_says_what_is_wrong(case, words):
    data, code = HOSTILE[case]
    [finding] = validate_file("model.safetensors", BytesSource(data)).findings
    assert (finding.severity, finding.code) == ("unsafe", code)
    assert words in finding.message


def test_unknown_tensor_fields_are_a_warning():
    info = tensor("F32", [1], 0, 4) | {"quant": "none"}
    verdict = validate_file(
        "m.safetensors", BytesSource(safetensors_bytes({"a": info}, bytes(4)))
    )
    assert verdict.status == "warning"
    assert verdict.codes == ["safetensors.unknown_field"]


def test_not_a_safetensors_file_with_that_name_is_quarantined():
    verdict = validate_file("model.safetensors", BytesSource(b"hello, not weights"))
    assert verdict.status == "quarantine"
    # "hello, n" read as the header length is 7.9 EB.
    assert verdict.codes == ["safetensors.header_too_large"]


def test_only_the_header_is_read():
    header = {"w": tensor("F32", [1024, 1024], 0, 4 * 1024 * 1024)}
    data = safetensors_bytes(header, bytes(4 * 1024 * 1024))
    reads: list[tuple[int, int]] = []

    class Recording(BytesSource):
        def read_at(self, offset: int, length: int) -> bytes:
            reads.append((offset, length))
            return super().read_at(offset, length)

    source = Recording(data)
    assert validate_safetensors(source).status == "passed"
    header_end = len(data) - 4 * 1024 * 1024
    assert all(offset + length <= header_end for offset, length in reads)
    assert read_header(source).tensors[0].numel == 1024 * 1024
