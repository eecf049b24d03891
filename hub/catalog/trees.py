"""Reads of a commit's tree: files, folders and their git ids."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from hub.catalog import gitobjects
from hub.catalog.errors import EntryNotFoundError
from hub.catalog.models import Commit, TreeEntry
from hub.storage.services import blob_store


def tree_entries(*, commit: Commit) -> QuerySet[TreeEntry]:
    return TreeEntry.objects.filter(commit=commit).order_by("path")


def tree_as_dict(*, commit: Commit) -> dict[str, TreeEntry]:
    return {entry.path: entry for entry in tree_entries(commit=commit)}


@dataclass(frozen=True)
class TreeItem:
    """A file or a folder in a listing."""

    type: str  # "file" | "directory"
    path: str
    size: int = 0
    entry: TreeEntry | None = None


def tree_list(
    *, commit: Commit, path: str = "", recursive: bool = False
) -> list[TreeItem]:
    """Files and folders under ``path`` at a commit, folders first, by path.

    Non-recursive listings show the direct children; recursive listings show
    every file below and every folder on the way. EntryNotFoundError when
    ``path`` is neither a folder nor a file.
    """
    prefix = f"{path.strip('/')}/" if path.strip("/") else ""
    qs = tree_entries(commit=commit)
    if prefix:
        qs = qs.filter(path__startswith=prefix)
    entries = list(qs)
    if not entries and prefix:
        single = TreeEntry.objects.filter(commit=commit, path=path.strip("/")).first()
        if single is None:
            raise EntryNotFoundError(f"{path!r} does not exist at {commit.oid[:12]}.")
        return [TreeItem(type="file", path=single.path, size=single.size, entry=single)]
    folders: dict[str, None] = {}
    files: list[TreeItem] = []
    for entry in entries:
        rest = entry.path[len(prefix) :]
        parts = rest.split("/")
        if recursive:
            for depth in range(1, len(parts)):
                folders[prefix + "/".join(parts[:depth])] = None
            files.append(TreeItem("file", entry.path, entry.size, entry))
        elif len(parts) == 1:
            files.append(TreeItem("file", entry.path, entry.size, entry))
        else:
            folders[prefix + parts[0]] = None
    dirs = [TreeItem("directory", folder) for folder in sorted(folders)]
    return dirs + files


def file_get(*, commit: Commit, path: str) -> TreeEntry:
    # (commit, path) is unique: no ORDER BY for ``first()`` to compile.
    entry = next(
        iter(
            TreeEntry.objects.filter(commit=commit, path=path)
            .select_related("blob")
            .order_by()[:1]
        ),
        None,
    )
    if entry is None:
        raise EntryNotFoundError(f"{path!r} does not exist at {commit.oid[:12]}.")
    return entry


def tree_paths_by_commit(*, commit_ids: Iterable[int]) -> dict[int, list[str]]:
    """File paths of each commit's tree, sorted (one query)."""
    paths: dict[int, list[str]] = {}
    rows = (
        TreeEntry.objects.filter(commit_id__in=list(commit_ids))
        .order_by("commit_id", "path")
        .values_list("commit_id", "path")
    )
    for commit_id, path in rows:
        paths.setdefault(commit_id, []).append(path)
    return paths


def tree_folder_oids(*, commit: Commit, path: str = "") -> dict[str, str]:
    """git tree id of every folder at or below ``path`` at a commit ('' = root).

    Empty when ``path`` is not a folder. One query; ids are computed as git
    computes them, so the root's id is the commit's tree id.
    """
    prefix = f"{path.strip('/')}/" if path.strip("/") else ""
    rows = TreeEntry.objects.filter(commit=commit)
    if prefix:
        rows = rows.filter(path__startswith=prefix)
    root: dict[str, Any] = {}
    found = False
    for file_path, git_oid in rows.values_list("path", "git_oid"):
        found = True
        node = root
        *folders, name = file_path[len(prefix) :].split("/")
        for folder in folders:
            node = node.setdefault(folder, {})
        node[name] = git_oid
    if not found:
        return {}
    oids: dict[str, str] = {}

    def walk(node: dict[str, Any], folder: str) -> str:
        items: list[tuple[bytes, bytes, str]] = []
        for name, value in node.items():
            raw = name.encode("utf-8")
            if isinstance(value, dict):
                child = f"{folder}/{name}" if folder else name
                oid = walk(value, child)
                items.append((raw + b"/", gitobjects.TREE_MODE + b" " + raw, oid))
            else:
                items.append((raw, gitobjects.FILE_MODE + b" " + raw, value))
        # git orders entries by name, a folder as if its name ended in '/'.
        items.sort(key=lambda item: item[0])
        body = b"".join(head + b"\0" + bytes.fromhex(oid) for _, head, oid in items)
        oids[folder] = gitobjects.git_object_id(b"tree", body)
        return oids[folder]

    walk(root, prefix.rstrip("/"))
    return oids


def tree_items_at_paths(*, commit: Commit, paths: Iterable[str]) -> list[TreeItem]:
    """The files and folders among ``paths`` at a commit, in the order asked.

    Paths that are neither are left out. File items carry their entry with
    its blob loaded. At most two queries.
    """
    wanted = list(dict.fromkeys(p.strip("/") for p in paths if p.strip("/")))
    files = {
        entry.path: entry
        for entry in TreeEntry.objects.filter(commit=commit, path__in=wanted)
        .select_related("blob")
        .order_by()
    }
    rest = [p for p in wanted if p not in files]
    folders: set[str] = set()
    if rest:
        below = TreeEntry.objects.filter(commit=commit)
        if len(rest) <= 100:
            q = Q()
            for folder in rest:
                q |= Q(path__startswith=f"{folder}/")
            below = below.filter(q)
        # else: one pass over the commit's paths beats a huge OR of LIKEs.
        candidates = set(rest)
        for file_path in below.values_list("path", flat=True).iterator():
            parts = file_path.split("/")
            for depth in range(1, len(parts)):
                folder = "/".join(parts[:depth])
                if folder in candidates:
                    folders.add(folder)
    items: list[TreeItem] = []
    for p in wanted:
        if p in files:
            entry = files[p]
            items.append(TreeItem("file", entry.path, entry.size, entry))
        elif p in folders:
            items.append(TreeItem("directory", p))
    return items


def file_content_oid(*, entry: TreeEntry) -> str:
    """git blob id of a file's own content (for an LFS file, not of its pointer).

    Read from the blob row when known, else hashed from the store (no write).
    """
    if not entry.is_lfs:
        return entry.git_oid
    if entry.blob.git_sha1:
        return entry.blob.git_sha1
    hasher = gitobjects.BlobHasher(entry.blob.size)
    for chunk in blob_store().iter_range(entry.blob_id):
        hasher.update(chunk)
    return hasher.hexdigest()
