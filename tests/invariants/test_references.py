"""Invariant: GC never deleted content a commit references (its row, its
object in the store, or for Xet-only content the xorbs it is rebuilt from);
and every tree entry's blob has the right size and SHA-256."""

from __future__ import annotations

import pytest

from hub.catalog.models import TreeEntry
from hub.storage.models import Blob, XetFileXorb
from hub.storage.stores import raw_store
from hub.storage.xetcas.spaces import xorb_store
from tests.invariants.helpers import invariants, problems
from tests.storage.test_fsck import put_raw
from tests.storage.test_xet_checks import (  # noqa: F401 - a fixture
    commit_xet_file,
    receive,
    uploaded,
)


@pytest.fixture(params=["local", "s3"])
def backend(request):
    if request.param == "s3":
        request.getfixturevalue("s3_store")
    return request.param


def test_a_referenced_object_deleted_from_the_store_is_named(backend, hub):
    gone = hub.blob("notes.txt")
    raw_store().delete(gone)
    report, status = invariants()
    assert status == 1
    referenced = TreeEntry.objects.values("blob_id").distinct().count()
    assert report["checks"]["references"] == {"examined": referenced, "problems": 1}
    assert problems(report) == {
        ("references", "object_missing", gone),
        ("blobs", "missing", gone),
        ("trees", "content_unreadable", hub.at),
    }


def test_a_referenced_blob_row_deleted_is_named(hub):
    gone = hub.blob("notes.txt")
    size = Blob.objects.get(pk=gone).size
    # What a collector ignoring references would leave (foreign keys are
    # checked at commit, which a test never reaches); put back after.
    Blob.objects.filter(pk=gone)._raw_delete("default")
    try:
        report, status = invariants()
    finally:
        Blob.objects.create(pk=gone, size=size)
    assert status == 1
    assert problems(report) == {
        ("references", "row_missing", gone),
        ("objects", "orphan", f"blobs/{gone}"),
        ("trees", "blob_row_missing", hub.at),
    }


def test_a_xorb_of_referenced_xet_content_deleted_is_named(
    owner,
    uploaded,  # noqa: F811 - the real client's upload (tests/storage/test_xet_checks)
):
    data, xorbs, shard = uploaded
    receive(owner, xorbs, shard)
    sha256 = Blob.objects.get(in_store=False).sha256
    commit = commit_xet_file(owner, sha256)
    assert invariants()[1] == 0
    xorb = XetFileXorb.objects.filter(file__blobs=sha256)[0].xorb_id
    xorb_store().delete(xorb)
    report, status = invariants()
    assert status == 1
    found = problems(report)
    assert ("references", "xorb_missing", sha256) in found
    assert ("objects", "missing", f"xorbs/{xorb}") in found
    assert ("blobs", "unreadable", sha256) in found
    assert {f[0] for f in found} == {"references", "objects", "blobs", "trees"}
    assert (
        "trees",
        "content_unreadable",
        f"{commit.repo.full_name}@{commit.oid}",
    ) in found


def test_tampered_bytes_and_sizes_of_a_file_are_named(hub):
    notes = hub.blob("notes.txt")
    put_raw(notes, b"nothing happens to this filE")  # same size, other SHA-256
    TreeEntry.objects.filter(commit=hub.commit, path="README.md").update(
        size=1 + len(b"---\nlicense: mit\n---\n# Invariants\n")
    )
    report, status = invariants()
    entry = f"{hub.at}: README.md"
    assert status == 1
    assert problems(report) == {
        ("blobs", "corrupt", notes),
        ("trees", "content_unreadable", hub.at),
        ("counters", "file_size", entry),
    }
