"""The dataset-file parser (workers.tabular): good files, hostile bytes, caps.

Every file is built here; every hostile one must come back as a clear
message from the sandboxed child, never as an exception in the worker.
"""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.viewer.hostile import (
    GARBAGE,
    parquet_bytes,
    patch_row_group,
    truncated_footer,
    with_footer_length,
)
from workers.evals.sandbox import Limits
from workers.tabular import runner
from workers.tabular.runner import inspect_file
from workers.validators.base import BytesSource


def inspect(data: bytes, fmt: str, **kwargs):
    return inspect_file(BytesSource(data), fmt, **kwargs)


def test_parquet_gives_schema_first_hundred_rows_and_exact_count():
    found = inspect(parquet_bytes(1000, row_group_size=30), "parquet").result
    assert found["ok"] is True
    assert found["features"] == [
        {"name": "id", "type": "int64"},
        {"name": "text", "type": "string"},
        {"name": "x0", "type": "double"},
    ]
    assert found["num_rows"] == 1000 and found["num_rows_exact"] is True
    assert [row["id"] for row in found["rows"]] == list(range(100))
    assert found["rows"][7] == {"id": 7, "text": "row 7", "x0": 3.5}
    assert found["facts"]["row_groups"] == 34


GOOD = parquet_bytes(1000)


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (truncated_footer(GOOD), "parquet.bad_footer", "footer cannot be decoded"),
        (
            with_footer_length(GOOD, len(GOOD)),
            "parquet.footer_past_start",
            f"footer claims {len(GOOD)} bytes",
        ),
        (
            with_footer_length(GOOD, 2**32 - 1),
            "parquet.footer_past_start",
            "truncated or corrupt",
        ),
        (b"PAR2" + GOOD[4:], "parquet.bad_magic", "not a Parquet file"),
        (GOOD[: len(GOOD) // 2], "parquet.truncated", "truncated"),
        (
            patch_row_group(GOOD, total_byte_size=1 << 50),
            "parquet.row_group_too_large",
            "Row group 0 claims 1024.0 TiB",
        ),
        (
            patch_row_group(GOOD, num_rows=1 << 40),
            "parquet.row_count_mismatch",
            "the footer says 1000",
        ),
        (GARBAGE, "parquet.bad_magic", "not a Parquet file"),
        (b"PAR1PAR1", "parquet.too_small", "too short"),
        (GOOD[:-4] + b"PARE", "parquet.encrypted", "encrypted"),
    ],
    ids=[
        "truncated-footer",
        "footer-longer-than-file",
        "footer-length-2**32",
        "wrong-magic",
        "cut-in-half",
        "huge-row-group",
        "row-count-lies",
        "binary-garbage",
        "too-small",
        "encrypted",
    ],
)
def test_hostile_parquet_gets_a_clear_message(data, code, words):
    found = inspect(data, "parquet").result
    assert found["ok"] is False
    assert found["code"] == code
    assert words in found["message"]


def test_footer_over_the_cap_is_refused_before_decoding():
    found = inspect(GOOD, "parquet", caps={"footer_max_bytes": 1024}).result
    assert found["code"] == "parquet.footer_too_large"
    assert "1.0 KiB read here" in found["message"]


def test_column_chunk_outside_the_file_is_refused():
    """Bytes cut from the middle: the footer's offsets now point past the data."""
    data = GOOD[:4] + GOOD[2004:]
    found = inspect(data, "parquet").result
    assert found["code"] == "parquet.chunk_out_of_bounds"
    assert "outside the file's data" in found["message"]


def test_a_decompression_bomb_ends_the_child_not_the_worker():
    """646 bytes that inflate to 1.2 GB: the child hits its memory limit.

    One 12 MB dictionary value repeated 100 times, read back as plain
    strings (no Arrow schema stored): the test itself holds 12 MB.
    """
    values = pa.array(["a" * (12 << 20)])
    column = pa.DictionaryArray.from_arrays(pa.array([0] * 100, pa.int32()), values)
    out = io.BytesIO()
    pq.write_table(pa.table({"s": column}), out, compression="zstd", store_schema=False)
    small = Limits(
        wall_seconds=60,
        cpu_seconds=30,
        address_space_bytes=1 << 30,
        file_size_bytes=1 << 20,
        open_files=64,
        tasks=16,
    )
    found = inspect(out.getvalue(), "parquet", limits=small).result
    assert found == {
        "ok": False,
        "code": "reader.memory_limit",
        "message": "The file could not be read safely: The child needed more "
        "than 1024 MiB of address space.",
    }


def test_long_cells_and_wide_tables_are_capped():
    table = pa.table({f"c{i}": ["x" * 5000] for i in range(30)})
    out = io.BytesIO()
    pq.write_table(table, out)
    found = inspect(
        out.getvalue(), "parquet", caps={"row_columns": 10, "schema_columns": 20}
    ).result
    assert found["num_columns"] == 30 and len(found["features"]) == 20
    assert found["columns_shown"] == 10 and len(found["rows"][0]) == 10
    assert found["rows"][0]["c0"] == "x" * 1000 + "…"
    assert found["truncated_cells"] is True


def test_rows_stop_at_the_byte_cap():
    table = pa.table({"s": ["y" * 900] * 100})
    out = io.BytesIO()
    pq.write_table(table, out)
    found = inspect(out.getvalue(), "parquet", caps={"rows_max_bytes": 10_000}).result
    # {"s": "y…"} is 909 bytes: 11 rows fit in 10 000.
    assert len(found["rows"]) == 11 and found["num_rows"] == 100


