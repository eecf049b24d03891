"""Writes to the catalog: repos, commits, branches and tags.

``commit_create`` is the only way files change. It runs in one transaction:
lock the ref, compare the expected parent, check every blob, build the new
tree, insert the commit and its entries, move the ref. Either all of it is
visible or none of it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hub.accounts.models import Namespace, User
from hub.catalog import gitobjects
from hub.catalog.attributes import DEFAULT_GITATTRIBUTES, is_lfs_path
from hub.catalog.cards import CardMetadata, card_from_raw, card_parse
from hub.catalog.errors import (
    EntryNotFoundError,
    InvalidCardError,
    MissingBlobError,
    QuarantinedBlobError,
    RefExistsError,
    RepoExistsError,
    RevisionNotFoundError,
    StaleParentError,
)
from hub.catalog.models import (
    Commit,
    ModelRepo,
    Ref,
    RepoDailyStat,
    RepoRedirect,
    TreeEntry,
)
from hub.catalog.search import (
    readme_body,
    repo_search_document_update,
    repo_search_id_refresh,
)
from hub.catalog.selectors import revision_resolve, tree_as_dict
from hub.catalog.signals import commit_created
from hub.core.errors import ValidationError
from hub.core.names import (
    is_commit_oid,
    validate_folder_path,
    validate_ref_name,
    validate_repo_name,
    validate_repo_path,
)
from hub.licenses.selectors import license_validate_id
from hub.storage.models import Blob
from hub.storage.selectors import blob_read_bytes
from hub.storage.services import blob_store, blob_upload_bytes

DEFAULT_BRANCH = "main"
NOREPLY_DOMAIN = "users.noreply.model-commons"
# README front matter is read from at most this many bytes of the file.
CARD_READ_LIMIT = 1024 * 1024
GITATTRIBUTES_READ_LIMIT = 1024 * 1024


# Operations -----------------------------------------------------------------


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
class _Entry:
    blob_id: str
    size: int
    is_lfs: bool
    git_oid: str


# Repos ----------------------------------------------------------------------


def _signature_for(user: User | None, when: datetime) -> gitobjects.Signature:
    if user is None:
        return gitobjects.Signature("Model Commons", f"hub@{NOREPLY_DOMAIN}", when)
    name = user.username
    return gitobjects.Signature(name, f"{name}@{NOREPLY_DOMAIN}", when)


@transaction.atomic
def repo_create(
    *,
    namespace: Namespace,
    name: str,
    creator: User | None,
    is_private: bool = False,
    gated: str = ModelRepo.Gated.OFF,
) -> ModelRepo:
    """Create ``namespace/name`` with a first commit on ``main``.

    The first commit adds the default ``.gitattributes`` (as the HF Hub
    does), so the repo has a head from the start. Raises ValidationError for
    a bad name and RepoExistsError when the id (any case) is taken.
    """
    validate_repo_name(name)
    if gated not in ModelRepo.Gated.values:
        raise ValidationError(
            f"gated must be one of {', '.join(ModelRepo.Gated.values)}."
        )
    if ModelRepo.objects.filter(namespace=namespace, name__iexact=name).exists():
        raise RepoExistsError(f"Repository {namespace.name}/{name} already exists.")
    try:
        with transaction.atomic():
            repo = ModelRepo.objects.create(
                namespace=namespace,
                name=name,
                is_private=is_private,
                gated=gated,
                created_by=creator,
            )
    except IntegrityError:
        raise RepoExistsError(
            f"Repository {namespace.name}/{name} already exists."
        ) from None
    blob = blob_upload_bytes(data=DEFAULT_GITATTRIBUTES.encode())
    entries = {
        ".gitattributes": _entry_for(blob, ".gitattributes", DEFAULT_GITATTRIBUTES)
    }
    _insert_commit(
        repo=repo,
        ref=None,
        ref_name=DEFAULT_BRANCH,
        parent=None,
        entries=entries,
        title="initial commit",
        description="",
        author=creator,
        card=CardMetadata(),
    )
    return repo


@transaction.atomic
def repo_create_with_license(
    *,
    namespace: Namespace,
    name: str,
    creator: User | None,
    license_id: str,
    is_private: bool = False,
) -> ModelRepo:
    """Create a repo whose first README.md declares ``license_id`` in its card.

    Raises what repo_create raises, and ValidationError naming the valid ids
    for an unknown license. Nothing is created on error.
    """
    license_validate_id(license_id=license_id)
    repo = repo_create(
        namespace=namespace, name=name, creator=creator, is_private=is_private
    )
    readme = f"---\nlicense: {json.dumps(license_id)}\n---\n\n# {name}\n"
    blob = blob_upload_bytes(data=readme.encode())
    commit_create(
        repo=repo,
        operations=[AddFile("README.md", blob.sha256)],
        title="Add model card",
        author=creator,
    )
    return repo


@transaction.atomic
def repo_update_settings(
    *, repo: ModelRepo, is_private: bool | None = None, gated: str | None = None
) -> ModelRepo:
    """Change visibility and gating. Only the given fields change."""
    if gated is not None:
        if gated not in ModelRepo.Gated.values:
            raise ValidationError(
                f"gated must be one of {', '.join(ModelRepo.Gated.values)}."
            )
        repo.gated = gated
    if is_private is not None:
        repo.is_private = is_private
    repo.save(update_fields=["is_private", "gated", "updated_at"])
    return repo


@transaction.atomic
def repo_move(*, repo: ModelRepo, namespace: Namespace, name: str) -> ModelRepo:
    """Rename a repo and/or move it to another namespace.

    The old id keeps working as a redirect (as on the HF Hub) until a new
    repo takes that id. Raises RepoExistsError if the target id is taken.
    """
    validate_repo_name(name)
    old_full_name = repo.full_name
    clash = ModelRepo.objects.filter(namespace=namespace, name__iexact=name).exclude(
        pk=repo.pk
    )
    if clash.exists():
        raise RepoExistsError(f"Repository {namespace.name}/{name} already exists.")
    repo.namespace = namespace
    repo.name = name
    repo.save(update_fields=["namespace", "name", "updated_at"])
    repo_search_id_refresh(repo=repo)
    new_full_name = f"{namespace.name}/{name}"
    RepoRedirect.objects.filter(old_full_name__iexact=new_full_name).delete()
    if old_full_name.lower() != new_full_name.lower():
        RepoRedirect.objects.update_or_create(
            old_full_name=old_full_name, defaults={"repo": repo}
        )
    return repo


@transaction.atomic
def repo_delete(*, repo: ModelRepo) -> None:
    """Delete a repo with its whole history. Its blobs become garbage for GC."""
    # Tree entries are the bulk of a repo's rows and nothing else points at
    # them: delete them in one statement. The collector then handles the
    # rest, including rows of other apps that reference commits.
    TreeEntry.objects.filter(commit__repo=repo)._raw_delete(TreeEntry.objects.db)
    Ref.objects.filter(repo=repo).delete()
    repo.delete()


# Refs -----------------------------------------------------------------------


@transaction.atomic
def branch_create(
    *, repo: ModelRepo, name: str, revision: str | None = None, exist_ok: bool = False
) -> Ref:
    """Create a branch at ``revision`` (default: the head of main)."""
    validate_ref_name(name, what="branch name")
    commit = revision_resolve(repo=repo, revision=revision or DEFAULT_BRANCH)
    return _ref_create(repo, name, Ref.Kind.BRANCH, commit, exist_ok=exist_ok)


@transaction.atomic
def tag_create(
    *, repo: ModelRepo, name: str, revision: str | None = None, exist_ok: bool = False
) -> Ref:
    """Create a tag at ``revision`` (default: the head of main)."""
    validate_ref_name(name, what="tag name")
    commit = revision_resolve(repo=repo, revision=revision or DEFAULT_BRANCH)
    return _ref_create(repo, name, Ref.Kind.TAG, commit, exist_ok=exist_ok)


def pull_request_ref_create(*, repo: ModelRepo, number: int, revision: str) -> Ref:
    """Create ``refs/pr/<number>`` at ``revision`` (the community layer numbers PRs)."""
    commit = revision_resolve(repo=repo, revision=revision)
    return _ref_create(repo, f"refs/pr/{number}", Ref.Kind.PULL_REQUEST, commit)


def _ref_create(
    repo: ModelRepo, name: str, kind: str, commit: Commit, *, exist_ok: bool = False
) -> Ref:
    existing = Ref.objects.filter(repo=repo, name=name).first()
    if existing is not None:
        if exist_ok and existing.kind == kind:
            return existing
        what = "A branch" if existing.kind == Ref.Kind.BRANCH else "A tag"
        if existing.kind == Ref.Kind.PULL_REQUEST:
            what = "A pull request ref"
        raise RefExistsError(
            f"{what} named {name!r} already exists in {repo.full_name}."
        )
    try:
        with transaction.atomic():
            return Ref.objects.create(repo=repo, name=name, kind=kind, commit=commit)
    except IntegrityError:
        raise RefExistsError(f"{name!r} already exists in {repo.full_name}.") from None


@transaction.atomic
def branch_delete(*, repo: ModelRepo, name: str) -> None:
    """Delete a branch. The default branch cannot be deleted."""
    if name == DEFAULT_BRANCH:
        raise ValidationError("The main branch cannot be deleted.")
    deleted, _ = Ref.objects.filter(repo=repo, name=name, kind=Ref.Kind.BRANCH).delete()
    if not deleted:
        raise RevisionNotFoundError(f"Branch {name!r} not found in {repo.full_name}.")


@transaction.atomic
def tag_delete(*, repo: ModelRepo, name: str) -> None:
    deleted, _ = Ref.objects.filter(repo=repo, name=name, kind=Ref.Kind.TAG).delete()
    if not deleted:
        raise RevisionNotFoundError(f"Tag {name!r} not found in {repo.full_name}.")


# Commits --------------------------------------------------------------------


@transaction.atomic
def commit_create(
    *,
    repo: ModelRepo,
    operations: Sequence[Operation],
    title: str,
    author: User | None,
    revision: str = DEFAULT_BRANCH,
    description: str = "",
    expected_parent: str | None = None,
) -> Commit:
    """Apply ``operations`` on top of branch (or PR ref) ``revision``, atomically.

    Raises RevisionNotFoundError (no such branch), ValidationError (bad path,
    commit to a tag, invalid README card), StaleParentError (the branch moved
    past ``expected_parent``), EntryNotFoundError (deleting or copying a file
    that is not there), MissingBlobError / QuarantinedBlobError. On any error
    nothing changes: the ref stays where it was.
    """
    title = (title or "").strip()
    if not title:
        raise ValidationError("A commit needs a title (the first line of its message).")
    if len(title) > 500:
        raise ValidationError("The commit title is too long: at most 500 characters.")
    if expected_parent is not None and not is_commit_oid(expected_parent):
        raise ValidationError(
            f"parent commit {expected_parent!r} is not a 40-character commit id."
        )
    # Lock the ref row alone: joining the commit into a FOR UPDATE query makes
    # PostgreSQL drop the row when it re-checks it after a concurrent update.
    ref = Ref.objects.select_for_update().filter(repo=repo, name=revision).first()
    if ref is None:
        raise RevisionNotFoundError(
            f"Branch {revision!r} not found in {repo.full_name}: create it first."
        )
    if ref.kind == Ref.Kind.TAG:
        raise ValidationError(f"{revision!r} is a tag; commits go to a branch.")
    head = Commit.objects.get(pk=ref.commit_id)
    if expected_parent is not None and expected_parent != head.oid:
        raise StaleParentError(
            f"The branch {revision!r} has moved: its head is {head.oid}, not "
            f"{expected_parent}. Pull the latest changes and commit again."
        )
    current = tree_as_dict(commit=head)
    entries = {
        path: _Entry(e.blob_id, e.size, e.is_lfs, e.git_oid)
        for path, e in current.items()
    }
    _apply(repo, head, entries, operations)
    _finish_tree(entries)
    readme_before = current.get("README.md")
    readme_after = entries.get("README.md")
    if readme_after is None:
        card = CardMetadata()
    elif readme_before is not None and readme_before.blob_id == readme_after.blob_id:
        card = card_from_raw(head.card_data)
    else:
        card = _parse_readme(readme_after.blob_id)
    return _insert_commit(
        repo=repo,
        ref=ref,
        ref_name=revision,
        parent=head,
        entries=entries,
        title=title,
        description=description,
        author=author,
        card=card,
    )


def _apply(
    repo: ModelRepo,
    head: Commit,
    entries: dict[str, _Entry],
    operations: Sequence[Operation],
) -> None:
    added: set[str] = set()
    for op in operations:
        if isinstance(op, AddFile):
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
            entries[op.path] = _Entry(blob.sha256, blob.size, False, "")
            added.add(op.path)
        elif isinstance(op, DeleteFile):
            # A path stored before a rule was added can still be deleted.
            if entries.pop(op.path, None) is None:
                validate_repo_path(op.path)
                raise EntryNotFoundError(
                    f"Cannot delete {op.path!r}: no such file at {head.oid[:12]}."
                )
        elif isinstance(op, DeleteFolder):
            folder = op.path.rstrip("/")
            doomed = [p for p in entries if p.startswith(folder + "/")]
            if not doomed:
                validate_folder_path(op.path)
                raise EntryNotFoundError(
                    f"Cannot delete folder {op.path!r}: no such folder at "
                    f"{head.oid[:12]}."
                )
            for path in doomed:
                del entries[path]
        elif isinstance(op, CopyFile):
            validate_repo_path(op.src_path)
            validate_repo_path(op.dest_path)
            if op.src_revision is None or op.src_revision == head.oid:
                source = entries.get(op.src_path)
            else:
                src_commit = revision_resolve(repo=repo, revision=op.src_revision)
                found = TreeEntry.objects.filter(
                    commit=src_commit, path=op.src_path
                ).first()
                source = (
                    _Entry(found.blob_id, found.size, found.is_lfs, found.git_oid)
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
            entries[op.dest_path] = _Entry(source.blob_id, source.size, False, "")
        else:  # pragma: no cover - the type union is closed
            raise ValidationError(f"Unknown operation {op!r}.")
    # A quarantined file already in the tree blocks nothing here: the
    # validation jobs and merge rules deal with it.


def _finish_tree(entries: dict[str, _Entry]) -> None:
    """Check the tree's shape, then settle each file's LFS mode and git id.

    Storage mode follows the rule of the resulting tree, so a change to
    .gitattributes applies to the files of the same commit.
    """
    _check_tree_shape(entries)
    gitattributes = _read_gitattributes(entries)
    stale: list[_Entry] = []
    for path, entry in entries.items():
        is_lfs = is_lfs_path(path=path, size=entry.size, gitattributes=gitattributes)
        if is_lfs != entry.is_lfs or not entry.git_oid:
            entry.is_lfs = is_lfs
            stale.append(entry)
    blobs = Blob.objects.in_bulk({entry.blob_id for entry in stale})
    for entry in stale:
        entry.git_oid = _git_oid(blobs[entry.blob_id], entry.is_lfs)


def _check_tree_shape(entries: dict[str, _Entry]) -> None:
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


def _read_gitattributes(entries: dict[str, _Entry]) -> str | None:
    entry = entries.get(".gitattributes")
    if entry is None or entry.size > GITATTRIBUTES_READ_LIMIT:
        return None
    return blob_read_bytes(sha256=entry.blob_id, limit=GITATTRIBUTES_READ_LIMIT).decode(
        "utf-8", errors="replace"
    )


def _entry_for(blob: Blob, path: str, gitattributes: str | None) -> _Entry:
    is_lfs = is_lfs_path(path=path, size=blob.size, gitattributes=gitattributes)
    return _Entry(blob.sha256, blob.size, is_lfs, _git_oid(blob, is_lfs))


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


def _parse_readme(sha256: str) -> CardMetadata:
    chunks = []
    read = 0
    for chunk in blob_store().iter_range(sha256, 0, CARD_READ_LIMIT - 1):
        chunks.append(chunk)
        read += len(chunk)
    raw = b"".join(chunks)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # A cut at the read limit may split a character; decode what is whole.
        if read < CARD_READ_LIMIT:
            raise InvalidCardError("README.md is not valid UTF-8 text.") from None
        text = raw.decode("utf-8", errors="ignore")
    try:
        return card_parse(text)
    except ValidationError as exc:
        raise InvalidCardError(
            f"README.md: {exc.message}", details=exc.details
        ) from exc


def _now_seconds() -> datetime:
    # git timestamps have whole seconds: the stored time must hash the same.
    return timezone.now().astimezone(UTC).replace(microsecond=0)


def _insert_commit(
    *,
    repo: ModelRepo,
    ref: Ref | None,
    ref_name: str,
    parent: Commit | None,
    entries: dict[str, _Entry],
    title: str,
    description: str,
    author: User | None,
    card: CardMetadata,
    merge_parent: Commit | None = None,
) -> Commit:
    when = _now_seconds()
    signature = _signature_for(author, when)
    tree = gitobjects.tree_oid({path: e.git_oid for path, e in entries.items()})
    parents = [parent.oid] if parent else []
    if merge_parent is not None:
        parents.append(merge_parent.oid)
    oid = gitobjects.commit_oid(
        tree=tree,
        parents=parents,
        author=signature,
        committer=signature,
        message=gitobjects.commit_message(title, description),
    )
    commit = Commit.objects.filter(repo=repo, oid=oid).first()
    if commit is None:
        commit = Commit.objects.create(
            repo=repo,
            oid=oid,
            tree_oid=tree,
            parent=parent,
            merge_parent=merge_parent,
            author=author,
            author_name=signature.name,
            author_email=signature.email,
            title=title.strip(),
            description=description.strip(),
            created_at=when,
            card_data=card.raw,
        )
        TreeEntry.objects.bulk_create(
            [
                TreeEntry(
                    commit=commit,
                    path=path,
                    blob_id=e.blob_id,
                    size=e.size,
                    is_lfs=e.is_lfs,
                    git_oid=e.git_oid,
                )
                for path, e in sorted(entries.items())
            ],
            batch_size=1000,
        )
        commit_created.send(sender=Commit, commit=commit, parent=parent)
    # else: the same commit (same tree, parent, author, second and message)
    # already exists, e.g. a retried request; moving the ref to it is enough.
    if ref is None:
        ref = Ref.objects.create(
            repo=repo, name=ref_name, kind=Ref.Kind.BRANCH, commit=commit
        )
    else:
        ref.commit = commit
        ref.save(update_fields=["commit", "updated_at"])
    _record_branch_moved(repo, ref_name, card, when)
    return commit


def _record_branch_moved(
    repo: ModelRepo, branch: str, card: CardMetadata, when: datetime
) -> None:
    """Stamp the repo's last commit time; main's head also sets its card fields."""
    fields = ["last_commit_at", "updated_at"]
    repo.last_commit_at = when
    if branch == DEFAULT_BRANCH:
        _apply_card_to_repo(repo, card)
        fields += [
            "license",
            "license_name",
            "tags",
            "pipeline_tag",
            "library_name",
            "base_model",
            "datasets",
            "language",
            "card_data",
        ]
    repo.save(update_fields=fields)


def _apply_card_to_repo(repo: ModelRepo, card: CardMetadata) -> None:
    repo.license = card.license
    repo.license_name = card.license_name
    repo.tags = list(card.tags)
    repo.pipeline_tag = card.pipeline_tag
    repo.library_name = card.library_name
    repo.base_model = list(card.base_model)
    repo.datasets = list(card.datasets)
    repo.language = list(card.language)
    repo.card_data = card.raw
    # Description and search document come from the README body, which the
    # parsed card does not keep (hub/catalog/search.py).
    repo_search_document_update(repo=repo, card_text=_main_readme_body(repo))


def _main_readme_body(repo: ModelRepo) -> str:
    """The README body at main's head ('' without one). Call after moving main."""
    main_head = Ref.objects.filter(repo=repo, name=DEFAULT_BRANCH).values("commit")
    sha256 = (
        TreeEntry.objects.filter(commit__in=main_head, path="README.md")
        .values_list("blob_id", flat=True)
        .first()
    )
    if sha256 is None:
        return ""
    raw = b"".join(blob_store().iter_range(sha256, 0, CARD_READ_LIMIT - 1))
    return readme_body(raw.decode("utf-8", errors="ignore"))


