"""The catalog's checks for ``hub_fsck``: commits' trees and refs.

``trees``: for every commit, each tree entry's Blob row exists, its bytes
verified (the blob check ran first and listed the unreadable ones), its git
id is what git would store (the LFS pointer's id, or the content's); the
tree id and the commit id recomputed with ``gitobjects`` match the stored
ones. ``refs``: every ref points at an existing commit of its own repo.
Nothing here is repaired automatically: history is content-addressed, so
the fix is restoring the database from a backup; the findings say which
commits and refs to look at. Cost: two streamed queries for the trees
(commits; entries with their blobs' git ids, in commit order) and one for
the refs, whatever their number.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from django.db.models import OuterRef, Subquery

from hub.catalog import gitobjects
from hub.catalog.models import Commit, Ref, TreeEntry
from hub.storage.fsck import Check, Finding, FsckContext
from hub.storage.fsck_checks import STORAGE_CHECKS
from hub.storage.models import Blob

# (path, blob digest, size, is_lfs, git oid, the blob's git id: None when
# the blob has no row, "" when its git id is not known)
Entry = tuple[str, str, int, bool, str, str | None]


def _entries_by_commit() -> Iterator[tuple[int, list[Entry]]]:
    """Every tree entry with its blob's git id, grouped by commit in commit
    order: one streamed query over the (commit, path) index for the whole
    hub, instead of two per commit."""
    git_sha1 = Blob.objects.filter(pk=OuterRef("blob_id")).values("git_sha1")
    rows = (
        TreeEntry.objects.annotate(blob_git=Subquery(git_sha1[:1]))
        .order_by("commit_id", "path")
        .values_list(
            "commit_id", "path", "blob_id", "size", "is_lfs", "git_oid", "blob_git"
        )
    )
    for commit_id, group in groupby(rows.iterator(chunk_size=2000), itemgetter(0)):
        yield commit_id, [row[1:] for row in group]


def _entry_findings(
    ctx: FsckContext, entries: list[Entry], subject: str
) -> Iterator[Finding]:
    """Findings about a commit's entries."""
    for path, blob_id, size, is_lfs, git_oid, blob_git in entries:
        where = f"{subject}: {path}"
        if blob_git is None:
            yield Finding(
                "trees", "blob_row_missing", subject, f"{where}: no blob {blob_id}."
            )
            continue
        if blob_id in ctx.unreadable:
            yield Finding(
                "trees",
                "content_unreadable",
                subject,
                f"{where}: the bytes of blob {blob_id} are missing or wrong.",
            )
        if is_lfs:
            expected = gitobjects.lfs_blob_oid(sha256=blob_id, size=size)
        else:
            expected = blob_git or git_oid
        if git_oid != expected:
            yield Finding(
                "trees",
                "entry_oid",
                subject,
                f"{where}: its git id is {git_oid}, its content's is {expected}.",
            )


def _commit_findings(ctx: FsckContext) -> Iterator[Finding]:
    commits = Commit.objects.select_related(
        "repo__namespace", "parent", "merge_parent"
    ).order_by("pk")
    grouped = _entries_by_commit()
    pending = next(grouped, None)
    for commit in commits.iterator(chunk_size=200):
        ctx.tick()
        subject = f"{commit.repo.full_name}@{commit.oid}"
        # Both streams are in commit order: skip entries of commits created
        # after the commits were listed, take this commit's if any.
        while pending is not None and pending[0] < commit.pk:
            pending = next(grouped, None)
        entries: list[Entry] = []
        if pending is not None and pending[0] == commit.pk:
            entries, pending = pending[1], next(grouped, None)
        yield from _entry_findings(ctx, entries, subject)
        tree = gitobjects.tree_oid({e[0]: e[4] for e in entries})
        if tree != commit.tree_oid:
            yield Finding(
                "trees",
                "tree_oid",
                subject,
                f"{subject}: its files make tree {tree}, it says {commit.tree_oid}.",
            )
        oid = _commit_oid(commit)
        if oid != commit.oid:
            yield Finding(
                "trees",
                "commit_oid",
                subject,
                f"{subject}: its tree, parents and message make commit {oid}.",
            )


def _commit_oid(commit: Commit) -> str:
    signature = gitobjects.Signature(
        commit.author_name, commit.author_email, commit.created_at
    )
    parents = [p.oid for p in (commit.parent, commit.merge_parent) if p is not None]
    return gitobjects.commit_oid(
        tree=commit.tree_oid,
        parents=parents,
        author=signature,
        committer=signature,
        message=gitobjects.commit_message(commit.title, commit.description),
    )


def _ref_findings(ctx: FsckContext) -> Iterator[Finding]:
    """One query for every ref: its target commit's repo and oid joined in
    (NULL when the commit is gone), so a million refs cost one scan."""
    target = Commit.objects.filter(pk=OuterRef("commit_id"))
    refs = (
        Ref.objects.annotate(
            target_repo=Subquery(target.values("repo_id")),
            target_oid=Subquery(target.values("oid")),
        )
        .select_related("repo__namespace")
        .order_by("pk")
    )
    for ref in refs.iterator(chunk_size=500):
        ctx.tick()
        subject = f"{ref.repo.full_name} {ref.name}"
        if ref.target_repo is None:
            yield Finding(
                "refs", "dangling", subject, f"{subject} points at no commit."
            )
        elif ref.target_repo != ref.repo_id:
            yield Finding(
                "refs",
                "foreign_commit",
                subject,
                f"{subject} points at commit {ref.target_oid} of another repo.",
            )


CATALOG_CHECKS = [
    Check(
        "trees",
        "every commit's entries, tree id and commit id",
        lambda: Commit.objects.count(),
        _commit_findings,
    ),
    Check(
        "refs",
        "every ref points at a commit of its repo",
        lambda: Ref.objects.count(),
        _ref_findings,
    ),
]

# What hub_fsck runs, in order (blobs first: the tree check reads its list
# of unreadable digests).
FSCK_CHECKS = [*STORAGE_CHECKS, *CATALOG_CHECKS]
