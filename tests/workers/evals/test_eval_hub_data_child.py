"""The eval child's reader of dataset splits (workers/evals/child/mc_data.py),
on the files the worker copies into the sandbox: each format, prefixes cut
mid-line, the text cap, and hostile or wrong bytes, which end the run with a
reason instead of a crash."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

CHILD = Path(__file__).resolve().parents[3] / "workers" / "evals" / "child"


@pytest.fixture(scope="module")
def mc_data():
    sys.path.insert(0, str(CHILD))
    try:
        import mc_data

        yield mc_data
    finally:
        sys.path.remove(str(CHILD))


def spec(tmp_path: Path, files: list[tuple[str, bytes, bool]], **extra) -> dict:
    items = []
    for index, (fmt, data, complete) in enumerate(files):
        path = tmp_path / f"{index:03d}.{fmt}"
        path.write_bytes(data)
        items.append(
            {
                "path": str(path),
                "name": f"f{index}.{fmt}",
                "format": fmt,
                "complete": complete,
            }
        )
    return {
        "kind": "dataset",
        "column": "text",
        "max_text_bytes": 1 << 20,
        "files": items,
        **extra,
    }


def failure(mc_data, data: dict) -> tuple[str, str]:
    with pytest.raises(Exception) as caught:
        mc_data.dataset_documents(data)
    assert type(caught.value).__name__ == "EvalFailure"
    error: Any = caught.value
    return error.reason, error.message


def parquet(texts) -> bytes:
    out = io.BytesIO()
    pq.write_table(
        pa.table({"id": list(range(len(texts))), "text": texts}), out, row_group_size=2
    )
    return out.getvalue()


def test_every_format_gives_one_document_per_row(mc_data, tmp_path):
    files = [
        ("parquet", parquet(["p1", None, "p2"]), True),
        ("jsonl", b'{"text": "j1"}\n\n{"text": "j2", "x": 1}\n', True),
        ("csv", b'id,text\n1,"c1, quoted"\n2,c2\n', True),
        ("tsv", b"text\tid\nt1\t1\n", True),
        ("text", b"line one\n\nline two\n", True),
    ]
    documents, read = mc_data.dataset_documents(spec(tmp_path, files))
    assert documents == [
        "p1",
        "p2",
        "j1",
        "j2",
        "c1, quoted",
        "c2",
        "t1",
        "line one",
        "line two",
    ]
    assert read["documents"] == 9 and not read["truncated"]


def test_a_prefix_loses_its_cut_last_line(mc_data, tmp_path):
    files = [
        ("jsonl", b'{"text": "whole"}\n{"text": "cu', False),
        ("csv", b"text\nfirst\nsecond half", False),
    ]
    documents, _ = mc_data.dataset_documents(spec(tmp_path, files))
    assert documents == ["whole", "first"]


def test_the_text_cap_stops_before_the_document_that_passes_it(mc_data, tmp_path):
    data = spec(tmp_path, [("text", b"aaaa\nbbbb\ncccc\n", True)], max_text_bytes=9)
    documents, read = mc_data.dataset_documents(data)
    assert documents == ["aaaa", "bbbb"] and read["truncated"]


@pytest.mark.parametrize(
    ("fmt", "data", "reason", "words"),
    [
        ("jsonl", b'{"body": "x"}\n', "data_column_missing", "no 'text' column"),
        ("csv", b"body\nx\n", "data_column_missing", "columns: body"),
        ("jsonl", b"{not json\n", "data_unreadable", "line 1 is not JSON"),
        ("jsonl", b"[1, 2]\n", "data_unreadable", "not a JSON object"),
        ("text", b"\xff\xfe bad\n", "data_unreadable", "not UTF-8"),
        ("parquet", b"PAR1 not really parquet PAR1", "data_unreadable", "cannot"),
        ("jsonl", b'{"text": 5}\n{"text": ""}\n', "data_empty", "no non-empty text"),
    ],
)
def test_wrong_or_hostile_bytes_end_the_run_with_a_reason(
    mc_data, tmp_path, fmt, data, reason, words
):
    found, message = failure(mc_data, spec(tmp_path, [(fmt, data, True)]))
    assert found == reason and words in message, message
    json.dumps(message)  # a plain message the worker can store


def test_a_part_copied_parquet_file_gives_only_the_row_groups_it_holds(
    mc_data, tmp_path
):
    texts = [f"document {i} " + "x" * 2000 for i in range(400)]
    whole = io.BytesIO()
    pq.write_table(
        pa.table({"text": texts}), whole, row_group_size=50, compression="none"
    )
    data = whole.getvalue()
    meta = pq.read_metadata(io.BytesIO(data))
    prefix, tail = len(data) // 3, 64 << 10
    inside = 0
    for group in range(meta.num_row_groups):
        chunk = meta.row_group(group).column(0)
        start = chunk.dictionary_page_offset or chunk.data_page_offset
        if start + chunk.total_compressed_size > prefix:
            break
        inside += meta.row_group(group).num_rows
    assert 0 < inside < len(texts)
    # What the worker writes: the first bytes and the last, in a sparse file.
    path = tmp_path / "000.parquet"
    with open(path, "wb") as out:
        out.write(data[:prefix])
        out.seek(len(data) - tail)
        out.write(data[-tail:])
    item = {
        "path": str(path),
        "name": "big.parquet",
        "format": "parquet",
        "complete": False,
        "pieces": [[0, prefix], [len(data) - tail, tail]],
    }
    data_spec = {
        "kind": "dataset",
        "column": "text",
        "max_text_bytes": 1 << 30,
        "files": [item],
    }
    documents, _ = mc_data.dataset_documents(data_spec)
    assert documents == texts[:inside]
