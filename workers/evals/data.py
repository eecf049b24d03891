"""The held-out data of an eval run, copied into the sandbox's input folder.

Shipped data comes from ``workers/evals/data``; a split of a dataset repo
(issue 18) comes from the blob store at the commit the run pinned: each of
the plan's files, whole or its first ``read_bytes`` (CSV, TSV, JSON Lines
and text, whose prefix still holds whole records up to its last line; a
Parquet file also its last ``tail_bytes``, its footer, at their offsets of
a sparse file), hashed while copied. The child re-checks those hashes and
parses the files; the worker never parses them.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from hub.jobs import evalsuite
from hub.jobs.models import EvalRun
from hub.storage.services import blob_store

DATA_DIR = Path(__file__).resolve().parent / "data"


class DataUnavailableError(OSError):
    """The stored bytes are missing or do not match: not the model's fault."""


def _copy_pieces(
    sha256: str, size: int, pieces: list[tuple[int, int]], dest: Path
) -> str:
    """Copy these (offset, length) pieces of a blob to the same offsets of
    ``dest`` (a sparse file of the blob's size when they leave holes); the
    sha256 of the pieces, in order. Whole files are checked against the
    blob's own sha256."""
    digest = hashlib.sha256()
    with open(dest, "wb") as out:
        for offset, length in pieces:
            out.seek(offset)
            written = 0
            if length > 0:
                for chunk in blob_store().iter_range(
                    sha256, offset, offset + length - 1
                ):
                    digest.update(chunk)
                    written += len(chunk)
                    out.write(chunk)
            if written != length:
                raise DataUnavailableError(
                    f"dataset file {sha256[:12]} is shorter than recorded"
                )
        if len(pieces) > 1:
            out.truncate(size)
    whole = pieces == [(0, size)]
    if whole and digest.hexdigest() != sha256:
        raise DataUnavailableError(
            f"the stored bytes of dataset file {sha256[:12]} do not match it"
        )
    return digest.hexdigest()


def _hub_data(run: EvalRun, inputs: Path) -> dict[str, Any]:
    folder = inputs / "data"
    folder.mkdir()
    files = []
    for index, item in enumerate(run.data["files"]):
        dest = folder / f"{index:03d}.{item['format']}"
        size, read = int(item["size"]), int(item["read_bytes"])
        tail = int(item.get("tail_bytes", 0))
        pieces = [(0, read)] + ([(size - tail, tail)] if tail else [])
        files.append(
            {
                "path": str(dest),
                "name": item["path"],
                "format": item["format"],
                "sha256": _copy_pieces(item["sha256"], size, pieces, dest),
                "pieces": pieces,
                "complete": read == size,
            }
        )
    return {
        "kind": "dataset",
        "dataset": run.dataset_name,
        "commit": run.dataset_commit,
        "split": run.dataset_split,
        "column": run.data["column"],
        "max_text_bytes": int(run.data["max_text_bytes"]),
        "files": files,
    }


def prepare_data(run: EvalRun, inputs: Path) -> dict[str, Any] | None:
    """Copy the run's held-out data into ``inputs``; its entry in the spec."""
    if run.uses_hub_data:
        return _hub_data(run, inputs)
    evaluator = evalsuite.EVALUATORS[run.evaluator]
    if not evaluator.data_file:
        return None
    data_path = inputs / evaluator.data_file
    shutil.copyfile(DATA_DIR / evaluator.data_file, data_path)
    return {"kind": "shipped", "path": str(data_path), "sha256": evaluator.data_sha256}
