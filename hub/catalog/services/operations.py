"""The file operations of a commit and the tree they build: each file's
storage mode (LFS or not) and git id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hub.catalog import gitobjects
from hub.catalog.attributes import is_lfs_path
from hub.catalog.errors import (
    EntryNotFoundError,
    MissingBlobError,
    QuarantinedBlobError,
)
from hub.catalog.models import Commit, ModelRepo, TreeEntry
from hub.catalog.revisions import revision_resolve
from hub.core.errors import ValidationError
from hub.core.names import validate_folder_path, validate_repo_path
from hub.storage.models import Blob
from hub.storage.selectors import blob_read_bytes
from hub.storage.services import blob_store

GITATTRIBUTES_READ_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class AddFile:
    """Put the stored blob ``sha256`` at ``path`` (replacing any file there)."""

    path: str
    sha256: str
    # The size the client announced, checked against the stored content by
    # whoever lets the caller reference it (None: take the stored size).
    size: int | None = None


@dataclass(frozen=True)
class DeleteFile:
    path: str


@dataclass(frozen=True)
class DeleteFolder:
    path: str


@dataclass(frozen=True)
class CopyFile:
    """Copy ``src_path`` to ``dest_path``; from ``src_revision`` or the head."""

    src_path: str
    dest_path: str
    src_revision: str | None = None


Operation = AddFile | DeleteFile | DeleteFolder | CopyFile


@dataclass
class PendingEntry:
    blob_id: str
    size: int
    is_lfs: bool
    git_oid: str


def operations_apply(
    repo: ModelRepo,
    head: Commit,
    entries: dict[str, PendingEntry],
    operations: Sequence[Operation],
) -> None:
    """Apply the operations, in order, to the files of ``head`` (``entries``)."""
    for op in operations:
        if isinstance(op, AddFile):
            _add_file(entries, op)
        elif isinstance(op, DeleteFile):
            # A path stored before a rule was added can still be deleted.
            if entries.pop(op.path, None) is None:
                validate_repo_path(op.path)
                raise EntryNotFoundError(
                    f"Cannot delete {op.path!r}: no such file at {head.oid[:12]}."
                )
        elif isinstance(op, DeleteFolder):
            _delete_folder(head, entries, op)
        elif isinstance(op, CopyFile):
            _copy_file(repo, head, entries, op)
        else:  # pragma: no cover - the type union is closed
            raise ValidationError(f"Unknown operation {op!r}.")
    # A quarantined file already in the tree blocks nothing here: the
    # validation jobs and merge rules deal with it.


def _add_file(entries: dict[str, PendingEntry], op: AddFile) -> None:
    validate_repo_path(op.path)
    blob = Blob.objects.filter(sha256=op.sha256).first()
    if blob is None:
        raise MissingBlobError(
            f"The content of {op.path!r} (sha256 {op.sha256}) was not "
            "uploaded. "
            "Upload it before committing."
        )
    if blob.is_quarantined:
        raise QuarantinedBlobError(
            f"The content of {op.path!r} is quarantined and cannot be "
            f"committed: {blob.quarantine_reason or 'unsafe content'}."
        )
    entries[op.path] = PendingEntry(blob.sha256, blob.size, False, "")


def _delete_folder(
    head: Commit, entries: dict[str, PendingEntry], op: DeleteFolder
) -> None:
    folder = op.path.rstrip("/")
    doomed = [p for p in entries if p.startswith(folder + "/")]
    if not doomed:
        validate_folder_path(op.path)
        raise EntryNotFoundError(
            f"Cannot delete folder {op.path!r}: no such folder at {head.oid[:12]}."
        )
    for path in doomed:
        del entries[path]


def _copy_file(
    repo: ModelRepo, head: Commit, entries: dict[str, PendingEntry], op: CopyFile
) -> None:
    validate_repo_path(op.src_path)
    validate_repo_path(op.dest_path)
    if op.src_revision is None or op.src_revision == head.oid:
        source = entries.get(op.src_path)
    else:
        src_commit = revision_resolve(repo=repo, revision=op.src_revision)
        found = TreeEntry.objects.filter(commit=src_commit, path=op.src_path).first()
        source = (
            PendingEntry(found.blob_id, found.size, found.is_lfs, found.git_oid)
            if found
            else None
        )
    if source is None:
        raise EntryNotFoundError(
            f"Cannot copy {op.src_path!r}: no such file at "
            f"{op.src_revision or head.oid[:12]}."
        )
    blob = Blob.objects.filter(sha256=source.blob_id).first()
    if blob is not None and blob.is_quarantined:
        raise QuarantinedBlobError(
            f"{op.src_path!r} is quarantined and cannot be copied."
        )
    entries[op.dest_path] = PendingEntry(source.blob_id, source.size, False, "")


def tree_finish(entries: dict[str, PendingEntry]) -> None:
    """Check the tree's shape, then settle each file's LFS mode and git id.

    Storage mode follows the rule of the resulting tree, so a change to
    .gitattributes applies to the files of the same commit.
    """
    _check_tree_shape(entries)
    gitattributes = _read_gitattributes(entries)
    stale: list[PendingEntry] = []
    for path, entry in entries.items():
        is_lfs = is_lfs_path(path=path, size=entry.size, gitattributes=gitattributes)
        if is_lfs != entry.is_lfs or not entry.git_oid:
            entry.is_lfs = is_lfs
            stale.append(entry)
    blobs = Blob.objects.in_bulk({entry.blob_id for entry in stale})
    for entry in stale:
        entry.git_oid = _git_oid(blobs[entry.blob_id], entry.is_lfs)


def _check_tree_shape(entries: dict[str, PendingEntry]) -> None:
    """Refuse case-insensitive duplicates and a file standing where a folder is."""
    seen: dict[str, str] = {}
    for path in entries:
        key = path.lower()
        if key in seen and seen[key] != path:
            raise ValidationError(
                f"{path!r} and {seen[key]!r} differ only by case; keep one of them."
            )
        seen[key] = path
    folders = {path.rsplit("/", 1)[0].lower() for path in entries if "/" in path}
    all_folders: set[str] = set()
    for folder in folders:
        parts = folder.split("/")
        all_folders.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    for path in entries:
        if path.lower() in all_folders:
            raise ValidationError(
                f"{path!r} is both a file and a folder; rename one of them."
            )


def _read_gitattributes(entries: dict[str, PendingEntry]) -> str | None:
    entry = entries.get(".gitattributes")
    if entry is None or entry.size > GITATTRIBUTES_READ_LIMIT:
        return None
    return blob_read_bytes(sha256=entry.blob_id, limit=GITATTRIBUTES_READ_LIMIT).decode(
        "utf-8", errors="replace"
    )


def entry_for(blob: Blob, path: str, gitattributes: str | None) -> PendingEntry:
    is_lfs = is_lfs_path(path=path, size=blob.size, gitattributes=gitattributes)
    return PendingEntry(blob.sha256, blob.size, is_lfs, _git_oid(blob, is_lfs))


def _git_oid(blob: Blob, is_lfs: bool) -> str:
    """git blob id: of the LFS pointer, or of the content (computed once, cached)."""
    if is_lfs:
        return gitobjects.lfs_blob_oid(sha256=blob.sha256, size=blob.size)
    if not blob.git_sha1:
        hasher = gitobjects.BlobHasher(blob.size)
        for chunk in blob_store().iter_range(blob.sha256):
            hasher.update(chunk)
        blob.git_sha1 = hasher.hexdigest()
        Blob.objects.filter(pk=blob.pk).update(git_sha1=blob.git_sha1)
    return blob.git_sha1
