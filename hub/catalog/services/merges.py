"""Merge commits and fast-forwards (the decisions live in
``hub/catalog/merge.py``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from hub.accounts.models import User
from hub.catalog.cards import CardMetadata, card_from_raw
from hub.catalog.errors import RevisionNotFoundError, StaleParentError
from hub.catalog.models import Commit, ModelRepo, Ref, TreeEntry
from hub.catalog.services.commits import (
    branch_moved_record,
    commit_insert,
    now_seconds,
    readme_parse,
)
from hub.catalog.services.operations import PendingEntry, tree_finish
from hub.core.errors import ValidationError


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
        path: PendingEntry(e.blob_id, e.size, e.is_lfs, e.git_oid)
        for path, e in files.items()
    }
    tree_finish(entries)
    readme = entries.get("README.md")
    card = CardMetadata()
    if readme is not None:
        for side in (parent, merge_parent):
            same = TreeEntry.objects.filter(
                commit=side, path="README.md", blob_id=readme.blob_id
            ).exists()
            if same:
                card = card_from_raw(side.card_data, repo_type=repo.repo_type)
                break
        else:
            card = readme_parse(readme.blob_id, repo_type=repo.repo_type)
    return commit_insert(
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
    branch_moved_record(
        repo,
        branch,
        card_from_raw(commit.card_data, repo_type=repo.repo_type),
        now_seconds(),
    )
    return ref
