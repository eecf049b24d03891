"""Held-out documents of the causal-LM evaluator (runs inside the sandboxed
child): the shipped corpus, or the text column of a dataset split.

A dataset split arrives as files (or their first bytes) the worker copied
from the blob store; this module is the only place they are parsed. Each
row's text is one document; rows whose value is not a non-empty string are
skipped, and reading stops before the document that would pass
``max_text_bytes``. A prefix that ends mid-line loses that last line.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from mc_loading import EvalFailure

DOCUMENT_SEPARATOR = "\n---\n"


def corpus_documents(text: str) -> list[str]:
    """The shipped held-out corpus split into its documents."""
    return [d.strip("\n") for d in text.split(DOCUMENT_SEPARATOR) if d.strip()]


def _unreadable(name: str, why: str) -> EvalFailure:
    return EvalFailure(
        "failed", "data_unreadable", f"{name} cannot be read as held-out text: {why}"
    )


def _text_lines(raw: bytes, complete: bool, name: str) -> list[str]:
    if not complete:
        raw = raw[: raw.rfind(b"\n") + 1]
    try:
        return raw.decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise _unreadable(
            name, f"not UTF-8 ({exc.reason} at byte {exc.start})"
        ) from None


def _jsonl_values(lines: list[str], column: str, name: str) -> list[Any]:
    values = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _unreadable(name, f"line {number} is not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise _unreadable(name, f"line {number} is not a JSON object")
        if column not in row:
            raise _missing_column(name, column, list(row)[:20])
        values.append(row[column])
    return values


def _csv_values(lines: list[str], column: str, name: str, delimiter: str) -> list[Any]:
    try:
        reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter)
        header = reader.fieldnames or []
        if column not in header:
            raise _missing_column(name, column, list(header)[:20])
        return [row.get(column) for row in reader]
    except csv.Error as exc:
        raise _unreadable(name, str(exc)) from None


def _chunk_end(row_group: Any, column: str) -> int:
    """Where the column's chunk of a row group ends in the file."""
    for index in range(row_group.num_columns):
        chunk = row_group.column(index)
        if chunk.path_in_schema == column:
            start = chunk.data_page_offset
            if chunk.has_dictionary_page and chunk.dictionary_page_offset:
                start = min(start, chunk.dictionary_page_offset)
            return int(start + chunk.total_compressed_size)
    return -1


def _parquet_values(
    path: Path, column: str, name: str, budget: int, readable: int | None
) -> list[Any]:
    """The column's values, row group by row group, until ``budget`` bytes
    of text; with ``readable``, only row groups whose chunk lies in the
    file's first ``readable`` bytes (the rest of a part-copied file is a
    hole)."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path, pre_buffer=False)
        names = parquet.schema_arrow.names
        if column not in names:
            raise _missing_column(name, column, names[:20])
        values: list[Any] = []
        size = 0
        for group in range(parquet.num_row_groups):
            end = _chunk_end(parquet.metadata.row_group(group), column)
            if readable is not None and not 0 <= end <= readable:
                break
            chunk = parquet.read_row_group(group, columns=[column]).column(0)
            for value in chunk.to_pylist():
                values.append(value)
                size += len(value.encode("utf-8")) if isinstance(value, str) else 0
            if size >= budget:
                break
        return values
    except EvalFailure:
        raise
    except Exception as exc:  # pyarrow refusing the bytes: the file's fault
        raise _unreadable(name, f"{type(exc).__name__}: {str(exc)[:300]}") from None


def _file_values(item: dict[str, Any], column: str, budget: int) -> list[Any]:
    name, fmt, path = item["name"], item["format"], Path(item["path"])
    if fmt == "parquet":
        pieces = item.get("pieces") or []
        readable = None if item["complete"] or not pieces else int(pieces[0][1])
        return _parquet_values(path, column, name, budget, readable)
    lines = _text_lines(path.read_bytes(), bool(item["complete"]), name)
    if fmt == "text":
        return lines
    if fmt == "jsonl":
        return _jsonl_values(lines, column, name)
    return _csv_values(lines, column, name, "\t" if fmt == "tsv" else ",")


def _missing_column(name: str, column: str, found: list[str]) -> EvalFailure:
    return EvalFailure(
        "failed",
        "data_column_missing",
        f"{name} has no {column!r} column (columns: {', '.join(map(str, found))}).",
    )


def dataset_documents(data: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The split's documents within the text cap, and what was read."""
    budget = int(data["max_text_bytes"])
    documents: list[str] = []
    used = rows = 0
    truncated = False
    for item in data["files"]:
        for value in _file_values(item, data["column"], budget - used):
            rows += 1
            if not isinstance(value, str) or not value.strip():
                continue
            size = len(value.encode("utf-8"))
            if used + size > budget:
                truncated = True
                break
            documents.append(value)
            used += size
        if truncated:
            break
    if not documents:
        raise EvalFailure(
            "failed",
            "data_empty",
            f"The split has no non-empty text in its {data['column']!r} column.",
        )
    return documents, {
        "rows_read": rows,
        "documents": len(documents),
        "text_bytes": used,
        "truncated": truncated,
    }


def held_out_documents(data: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The documents a causal-LM run evaluates, and what was read."""
    if data.get("kind") == "dataset":
        return dataset_documents(data)
    text = Path(data["path"]).read_text(encoding="utf-8")
    return corpus_documents(text), {}
