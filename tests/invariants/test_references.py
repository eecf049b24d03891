"""Invariant: GC never deleted content a commit references."""

from __future__ import annotations

from hub.catalog.models import TreeEntry
from hub.storage.stores import raw_store
from tests.factories import commit_files, make_repo
from tests.invariants.helpers import invariants, problems


def test_a_referenced_object_deleted_from_the_store_is_named(owner):
    repo = make_repo(owner, "refs")
    commit = commit_files(repo, {"a.bin": b"kept bytes", "b.bin": b"gone bytes"})
    gone = TreeEntry.objects.get(commit=commit, path="b.bin").blob_id
    raw_store().delete(gone)
    report, status = invariants()
    assert status == 1
    assert ("references", "object_missing", gone) in problems(report)
    referenced = TreeEntry.objects.values("blob_id").distinct().count()
    assert report["checks"]["references"] == {"examined": referenced, "problems": 1}
    assert problems(report) - {("references", "object_missing", gone)} == {
        ("blobs", "missing", gone),
        ("trees", "content_unreadable", f"{repo.full_name}@{commit.oid}"),
    }
