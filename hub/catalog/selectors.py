"""Reads of the catalog: visibility, revisions, trees, files, history, diffs.

``repo_list_visible`` is the one visibility rule: every list, search and
detail path starts from it, so a private repo cannot leak through one of
them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from hub.accounts.models import ApiToken
from hub.catalog.errors import (
    EntryNotFoundError,
    RepoNotFoundError,
    RevisionNotFoundError,
)
from hub.catalog.models import Commit, ModelRepo, Ref, RepoRedirect, TreeEntry
from hub.core.names import is_commit_oid

_PR_REF_RE = re.compile(r"^refs/pr/(\d+)$")


def repo_list_visible(
    *, user: Any, token: ApiToken | None = None
) -> QuerySet[ModelRepo]:
    """Repos the user may see: public ones, plus private ones they have a role on.

    A token limited to named repos sees private repos only among those.
    """
    qs = ModelRepo.objects.select_related("namespace")
    if user is not None and getattr(user, "is_authenticated", False) and user.is_active:
        if user.is_superuser:
            private_ok = Q(is_private=True)
        else:
            private_ok = Q(is_private=True) & (
                Q(namespace__user=user)
                | Q(namespace__organization__memberships__user=user)
            )
        if token is not None and token.repo_ids:
            allowed = Q(pk__in=[])
            for repo_id in token.repo_ids:
                ns, _, name = repo_id.partition("/")
                allowed |= Q(namespace__name__iexact=ns, name__iexact=name)
            private_ok &= allowed
        # The membership join can repeat a row; an id subquery keeps the
        # queryset free of DISTINCT so callers can still order and annotate.
        ids = ModelRepo.objects.filter(Q(is_private=False) | private_ok).values("pk")
        return qs.filter(pk__in=ids)
    return qs.filter(is_private=False)


def repo_get_visible(
    *, user: Any, namespace: str, name: str, token: ApiToken | None = None
) -> ModelRepo:
    """A repo by id if the caller may see it; RepoNotFoundError otherwise.

    Renamed or moved repos are found under their old id too. A private repo
    the caller may not see is indistinguishable from a missing one.
    """
    visible = repo_list_visible(user=user, token=token)
    repo = visible.filter(namespace__name__iexact=namespace, name__iexact=name).first()
    if repo is None:
        redirect = (
            RepoRedirect.objects.filter(old_full_name__iexact=f"{namespace}/{name}")
            .values_list("repo_id", flat=True)
            .first()
        )
        if redirect is not None:
            repo = visible.filter(pk=redirect).first()
    if repo is None:
        raise RepoNotFoundError(f"Repository {namespace}/{name} not found.")
    return repo


def ref_list(*, repo: ModelRepo, kinds: tuple[str, ...] | None = None) -> QuerySet[Ref]:
    qs = Ref.objects.filter(repo=repo).select_related("commit").order_by("kind", "name")
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    return qs


def ref_get(*, repo: ModelRepo, name: str) -> Ref:
    ref = Ref.objects.filter(repo=repo, name=name).select_related("commit").first()
    if ref is None:
        raise RevisionNotFoundError(f"Revision {name!r} not found in {repo.full_name}.")
    return ref


def revision_resolve(*, repo: ModelRepo, revision: str) -> Commit:
    """The commit a revision names: a branch, tag, ``refs/pr/N`` or 40-hex id."""
    ref = Ref.objects.filter(repo=repo, name=revision).select_related("commit").first()
    if ref is not None:
        return ref.commit
    if is_commit_oid(revision):
        commit = Commit.objects.filter(repo=repo, oid=revision).first()
        if commit is not None:
            return commit
    raise RevisionNotFoundError(f"Revision {revision!r} not found in {repo.full_name}.")


def revision_split(*, repo: ModelRepo, rest: str) -> tuple[str, str]:
    """Split ``<revision>/<path>`` when the revision itself may contain '/'.

    Used by URL routes where a WSGI server has already decoded ``%2F``
    (hf-protocol.md 1.7): PR refs first, then the repo's own ref names that
    contain '/', longest first, then the first segment.
    """
    match = re.match(r"^(refs/pr/\d+|refs/convert/[A-Za-z0-9_-]+)(?:/(.*))?$", rest)
    if match:
        return match.group(1), match.group(2) or ""
    slashed = (
        Ref.objects.filter(repo=repo, name__contains="/")
        .exclude(kind=Ref.Kind.PULL_REQUEST)
        .values_list("name", flat=True)
    )
    for name in sorted(slashed, key=len, reverse=True):
        if rest == name or rest.startswith(name + "/"):
            return name, rest[len(name) + 1 :]
    revision, _, path = rest.partition("/")
    return revision, path


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
    entry = (
        TreeEntry.objects.filter(commit=commit, path=path)
        .select_related("blob")
        .first()
    )
    if entry is None:
        raise EntryNotFoundError(f"{path!r} does not exist at {commit.oid[:12]}.")
    return entry


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
