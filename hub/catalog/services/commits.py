"""Commits: ``commit_create`` is the only way files change.

It runs in one transaction: lock the ref, compare the expected parent, check
every blob, build the new tree, insert the commit and its entries, move the
ref. Either all of it is visible or none of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from hub.accounts.models import User
from hub.catalog import gitobjects
from hub.catalog.cards import CardMetadata, card_from_raw, card_parse
from hub.catalog.errors import InvalidCardError, RevisionNotFoundError, StaleParentError
from hub.catalog.models import Commit, ModelRepo, Ref, TreeEntry
from hub.catalog.search import readme_body, repo_search_document_update
from hub.catalog.services.operations import (
    Operation,
    PendingEntry,
    operations_apply,
    tree_finish,
)
from hub.catalog.signals import commit_created
from hub.catalog.trees import tree_as_dict
from hub.core.errors import ValidationError
from hub.core.names import is_commit_oid
from hub.storage.services import blob_store

DEFAULT_BRANCH = "main"


NOREPLY_DOMAIN = "users.noreply.model-commons"


# README front matter is read from at most this many bytes of the file.
CARD_READ_LIMIT = 1024 * 1024


def _signature_for(user: User | None, when: datetime) -> gitobjects.Signature:
    if user is None:
        return gitobjects.Signature("Model Commons", f"hub@{NOREPLY_DOMAIN}", when)
    name = user.username
    return gitobjects.Signature(name, f"{name}@{NOREPLY_DOMAIN}", when)


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
    title = _title_checked(title)
    ref, head = _branch_locked(repo, revision, expected_parent)
    current = tree_as_dict(commit=head)
    entries = {
        path: PendingEntry(e.blob_id, e.size, e.is_lfs, e.git_oid)
        for path, e in current.items()
    }
    operations_apply(repo, head, entries, operations)
    tree_finish(entries)
    readme_before = current.get("README.md")
    readme_after = entries.get("README.md")
    if readme_after is None:
        card = CardMetadata()
    elif readme_before is not None and readme_before.blob_id == readme_after.blob_id:
        card = card_from_raw(head.card_data, repo_type=repo.repo_type)
    else:
        card = readme_parse(readme_after.blob_id, repo_type=repo.repo_type)
    return commit_insert(
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


def _title_checked(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError("A commit needs a title (the first line of its message).")
    if len(title) > 500:
        raise ValidationError("The commit title is too long: at most 500 characters.")
    return title


def _branch_locked(
    repo: ModelRepo, revision: str, expected_parent: str | None
) -> tuple[Ref, Commit]:
    """The branch (or PR ref) ``revision``, locked, and its head, which must
    be ``expected_parent`` when given."""
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
    return ref, head


def readme_parse(sha256: str, *, repo_type: str = "model") -> CardMetadata:
    """The card of a README blob, by ``repo_type``'s rules. Raises InvalidCardError."""
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
        return card_parse(text, repo_type=repo_type)
    except ValidationError as exc:
        raise InvalidCardError(
            f"README.md: {exc.message}", details=exc.details
        ) from exc


def now_seconds() -> datetime:
    # git timestamps have whole seconds: the stored time must hash the same.
    return timezone.now().astimezone(UTC).replace(microsecond=0)


def commit_insert(
    *,
    repo: ModelRepo,
    ref: Ref | None,
    ref_name: str,
    parent: Commit | None,
    entries: dict[str, PendingEntry],
    title: str,
    description: str,
    author: User | None,
    card: CardMetadata,
    merge_parent: Commit | None = None,
) -> Commit:
    when = now_seconds()
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
        _tree_entries_insert(commit, entries)
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
    branch_moved_record(repo, ref_name, card, when)
    return commit


def _tree_entries_insert(commit: Commit, entries: dict[str, PendingEntry]) -> None:
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


def branch_moved_record(
    repo: ModelRepo, branch: str, card: CardMetadata, when: datetime
) -> None:
    """Stamp the repo's last commit time; main's head also sets its card fields."""
    fields = ["last_commit_at", "updated_at"]
    repo.last_commit_at = when
    if branch == DEFAULT_BRANCH:
        _apply_card_to_repo(repo, card)
        fields += CARD_FIELDS
    repo.save(update_fields=fields)


# The repo's columns denormalized from main's card (catalog filters, facets).
CARD_FIELDS = [
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


def repo_card_refresh(*, repo: ModelRepo) -> None:
    """Rewrite the repo's card columns, description and search document from
    main's head, as a commit on main does (``hub_reindex``). Idempotent; a
    repo without main gets an empty card."""
    head = Commit.objects.filter(
        pk__in=Ref.objects.filter(repo=repo, name=DEFAULT_BRANCH).values("commit")
    ).first()
    _apply_card_to_repo(
        repo, card_from_raw(head.card_data if head else {}, repo_type=repo.repo_type)
    )
    repo.save(update_fields=CARD_FIELDS)


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
