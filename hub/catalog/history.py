"""A branch's history and the changes of a commit (diffs)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from hub.catalog.models import Commit, ModelRepo, TreeEntry
from hub.catalog.revisions import revision_resolve
from hub.catalog.trees import tree_as_dict
from hub.storage.selectors import blob_read_bytes


def commit_history(
    *, repo: ModelRepo, revision: str, path: str | None = None
) -> Iterator[Commit]:
    """Commits reachable from a revision, newest first (first-parent order).

    With ``path``, only commits that changed that file or something under
    that folder. Walks lazily, so a caller that pages stops early.
    """
    commit: Commit | None = revision_resolve(repo=repo, revision=revision)
    path = (path or "").strip("/")
    batch: dict[int, Commit] = {}
    while commit is not None:
        if not path or _touches(commit, path):
            yield commit
        parent_id = commit.parent_id
        if parent_id is None:
            return
        if parent_id not in batch:
            # Fetch ancestors a page at a time instead of one query each.
            batch = _ancestor_batch(repo, parent_id)
        commit = batch.get(parent_id)


def _ancestor_batch(
    repo: ModelRepo, start_id: int, size: int = 200
) -> dict[int, Commit]:
    # A parent is always inserted before its children, so every ancestor has
    # a smaller primary key: one query fetches the next page of candidates.
    page = (
        Commit.objects.filter(repo=repo, pk__lte=start_id)
        .select_related("author")
        .order_by("-pk")[:size]
    )
    return {commit.pk: commit for commit in page}


def _touches(commit: Commit, path: str) -> bool:
    changed = commit_changes(commit=commit)
    return any(c.path == path or c.path.startswith(path + "/") for c in changed)


@dataclass(frozen=True)
class FileChange:
    status: str  # "added" | "removed" | "modified"
    path: str
    old: TreeEntry | None
    new: TreeEntry | None


def changed_entries(changes: Iterable[FileChange]) -> list[TreeEntry | None]:
    """Both sides of each change (``None`` for a side with no file)."""
    return [entry for change in changes for entry in (change.old, change.new)]


def entry_text(*, entry: TreeEntry | None, limit: int) -> str | None:
    """A file's text for a diff: "" for no file; None when it is stored with
    LFS, larger than ``limit`` bytes, binary (a NUL byte) or not UTF-8."""
    if entry is None:
        return ""
    if entry.is_lfs or entry.size > limit:
        return None
    data = blob_read_bytes(sha256=entry.blob_id, limit=limit)
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def commit_diff(*, old: Commit | None, new: Commit) -> list[FileChange]:
    """File-level changes from ``old`` to ``new`` (``old=None``: everything added)."""
    before = tree_as_dict(commit=old) if old is not None else {}
    after = tree_as_dict(commit=new)
    changes: list[FileChange] = []
    for path in sorted(before.keys() | after.keys()):
        a, b = before.get(path), after.get(path)
        if a is None:
            changes.append(FileChange("added", path, None, b))
        elif b is None:
            changes.append(FileChange("removed", path, a, None))
        elif a.blob_id != b.blob_id or a.is_lfs != b.is_lfs:
            changes.append(FileChange("modified", path, a, b))
    return changes


def commit_changes(*, commit: Commit) -> list[FileChange]:
    """What a commit changed relative to its first parent."""
    parent = (
        Commit.objects.filter(pk=commit.parent_id).first() if commit.parent_id else None
    )
    return commit_diff(old=parent, new=commit)
