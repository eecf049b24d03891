"""Dataset files: Parquet footers and schemas, CSV and JSON Lines samples.

The parsing is the dataset viewer's (``workers.tabular``: a sandboxed child
with rlimits reads the footer and first row groups by byte range, or the
first 4 MiB of a text file), so a check and a preview never disagree about a
file. A file the parser refuses fails its check with the parser's message
(naming the line of a CSV or JSON Lines file); nothing in a data file runs
code when ``datasets`` reads it, so nothing here quarantines. A dataset
repo's loading scripts get a warning from :func:`loading_script_findings`.
"""

from __future__ import annotations

import posixpath
from typing import Any

from workers.tabular.runner import PARSER_VERSION, inspect_file
from workers.validators.base import Finding, Source, Verdict, make_verdict

VALIDATOR_VERSION = f"1p{PARSER_VERSION}"
# What each reader name of the registry reads a file as.
READER_FORMATS = {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl"}


def _format(reader: str, path: str) -> str:
    if reader == "csv" and posixpath.splitext(path)[1].lower() == ".tsv":
        return "tsv"
    return READER_FORMATS[reader]


def validate_dataset_file(source: Source, path: str, *, reader: str) -> Verdict:
    """Check one data file as ``reader`` reads it (see the module doc)."""
    fmt = _format(reader, path)
    result = inspect_file(source, fmt).result
    if not result.get("ok"):
        details: dict[str, Any] = {}
        if "line" in result:
            details["line"] = result["line"]
        code = str(result.get("code") or f"{fmt}.unreadable")
        return make_verdict(
            [
                Finding(
                    "error",
                    code if "." in code else f"{fmt}.{code}",
                    str(result.get("message")),
                    details,
                )
            ],
            {"format": fmt},
            readable=False,
        )
    metadata: dict[str, Any] = {
        "format": fmt,
        "num_columns": result.get("num_columns"),
        "num_rows": result.get("num_rows"),
        "num_rows_exact": bool(result.get("num_rows_exact")),
    }
    return make_verdict([], metadata)


def validate_parquet(source: Source, path: str = "") -> Verdict:
    return validate_dataset_file(source, path, reader="parquet")


def validate_csv(source: Source, path: str = "") -> Verdict:
    return validate_dataset_file(source, path, reader="csv")


def validate_jsonl(source: Source, path: str = "") -> Verdict:
    return validate_dataset_file(source, path, reader="jsonl")


def loading_script_findings(paths: list[str]) -> list[Finding]:
    """A warning per ``*.py`` at a dataset repo's top level: a loading script."""
    scripts = sorted(p for p in paths if "/" not in p and p.lower().endswith(".py"))
    return [
        Finding(
            "warning",
            "dataset.loading_script",
            f"{path} looks like a dataset loading script: current versions of "
            "the datasets library no longer run loading scripts, so "
            "load_dataset reads only this repo's data files. Publish the data "
            "as Parquet, CSV or JSON Lines files (with `configs:` in the "
            "card if the layout needs it).",
            {"path": path},
        )
        for path in scripts[:20]
    ]
