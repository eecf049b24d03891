"""Xet garbage collection on local disk and on S3 (moto over HTTP).

Rows and objects are built directly (tests/storage/xet_rows.py): what GC
decides depends on rows and keys only.
"""

from __future__ import annotations

import pytest

from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import AddFile
from hub.storage.models import Blob, XetFile, XetShard, XetXorb
from hub.storage.stores import raw_store
from hub.storage.xetcas.gc import _delete_rows, xet_collect_garbage
from hub.storage.xetcas.spaces import shard_store, xorb_store
from tests.factories import make_repo
from tests.storage.xet_rows import (
    age,
    claim,
    make_shard,
    make_xet_blob,
    make_xet_file,
    make_xorb,
)
from workers.tasks import collect_garbage


@pytest.fixture(params=["local", "s3"])
def store(request):
    """Each test runs on the local store and on S3."""
    if request.param == "s3":
        return request.getfixturevalue("s3_store")
    return raw_store()


def xorb_stored(key: str) -> bool:
    return xorb_store().exists(key)


def shard_stored(key: str) -> bool:
    return shard_store().exists(key)


def committed_xet_file(owner, xorbs):
    """A Xet-only file committed to a repo (what an upload plus commit leaves)."""
    file = make_xet_file(xorbs, uploader=owner)
    blob = make_xet_blob(file)
    commit_create(
        repo=make_repo(owner),
        operations=[AddFile("model.safetensors", blob.sha256)],
        title="weights",
        author=owner,
    )
    return file, blob


def test_orphans_go_with_their_objects(store, owner):
    used = make_xorb()
    orphan = make_xorb()
    file, blob = committed_xet_file(owner, [used])
    shard = make_shard([file])
    age(used, orphan, file, blob, shard)

    garbage = xet_collect_garbage(grace_seconds=3600)

    assert garbage.xorbs == [orphan.hash]
    assert (garbage.files, garbage.shards) == ([], [])
    assert not XetXorb.objects.filter(pk=orphan.pk).exists()
    assert not xorb_stored(orphan.hash)
    assert xorb_stored(used.hash) and shard_stored(shard.hash)
    assert XetFile.objects.filter(pk=file.pk).exists()


def test_young_xorbs_and_files_survive(store, owner):
    xorb = make_xorb()
    file = make_xet_file([xorb], uploader=owner)  # shard in, no commit yet
    lone = make_xorb()  # uploaded, its shard not arrived yet

    garbage = xet_collect_garbage(grace_seconds=3600)

    assert (garbage.files, garbage.xorbs, garbage.shards) == ([], [], [])
    assert xorb_stored(xorb.hash) and xorb_stored(lone.hash)
    assert XetFile.objects.filter(pk=file.pk).exists()


def test_a_recent_claim_keeps_an_old_unused_xorb(store, owner):
    xorb = make_xorb()
    age(xorb)
    claim(xorb, owner)  # re-uploaded or offered by a dedup answer just now

    assert xet_collect_garbage(grace_seconds=3600).xorbs == []
    assert xorb_stored(xorb.hash)


def test_an_unreferenced_file_frees_its_xorbs_and_shard(store, owner):
    shared, own = make_xorb(), make_xorb()
    kept, _ = committed_xet_file(owner, [shared])
    dropped = make_xet_file([shared, own], uploader=owner)
    shard = make_shard([dropped])
    both = make_shard([kept, dropped])
    age(shared, own, kept, dropped, shard, both)

    garbage = xet_collect_garbage(grace_seconds=3600)

    assert garbage.files == [dropped.hash]
    assert garbage.xorbs == [own.hash]
    assert garbage.shards == [shard.hash]
    assert not xorb_stored(own.hash) and not shard_stored(shard.hash)
    assert xorb_stored(shared.hash) and shard_stored(both.hash)
    assert list(XetShard.objects.get(pk=both.pk).files.all()) == [kept]


def test_a_file_kept_by_a_stored_blob_survives(store, owner):
    xorb = make_xorb()
    file = make_xet_file([xorb])
    stored = Blob.objects.create(sha256=file.sha256, size=file.size, xet_file=file)
    age(xorb, file, stored)

    xet_collect_garbage(grace_seconds=3600)

    assert XetFile.objects.filter(pk=file.pk).exists()
    assert xorb_stored(xorb.hash)


def test_one_gc_run_collects_blobs_then_xet(store, owner):
    xorb = make_xorb()
    file = make_xet_file([xorb], uploader=owner)
    blob = make_xet_blob(file)  # uploaded through Xet, never committed
    shard = make_shard([file])
    age(xorb, file, blob, shard)

    collect_garbage()

    assert not Blob.objects.filter(pk=blob.pk).exists()
    assert not XetFile.objects.exists()
    assert not XetXorb.objects.exists() and not xorb_stored(xorb.hash)
    assert not XetShard.objects.exists() and not shard_stored(shard.hash)


def test_rows_a_file_took_meanwhile_are_kept(owner):
    """The foreign key refuses the delete, not the candidate query: a batch
    with a xorb a file took is retried row by row and keeps that one."""
    used, free = make_xorb(), make_xorb()
    make_xet_file([used])

    assert _delete_rows(XetXorb, [], [used.hash, free.hash]) == [free.hash]
    assert XetXorb.objects.filter(pk=used.pk).exists()
