"""Merging a ref (a pull request's ``refs/pr/N``) into a branch.

Merges work at file level, as the hub stores whole files: when the branch
head is an ancestor of the source, the branch is fast-forwarded; otherwise
each path is compared between the merge base and both heads, a path changed
differently on both sides is a conflict, and anything else becomes a merge
commit with two parents (first the branch head, then the source head),
hashed as git would hash it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction

from hub.accounts.models import User
from hub.catalog.errors import QuarantinedBlobError, RevisionNotFoundError
from hub.catalog.models import Commit, ModelRepo, Ref, TreeEntry
from hub.catalog.revisions import revision_resolve
from hub.catalog.services.merges import branch_fast_forward, commit_create_merge
from hub.catalog.trees import tree_as_dict
from hub.core.errors import ConflictError, ValidationError

# Conflict messages name at most this many paths; details carry them all.
MAX_PATHS_IN_MESSAGE = 20


class MergeConflictError(ConflictError):
    code = "merge_conflict"


def _ancestors(
    graph: Mapping[int, tuple[int | None, int | None]], start: int
) -> set[int]:
    seen = {start}
    todo = [start]
    while todo:
        for parent in graph.get(todo.pop(), (None, None)):
            if parent is not None and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def merge_base(*, a: Commit, b: Commit) -> Commit | None:
    """The best common ancestor of two commits (both parents walked), or None."""
    if a.repo_id != b.repo_id:
        return None
    if a.pk == b.pk:
        return a
    # A parent is always inserted before its children, so ancestors have
    # smaller keys: one query loads every commit that can be an ancestor.
    rows = Commit.objects.filter(repo_id=a.repo_id, pk__lte=max(a.pk, b.pk))
    graph = {
        pk: (parent, merge_parent)
        for pk, parent, merge_parent in rows.values_list(
            "pk", "parent_id", "merge_parent_id"
        )
    }
    common = _ancestors(graph, a.pk) & _ancestors(graph, b.pk)
    if not common:
        return None
    # The newest common ancestor cannot be an ancestor of another common
    # ancestor (that one would be newer), so it is a best merge base.
    return Commit.objects.get(pk=max(common))


@dataclass
class MergePlan:
    """What merging ``source`` into ``target`` would do."""

    target_head: Commit
    source_head: Commit
    base: Commit | None
    # Nothing to do: the target already contains the source.
    up_to_date: bool = False
    fast_forward: bool = False
    files: dict[str, TreeEntry] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)


def _three_way(
    base: dict[str, TreeEntry],
    ours: dict[str, TreeEntry],
    theirs: dict[str, TreeEntry],
) -> tuple[dict[str, TreeEntry], list[str]]:
    def key(entry: TreeEntry | None) -> str | None:
        return None if entry is None else entry.blob_id

    merged: dict[str, TreeEntry] = {}
    conflicts: list[str] = []
    for path in sorted(base.keys() | ours.keys() | theirs.keys()):
        b, o, t = base.get(path), ours.get(path), theirs.get(path)
        if key(o) == key(t) or key(t) == key(b):
            result = o
        elif key(o) == key(b):
            result = t
        else:
            conflicts.append(path)
            continue
        if result is not None:
            merged[path] = result
    return merged, conflicts


def merge_plan(*, target_head: Commit, source_head: Commit) -> MergePlan:
    """Plan a merge of ``source_head`` into ``target_head`` without writing.

    Raises ValidationError when the two commits share no history.
    """
    base = merge_base(a=target_head, b=source_head)
    plan = MergePlan(target_head=target_head, source_head=source_head, base=base)
    if base is None:
        raise ValidationError(
            "These revisions share no history, so they cannot be merged: open "
            "the pull request from the target branch."
        )
    if base.pk == source_head.pk:
        plan.up_to_date = True
    elif base.pk == target_head.pk:
        plan.fast_forward = True
    else:
        plan.files, plan.conflicts = _three_way(
            tree_as_dict(commit=base),
            tree_as_dict(commit=target_head),
            tree_as_dict(commit=source_head),
        )
    return plan


def merge_conflicts(
    *, repo: ModelRepo, source_ref: str, target_branch: str
) -> list[str]:
    """Paths that would conflict if ``source_ref`` were merged into the branch now."""
    target_head = revision_resolve(repo=repo, revision=target_branch)
    source_head = revision_resolve(repo=repo, revision=source_ref)
    try:
        return merge_plan(target_head=target_head, source_head=source_head).conflicts
    except ValidationError:
        return []


def _refuse_quarantined(commit: Commit, source_ref: str) -> None:
    bad = list(
        TreeEntry.objects.filter(commit=commit, blob__is_quarantined=True)
        .select_related("blob")
        .order_by("path")[:MAX_PATHS_IN_MESSAGE]
    )
    if bad:
        listing = "; ".join(
            f"{e.path} ({e.blob.quarantine_reason or 'unsafe content'})" for e in bad
        )
        raise QuarantinedBlobError(
            f"{source_ref} cannot be merged: it contains quarantined files: "
            f"{listing}. Delete or replace them in {source_ref} first.",
            details={"paths": [e.path for e in bad]},
        )


def _conflict_error(paths: list[str], source_ref: str, target_branch: str) -> str:
    shown = ", ".join(paths[:MAX_PATHS_IN_MESSAGE])
    if len(paths) > MAX_PATHS_IN_MESSAGE:
        shown += f" and {len(paths) - MAX_PATHS_IN_MESSAGE} more"
    return (
        f"Merge conflict: {shown} changed differently on {target_branch} and on "
        f"{source_ref}. Update these files in {source_ref} so they no longer "
        f"conflict with {target_branch} (for example, start from the version on "
        f"{target_branch}), then merge again."
    )


@transaction.atomic
def commit_merge(
    *,
    repo: ModelRepo,
    source_ref: str,
    target_branch: str,
    author: User | None,
    title: str,
) -> Commit:
    """Merge ``source_ref`` into branch ``target_branch``; returns the new head.

    Locks the branch. Fast-forwards when possible, returns the head unchanged
    when it already contains the source, else commits a two-parent merge.
    Raises RevisionNotFoundError, QuarantinedBlobError (the source holds a
    quarantined file), MergeConflictError (details: ``paths``).
    """
    target = Ref.objects.select_for_update().filter(repo=repo, name=target_branch)
    target_ref = target.first()
    if target_ref is None or target_ref.kind != Ref.Kind.BRANCH:
        raise RevisionNotFoundError(
            f"Branch {target_branch!r} not found in {repo.full_name}: a merge "
            "needs an existing target branch."
        )
    target_head = Commit.objects.get(pk=target_ref.commit_id)
    source_head = revision_resolve(repo=repo, revision=source_ref)
    _refuse_quarantined(source_head, source_ref)
    plan = merge_plan(target_head=target_head, source_head=source_head)
    if plan.up_to_date:
        return target_head
    if plan.fast_forward:
        branch_fast_forward(
            repo=repo, branch=target_branch, head=target_head, commit=source_head
        )
        return source_head
    if plan.conflicts:
        raise MergeConflictError(
            _conflict_error(plan.conflicts, source_ref, target_branch),
            details={"paths": plan.conflicts},
        )
    return commit_create_merge(
        repo=repo,
        branch=target_branch,
        parent=target_head,
        merge_parent=source_head,
        files=plan.files,
        title=title,
        author=author,
    )
