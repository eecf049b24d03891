"""CSV, TSV and JSON Lines from the first few MiB of the file.

Lines are checked in plain Python first, so a problem names its line
(``csv`` in strict mode, ``json`` per line); pyarrow then types the columns
of the same sample. A file larger than the sample gets "at least N rows":
the sample is cut after its last complete line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json
from tab_channel import Channel
from tab_values import Cells, Problem, features, fit_rows

DELIMITERS = {"csv": ",", "tsv": "\t"}


def _sample(channel: Channel, fmt: str, caps: dict[str, Any]) -> tuple[bytes, bool]:
    """The first bytes up to the last line end, and whether that is the file."""
    limit = caps["text_sample_bytes"]
    data = channel.read_at(0, min(channel.size, limit))
    complete = channel.size <= limit
    if fmt == "json" and not complete and data.lstrip().startswith(b"["):
        raise Problem(
            "json.array_too_large",
            f"The file is one JSON array larger than the {limit >> 10} KiB read "
            "here; publish it as JSON Lines or Parquet to have it previewed.",
        )
    if not complete:
        cut = data.rfind(b"\n")
        if cut < 0:
            raise Problem(
                "text.no_line",
                f"The first {limit >> 20} MiB hold no complete line.",
                line=1,
            )
        data = data[: cut + 1]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data, complete


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise Problem(
            "text.not_utf8",
            f"Line {line} is not UTF-8 text (byte {exc.start} of the file): "
            "the file is binary or in another encoding.",
            line=line,
        ) from None


def _lines(text: str) -> Iterator[tuple[int, str]]:
    return enumerate(text.splitlines(keepends=True), start=1)


def _check_csv(text: str, delimiter: str, complete: bool) -> tuple[int, int]:
    """(records, columns) of the sample; a bad line raises a Problem."""
    csv.field_size_limit(len(text) + 1)
    lines = list(_lines(text))
    reader = csv.reader((line for _, line in lines), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    records = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if not complete and reader.line_num >= len(lines):
                break  # a quoted field runs past the sample's end
            raise Problem("csv.bad_line", f"Line {start}: {exc}.", line=start) from None
        if not row:
            continue
        if header is None:
            header = row
            continue
        if len(row) != len(header):
            raise Problem(
                "csv.field_count",
                f"Line {start} has {len(row)} fields; the header has {len(header)}.",
                line=start,
            )
        records += 1
    if header is None:
        raise Problem("csv.empty", "The file holds no header line.", line=1)
    return records, len(header)


def _check_jsonl(text: str) -> int:
    records = 0
    for number, line in _lines(text):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except RecursionError:
            raise Problem(
                "jsonl.too_deep",
                f"Line {number} nests values too deeply to be read.",
                line=number,
            ) from None
        except json.JSONDecodeError as exc:
            raise Problem(
                "jsonl.bad_line",
                f"Line {number} is not valid JSON: {exc.msg} (column {exc.colno}).",
                line=number,
            ) from None
        if not isinstance(value, dict):
            raise Problem(
                "jsonl.not_object",
                f"Line {number} is a JSON {type(value).__name__}, not an object: "
                "each line of JSON Lines is one row.",
                line=number,
            )
        records += 1
    return records


def _json_array(text: str) -> list[Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Problem(
            "json.invalid",
            f"Line {exc.lineno}: {exc.msg} (column {exc.colno}).",
            line=exc.lineno,
        ) from None
    if not all(isinstance(item, dict) for item in value):
        raise Problem("json.not_objects", "The JSON array's items are not all objects.")
    return value


def _table(fmt: str, data: bytes, text: str, complete: bool) -> tuple[Any, int]:
    """The sample as an Arrow table (types inferred) and its record count."""
    if fmt in DELIMITERS:
        records, _ = _check_csv(text, DELIMITERS[fmt], complete)
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(
                use_threads=False, block_size=len(data) + 1
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=DELIMITERS[fmt], newlines_in_values=True
            ),
        )
        return table, records
    if fmt == "text":  # datasets' text loader: one row per line
        lines = text.splitlines()
        return pa.table({"text": pa.array(lines, pa.string())}), len(lines)
    if fmt == "json" and text.lstrip().startswith("["):
        items = _json_array(text)
        return pa.Table.from_pylist(items), len(items)
    records = _check_jsonl(text)
    table = pa_json.read_json(
        io.BytesIO(data),
        read_options=pa_json.ReadOptions(use_threads=False, block_size=len(data) + 1),
    )
    return table, records


def inspect_text(channel: Channel, fmt: str, caps: dict[str, Any]) -> dict[str, Any]:
    """Schema, first rows and row count (exact or a lower bound) of a text file."""
    if channel.size == 0:
        raise Problem("text.empty", "The file is empty.")
    data, complete = _sample(channel, fmt, caps)
    text = _decode(data)
    try:
        table, records = _table(fmt, data, text, complete)
    except pa.ArrowException as exc:
        raise Problem(
            f"{fmt}.types", f"The rows cannot be read as a table: {str(exc)[:300]}"
        ) from None
    shown = min(table.num_columns, caps["row_columns"])
    cells = Cells(caps["cell_max_chars"])
    head = table.slice(0, caps["rows"]).select(list(range(shown)))
    return {
        "ok": True,
        "features": features(table.schema, caps["schema_columns"]),
        "num_columns": table.num_columns,
        "columns_shown": shown,
        "num_rows": records,
        "num_rows_exact": complete,
        "rows": fit_rows(
            [cells.row(row) for row in head.to_pylist()], caps["rows_max_bytes"]
        ),
        "truncated_cells": cells.truncated,
        "facts": {"sample_bytes": len(data)},
    }
