"""Held-out data from a dataset repo of this hub (issue 18): which files of
which split an eval run reads, at a pinned commit, within the caps.

Decided in the hub from the tree and the card alone (nothing is read): the
split's files come from ``datasets``' rules (``hub.viewer.splits``), the
caller must be able to read the dataset's files, and the plan records the
dataset's id, commit, split, column and every file's sha256 with the number
of its bytes the run reads. The files are parsed only in the sandboxed
eval child.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from hub.catalog.models import Commit, ModelRepo, TreeEntry
from hub.catalog.permissions import (
    content_readable,
    repo_has_access,
    repo_require_enabled,
)
from hub.catalog.revisions import revision_resolve
from hub.catalog.visibility import repo_get_visible
from hub.core.errors import PermissionDeniedError, ValidationError
from hub.jobs import evalsuite
from hub.viewer.formats import dataset_format
from hub.viewer.splits import dataset_splits

# Formats a prefix of which is still whole records (up to the last line).
PREFIX_FORMATS = ("csv", "tsv", "jsonl", "text")
DATA_FORMATS = ("parquet", *PREFIX_FORMATS)
MAX_FILES = 100
# A Parquet file over the cap is read as its first bytes and its last
# PARQUET_TAIL_BYTES, where its footer is (a larger footer fails the run).
PARQUET_TAIL_BYTES = 8 << 20


@dataclass(frozen=True)
class DataRequest:
    """The held-out data an eval request names: ``ns/name`` of a dataset."""

    dataset: str
    revision: str = "main"
    config: str = ""
    split: str = "test"
    column: str = "text"


@dataclass(frozen=True)
class DataPlan:
    """What a run on hub data reads, and its digest (part of the suite version)."""

    repo: ModelRepo
    commit: Commit
    split: str
    data: dict[str, Any]
    digest: str


def max_read_bytes() -> int:
    """Bytes of dataset files one run may read (HUB_EVAL_DATASET_MAX_BYTES)."""
    return int(settings.HUB_EVAL_DATASET_MAX_BYTES)


def _open_dataset(*, request: DataRequest, user: Any, token: Any) -> ModelRepo:
    """The dataset if the caller may see it; the same 404 as a missing one."""
    namespace, _, name = request.dataset.strip().partition("/")
    if not namespace or not name or "/" in name:
        raise ValidationError(
            f"dataset must be 'namespace/name', not {request.dataset[:200]!r}."
        )
    repo = repo_get_visible(
        user=user, token=token, namespace=namespace, name=name, repo_type="dataset"
    )
    repo_require_enabled(repo=repo, user=user)
    if not repo_has_access(user=user, repo=repo, token=token):
        raise PermissionDeniedError(
            f"{repo.full_name} is gated: request access on its page before "
            "evaluating on it."
        )
    return repo


def _split_files(
    *, commit: Commit, entries: dict[str, TreeEntry], request: DataRequest
) -> list[str]:
    configs = dataset_splits(entries, commit.card_data or {})
    if not configs:
        raise ValidationError("This dataset has no data files a split can be made of.")
    if request.config:
        config = next((c for c in configs if c.name == request.config), None)
    else:
        config = next((c for c in configs if c.is_default), configs[0])
    if config is None:
        names = ", ".join(c.name for c in configs)
        raise ValidationError(
            f"No config {request.config!r} in this dataset (configs: {names})."
        )
    split = next((s for s in config.splits if s.name == request.split), None)
    if split is None:
        names = ", ".join(s.name for s in config.splits)
        raise ValidationError(
            f"No split {request.split!r} in config {config.name!r} (splits: {names})."
        )
    return list(split.files)


def _read_plan(paths: list[str], entries: dict[str, TreeEntry]) -> list[dict[str, Any]]:
    """Each file with the bytes the run reads, in order, within the cap: its
    first ``read_bytes``, and for a Parquet file read in part its last
    ``tail_bytes`` too (the footer is there: the child reads the row groups
    that lie within the first bytes, and no other)."""
    budget = max_read_bytes()
    files: list[dict[str, Any]] = []
    for path in paths[:MAX_FILES]:
        fmt = dataset_format(path)
        if fmt not in DATA_FORMATS:
            raise ValidationError(
                f"{path}: evaluations read Parquet, CSV, TSV, JSON Lines and "
                "text files; convert this split to one of them."
            )
        entry = entries[path]
        if budget <= 0:
            break
        tail = 0
        if fmt == "parquet" and entry.size > budget:
            tail = min(PARQUET_TAIL_BYTES, entry.size // 2, budget // 2)
            budget -= tail
        read = min(entry.size, budget)
        tail = min(tail, entry.size - read)
        budget -= read
        files.append(
            {
                "path": path,
                "sha256": entry.blob_id,
                "size": entry.size,
                "format": fmt,
                "read_bytes": read,
                "tail_bytes": tail,
            }
        )
    return files


def eval_data_plan(*, request: DataRequest, user: Any, token: Any) -> DataPlan:
    """Resolve the dataset, revision and split of ``request`` for this caller.

    Raises RepoNotFoundError when the caller cannot see the dataset (as if
    it did not exist), PermissionDeniedError when they may see it but not
    read its files (gated without access), RevisionNotFoundError, and
    ValidationError for a missing config, split or column name, files of
    another format, or a split beyond the caps.
    """
    repo = _open_dataset(request=request, user=user, token=token)
    commit = revision_resolve(repo=repo, revision=request.revision)
    entries = {
        e.path: e
        for e in TreeEntry.objects.filter(commit=commit).only("path", "blob_id", "size")
    }
    paths = _split_files(commit=commit, entries=entries, request=request)
    readable = content_readable(
        user=user, repo=repo, entries=[entries[p] for p in paths], token=token
    )
    withheld = [p for p in paths if not readable(entries[p])]
    if withheld:
        raise ValidationError(
            f"{withheld[0]} cannot be read yet (not yet checked, or quarantined "
            "by the validation), so it cannot be evaluated on."
        )
    column = request.column.strip()
    if not column or len(column) > 200:
        raise ValidationError("column must name the text column (1-200 characters).")
    files = _read_plan(paths, entries)
    data = {
        "column": column,
        "files": files,
        "max_text_bytes": evalsuite.MAX_CORPUS_TEXT_BYTES,
    }
    # The same bytes read the same way give the same text: the file names
    # and the split's name do not count, so a renamed file re-uses results.
    read = [(f["sha256"], f["format"], f["read_bytes"], f["tail_bytes"]) for f in files]
    key = {"column": column, "max": evalsuite.MAX_CORPUS_TEXT_BYTES, "files": read}
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
    return DataPlan(
        repo=repo, commit=commit, split=request.split, data=data, digest=digest
    )