def test_csv_types_rows_and_exact_count():
    data = b"id,name,score\n" + b"".join(
        f'{i},"n, {i}",{i / 2}\n'.encode() for i in range(150)
    )
    found = inspect(data, "csv").result
    assert found["ok"] is True and found["num_rows"] == 150
    assert found["num_rows_exact"] is True
    assert [f["type"] for f in found["features"]] == ["int64", "string", "double"]
    assert found["rows"][3] == {"id": 3, "name": "n, 3", "score": 1.5}
    assert len(found["rows"]) == 100


def test_csv_larger_than_the_sample_counts_at_least():
    data = b"a,b\n" + b"1,2\n" * 100_000
    found = inspect(data, "csv", caps={"text_sample_bytes": 64 * 1024}).result
    assert found["ok"] is True and found["num_rows_exact"] is False
    assert 16_000 < found["num_rows"] < 16_400


def test_tsv_uses_tabs():
    found = inspect(b"a\tb\n1\tx,y\n", "tsv").result
    assert found["rows"] == [{"a": 1, "b": "x,y"}]


@pytest.mark.parametrize(
    ("data", "code", "line"),
    [
        (b'a,b\n1,2\n3,"x"y\n', "csv.bad_line", 3),
        (b"a,b\n1,2\n3,4,5\n", "csv.field_count", 3),
        (b'a,b\n1,"never closed\n2,3\n', "csv.bad_line", 2),
        (b"a,b\n1,2\n\x00\x01,\xff\xfe\n", "text.not_utf8", 3),
    ],
    ids=["bad-quoting", "extra-field", "unclosed-quote", "binary"],
)
def test_malformed_csv_names_the_line(data, code, line):
    found = inspect(data, "csv").result
    assert (found["ok"], found["code"], found["line"]) == (False, code, line)
    assert f"Line {line}" in found["message"]


def test_jsonl_rows_and_types():
    data = b"".join(
        json.dumps({"q": f"q{i}", "n": i}).encode() + b"\n" for i in range(5)
    )
    found = inspect(data, "jsonl").result
    assert found["num_rows"] == 5 and found["rows"][2] == {"q": "q2", "n": 2}
    assert found["features"] == [
        {"name": "q", "type": "string"},
        {"name": "n", "type": "int64"},
    ]


@pytest.mark.parametrize(
    ("data", "code", "line"),
    [
        (b'{"a": 1}\n{"a": 2\n{"a": 3}\n', "jsonl.bad_line", 2),
        (b'{"a": 1}\n\n[1, 2]\n', "jsonl.not_object", 3),
        (GARBAGE, "text.not_utf8", 2),  # byte 10 ends line 1, byte 128 is bad
        (b'{"a": 1}\n' + b"[" * 100_000 + b"\n", "jsonl.too_deep", 2),
    ],
    ids=["bad-line", "not-an-object", "binary-garbage", "deep-nesting"],
)
def test_malformed_jsonl_names_the_line(data, code, line):
    found = inspect(data, "jsonl").result
    assert (found["ok"], found["code"], found["line"]) == (False, code, line)
    assert f"Line {line}" in found["message"]


def test_lone_surrogates_are_refused_as_the_loader_refuses_them():
    found = inspect(b'{"a": "\\ud800"}\n', "jsonl").result
    assert found["code"] == "jsonl.types"
    assert "surrogate pair in string is invalid" in found["message"]


def test_jsonl_with_changing_types_is_refused_with_arrows_reason():
    found = inspect(b'{"a": 1}\n{"a": "x"}\n', "jsonl").result
    assert found["ok"] is False and found["code"] == "jsonl.types"
    assert "cannot be read as a table" in found["message"]


def test_json_array_and_text_files():
    found = inspect(b'[{"a": 1}, {"a": 2}]', "json").result
    assert found["rows"] == [{"a": 1}, {"a": 2}] and found["num_rows_exact"]
    found = inspect(b"first line\nsecond\n", "text").result
    assert found["rows"] == [{"text": "first line"}, {"text": "second"}]


def test_json_array_larger_than_the_sample_is_not_previewed():
    data = b"[" + b",".join(b'{"a": 1}' for _ in range(20_000)) + b"]\n"
    found = inspect(data, "json", caps={"text_sample_bytes": 4096}).result
    assert found["code"] == "json.array_too_large"


def test_empty_file():
    assert inspect(b"", "csv").result["code"] == "text.empty"


def test_a_reader_that_takes_too_long_is_killed_with_a_message():
    hurried = Limits(
        wall_seconds=0.05,
        cpu_seconds=30,
        address_space_bytes=2 << 30,
        file_size_bytes=1 << 20,
        open_files=64,
        tasks=16,
    )
    found = inspect(GOOD, "parquet", limits=hurried).result
    assert found == {
        "ok": False,
        "code": "reader.timeout",
        "message": "The file could not be read safely: Reading took more than 0.05 s.",
    }


def test_reads_past_the_budget_are_refused(monkeypatch):
    monkeypatch.setattr(runner, "READ_BUDGET_BYTES", 1 << 20)
    data = parquet_bytes(200_000, row_group_size=200_000)
    found = inspect(data, "parquet").result
    assert found["ok"] is False and found["code"] == "read_budget"
    assert "would pass the 1 MiB this file may read" in found["message"]