# Merges (the decisions live in hub/catalog/merge.py) -------------------------


def _lock_branch_at(repo: ModelRepo, branch: str, expected_head: Commit) -> Ref:
    ref = Ref.objects.select_for_update().filter(repo=repo, name=branch).first()
    if ref is None or ref.kind != Ref.Kind.BRANCH:
        raise RevisionNotFoundError(f"Branch {branch!r} not found in {repo.full_name}.")
    if ref.commit_id != expected_head.pk:
        raise StaleParentError(
            f"The branch {branch!r} moved while merging: try the merge again."
        )
    return ref


@transaction.atomic
def commit_create_merge(
    *,
    repo: ModelRepo,
    branch: str,
    parent: Commit,
    merge_parent: Commit,
    files: Mapping[str, TreeEntry],
    title: str,
    author: User | None,
    description: str = "",
) -> Commit:
    """Commit the full tree ``files`` on ``branch`` with two parents, as git would.

    ``parent`` must be the branch head (StaleParentError otherwise) and is the
    first parent; ``merge_parent`` is the second. Storage modes follow the
    merged ``.gitattributes``. Raises ValidationError for a bad title or tree.
    """
    title = (title or "").strip()
    if not title or len(title) > 500:
        raise ValidationError("A merge commit needs a title of 1 to 500 characters.")
    ref = _lock_branch_at(repo, branch, parent)
    entries = {
        path: _Entry(e.blob_id, e.size, e.is_lfs, e.git_oid)
        for path, e in files.items()
    }
    _finish_tree(entries)
    readme = entries.get("README.md")
    card = CardMetadata()
    if readme is not None:
        for side in (parent, merge_parent):
            same = TreeEntry.objects.filter(
                commit=side, path="README.md", blob_id=readme.blob_id
            ).exists()
            if same:
                card = card_from_raw(side.card_data)
                break
        else:
            card = _parse_readme(readme.blob_id)
    return _insert_commit(
        repo=repo,
        ref=ref,
        ref_name=branch,
        parent=parent,
        merge_parent=merge_parent,
        entries=entries,
        title=title,
        description=description,
        author=author,
        card=card,
    )


