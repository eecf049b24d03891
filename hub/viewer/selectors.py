"""The dataset viewer of one revision: per config and split, its files, row
count, size, schema and first rows, and whether the previews are ready."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from hub.accounts.actors import Actor
from hub.catalog.models import Commit, ModelRepo
from hub.catalog.permissions import content_readable
from hub.viewer.formats import dataset_format
from hub.viewer.models import BlobPreview
from hub.viewer.splits import ConfigFiles, dataset_splits

ROWS = 100
PENDING, READY, ERROR = "pending", "ready", "error"


@dataclass(frozen=True)
class FileView:
    """One data file of a split and the state of its preview.

    ``status``: pending (not computed yet), ready, error (``message`` says
    why), unsupported (a format the viewer does not read) or withheld (the
    caller may not download the file yet: gated, quarantined, unchecked).
    """

    path: str
    size: int
    format: str | None
    status: str
    message: str = ""
    num_rows: int | None = None
    num_rows_exact: bool = False


@dataclass
class SplitView:
    """A split: its files, totals, schema (of its first previewed file) and
    first rows (across its files, in order, at most 100)."""

    config: str
    name: str
    files: list[FileView]
    num_bytes: int
    num_rows: int | None
    num_rows_exact: bool
    status: str
    message: str = ""
    features: list[dict[str, str]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ConfigView:
    name: str
    is_default: bool
    splits: list[SplitView]


@dataclass(frozen=True)
class DatasetView:
    """Every config of a revision; ``status`` is pending while any file is."""

    configs: list[ConfigView]
    status: str


@dataclass
class _Entry:
    path: str
    size: int
    blob_id: str
    preview: dict[str, Any] | None = None


def _entries(commit: Commit) -> dict[str, _Entry]:
    """Every file of the commit with its preview as its format (one query)."""
    entries: dict[str, _Entry] = {}
    rows = commit.entries.values_list(
        "path",
        "size",
        "blob_id",
        "blob__previews__id",
        "blob__previews__format",
        "blob__previews__status",
        "blob__previews__message",
        "blob__previews__num_rows",
        "blob__previews__num_rows_exact",
        "blob__previews__features",
    )
    for path, size, blob_id, pid, fmt, status, message, count, exact, feats in rows:
        entry = entries.setdefault(path, _Entry(path, size, blob_id))
        if pid is not None and fmt == dataset_format(path):
            entry.preview = {
                "id": pid,
                "status": status,
                "message": message,
                "num_rows": count,
                "num_rows_exact": exact,
                "features": feats,
            }
    return entries


def _file_view(entry: _Entry, readable: bool) -> FileView:
    fmt = dataset_format(entry.path)
    base = FileView(entry.path, entry.size, fmt, PENDING)
    if fmt is None:
        return replace(base, status="unsupported", message="Not previewed.")
    if not readable:
        return replace(
            base, status="withheld", message="Shown once you may download the file."
        )
    preview = entry.preview
    if preview is None or preview["status"] in BlobPreview.PENDING:
        return base
    if preview["status"] == BlobPreview.Status.ERROR:
        return replace(base, status=ERROR, message=preview["message"])
    return replace(
        base,
        status=READY,
        num_rows=preview["num_rows"],
        num_rows_exact=preview["num_rows_exact"],
    )


def _split_view(config: str, name: str, files: list[FileView]) -> SplitView:
    ready = [f for f in files if f.status == READY]
    errors = [f for f in files if f.status == ERROR]
    status = PENDING if any(f.status == PENDING for f in files) else READY
    if errors and status == READY:
        status = ERROR
    return SplitView(
        config=config,
        name=name,
        files=files,
        num_bytes=sum(f.size for f in files),
        num_rows=sum(f.num_rows or 0 for f in ready) if ready else None,
        num_rows_exact=len(ready) == len(files)
        and all(f.num_rows_exact for f in ready),
        status=status,
        message="; ".join(f"{f.path}: {f.message}" for f in errors[:3]),
    )


def dataset_view_get(*, actor: Actor, repo: ModelRepo, commit: Commit) -> DatasetView:
    """The viewer of ``commit`` (a commit of ``repo``) as ``actor`` may see it.

    Splits come from the commit's files and card (``dataset_splits``); rows
    come only from files the actor may download (``content_readable``). The
    caller has checked that the actor may see the repo. Three queries at
    most: the files with their previews, the withheld blobs (none for a
    writer), and the rows shown.
    """
    entries = _entries(commit)
    layout: list[ConfigFiles] = dataset_splits(entries, commit.card_data)
    used = [entries[p] for c in layout for s in c.splits for p in s.files]
    readable = content_readable(
        user=actor.user, repo=repo, entries=used, token=actor.token
    )
    configs: list[ConfigView] = []
    wanted: list[tuple[SplitView, list[int]]] = []
    for config in layout:
        splits = []
        for split in config.splits:
            files = [entries[p] for p in split.files]
            view = _split_view(
                config.name, split.name, [_file_view(e, readable(e)) for e in files]
            )
            wanted.append((view, _plan_rows(view, files)))
            splits.append(view)
        configs.append(ConfigView(config.name, config.is_default, splits))
    _fill_rows(wanted)
    statuses = {s.status for c in configs for s in c.splits}
    status = PENDING if PENDING in statuses else ERROR if ERROR in statuses else READY
    return DatasetView(configs=configs, status=status)


def _plan_rows(view: SplitView, entries: list[_Entry]) -> list[int]:
    """The previews, in file order, whose rows make the split's first 100."""
    needed, chosen = ROWS, []
    for entry, file in zip(entries, view.files, strict=True):
        if file.status != READY or entry.preview is None:
            continue
        if not view.features:
            view.features = entry.preview["features"]
        chosen.append(entry.preview["id"])
        needed -= file.num_rows or 0
        if needed <= 0:
            break
    return chosen


def _fill_rows(wanted: list[tuple[SplitView, list[int]]]) -> None:
    ids = {pid for _, chosen in wanted for pid in chosen}
    if not ids:
        return
    found = dict(BlobPreview.objects.filter(pk__in=ids).values_list("pk", "rows"))
    for view, chosen in wanted:
        for pid in chosen:
            view.rows.extend((found.get(pid) or [])[: ROWS - len(view.rows)])
