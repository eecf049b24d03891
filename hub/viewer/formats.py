"""The dataset file formats the viewer and the validators read, by file name.

Pure (no Django): the workers' parser and validators import it too.
"""

from __future__ import annotations

import posixpath

FORMATS_BY_EXTENSION = {
    ".parquet": "parquet",
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".txt": "text",
}
FORMATS = frozenset(FORMATS_BY_EXTENSION.values())


def dataset_format(path: str) -> str | None:
    """The format a dataset file is previewed as, or None (not previewed)."""
    return FORMATS_BY_EXTENSION.get(posixpath.splitext(path)[1].lower())