@transaction.atomic
def branch_fast_forward(
    *, repo: ModelRepo, branch: str, head: Commit, commit: Commit
) -> Ref:
    """Move ``branch`` from ``head`` to its descendant ``commit`` (no new commit).

    StaleParentError if the branch is no longer at ``head``. The repo's card
    metadata follows when the branch is main.
    """
    ref = _lock_branch_at(repo, branch, head)
    ref.commit = commit
    ref.save(update_fields=["commit", "updated_at"])
    _record_branch_moved(repo, branch, card_from_raw(commit.card_data), _now_seconds())
    return ref


# Statistics -----------------------------------------------------------------


def repo_record_download(*, repo: ModelRepo) -> None:
    """Count one download (total and today's). Two UPDATEs, no read-modify-write."""
    today = timezone.now().astimezone(UTC).date()
    ModelRepo.objects.filter(pk=repo.pk).update(downloads=F("downloads") + 1)
    updated = RepoDailyStat.objects.filter(repo=repo, day=today).update(
        downloads=F("downloads") + 1
    )
    if not updated:
        try:
            with transaction.atomic():
                RepoDailyStat.objects.create(repo=repo, day=today, downloads=1)
        except IntegrityError:  # created concurrently: count on that row
            RepoDailyStat.objects.filter(repo=repo, day=today).update(
                downloads=F("downloads") + 1
            )


def repo_trending_recompute(*, days: int = 7) -> int:
    """Set every repo's trending score to its downloads + likes of the last days.

    Idempotent; run periodically by the worker. Returns the repos updated.
    """
    since = timezone.now().astimezone(UTC).date() - timedelta(days=days - 1)
    recent = (
        RepoDailyStat.objects.filter(repo=OuterRef("pk"), day__gte=since)
        .values("repo")
        .annotate(total=Sum(F("downloads") + F("likes")))
        .values("total")
    )
    return ModelRepo.objects.update(
        trending_score=Coalesce(Subquery(recent), Value(0)) * 1.0
    )
