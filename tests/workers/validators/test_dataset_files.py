"""Dataset files through the registry: Parquet, CSV and JSON Lines checks
(the viewer's sandboxed parser) and the loading-script warning."""

from __future__ import annotations

import pytest

from tests.viewer.hostile import (
    GARBAGE,
    parquet_bytes,
    patch_row_group,
    truncated_footer,
    with_footer_length,
)
from workers.validators import validate_file, version_for
from workers.validators.base import BytesSource
from workers.validators.datasets import loading_script_findings

GOOD = parquet_bytes(300)


def check(path: str, data: bytes):
    return validate_file(path, BytesSource(data))


def test_good_dataset_files_pass_with_their_shape():
    verdict = check("data/train.parquet", GOOD)
    assert verdict.status == "passed", verdict.findings
    assert verdict.metadata == {
        "format": "parquet",
        "num_columns": 3,
        "num_rows": 300,
        "num_rows_exact": True,
    }
    assert check("train.csv", b"a,b\n1,2\n").metadata["num_rows"] == 1
    assert check("dev.tsv", b"a\tb\n1\t2\n").metadata["format"] == "tsv"
    assert check("x.jsonl", b'{"a": 1}\n').status == "passed"


@pytest.mark.parametrize(
    ("path", "data", "code", "words"),
    [
        (
            "a.parquet",
            truncated_footer(GOOD),
            "parquet.bad_footer",
            "cannot be decoded",
        ),
        (
            "a.parquet",
            with_footer_length(GOOD, len(GOOD) * 4),
            "parquet.footer_past_start",
            "footer claims",
        ),
        ("a.parquet", b"PAR2" + GOOD[4:], "parquet.bad_magic", "not a Parquet"),
        (
            "a.parquet",
            patch_row_group(GOOD, total_byte_size=1 << 45),
            "parquet.row_group_too_large",
            "Row group 0 claims 32.0 TiB",
        ),
        ("a.parquet", GARBAGE, "parquet.bad_magic", "not a Parquet"),
        ("a.csv", b'a,b\n1,2\n3,"x"y\n', "csv.bad_line", "Line 3"),
        ("a.csv", b"a,b\n1,2\n3,4,5\n", "csv.field_count", "Line 3 has 3 fields"),
        ("a.jsonl", b'{"a": 1}\n{"a": 2\n', "jsonl.bad_line", "Line 2 is not valid"),
        ("a.jsonl", GARBAGE, "text.not_utf8", "not UTF-8"),
    ],
)
def test_malformed_dataset_files_fail_with_a_clear_message(path, data, code, words):
    verdict = check(path, data)
    assert verdict.status == "failed"
    (finding,) = [f for f in verdict.findings if f.code == code]
    assert finding.severity == "error" and words in finding.message


def test_a_bad_line_is_named_in_the_details():
    verdict = check("a.jsonl", b'{"a": 1}\n\n{"a": }\n')
    assert verdict.findings[0].details == {"line": 3}


def test_parquet_magic_is_checked_whatever_the_name():
    assert "parquet" in version_for("weights.dat", BytesSource(GOOD))
    assert check("weights.dat", GOOD).metadata["format"] == "parquet"


def test_a_pickle_named_csv_is_still_a_pickle(tmp_path):
    # A loader picks its reader by name, a scanner by content: both count.
    data = b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00\x8c\x01a\x94."
    verdict = check("train.csv", data)
    assert "pickle" in version_for("train.csv", BytesSource(data))
    assert verdict.status == "failed"
    assert verdict.codes == ["pickle.format", "text.not_utf8"]


def test_loading_scripts_at_the_top_level_are_warned_about():
    findings = loading_script_findings(
        ["squad.py", "README.md", "utils/helpers.py", "data/train.csv"]
    )
    assert [(f.severity, f.code, f.details) for f in findings] == [
        ("warning", "dataset.loading_script", {"path": "squad.py"})
    ]
    assert "no longer run loading scripts" in findings[0].message
