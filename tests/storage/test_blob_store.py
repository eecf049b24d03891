"""The content-addressed blob store: streaming writes, integrity, dedup, ranges, GC."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from hub.storage.models import Blob
from hub.storage.services import (
    blob_collect_garbage,
    blob_store,
    blob_upload,
    blob_upload_bytes,
)
from hub.storage.store import BlobIntegrityError
from tests.factories import commit_files, make_repo


def stored_files() -> list[str]:
    root = settings.HUB_BLOB_ROOT
    return sorted(
        os.path.relpath(os.path.join(d, f), root)
        for d, _, files in os.walk(root)
        for f in files
    )


class PatternStream(io.RawIOBase):
    """``size`` bytes of a repeating pattern, produced on demand (never held)."""

    def __init__(self, size: int) -> None:
        self.remaining = size
        self.block = hashlib.sha256(b"seed").digest() * 2048  # 64 KiB

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        n = self.remaining if n is None or n < 0 else min(n, self.remaining)
        n = min(n, len(self.block))
        self.remaining -= n
        return self.block[:n]


def pattern_digest(size: int) -> str:
    stream, h = PatternStream(size), hashlib.sha256()
    while chunk := stream.read(1 << 20):
        h.update(chunk)
    return h.hexdigest()


@pytest.mark.django_db
def test_upload_stores_content_under_its_sha256():
    data = b"hello model commons\n"
    blob = blob_upload_bytes(data=data)
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert blob.size == len(data)
    assert b"".join(blob_store().iter_range(blob.sha256)) == data
    # The storage key is derived from the hash only.
    assert stored_files() == [f"{blob.sha256[:2]}/{blob.sha256[2:4]}/{blob.sha256}"]


@pytest.mark.django_db
def test_identical_content_is_stored_once():
    first = blob_upload_bytes(data=b"same bytes")
    second = blob_upload(stream=io.BytesIO(b"same bytes"))
    assert first.pk == second.pk
    assert Blob.objects.count() == 1
    assert len(stored_files()) == 1


@pytest.mark.django_db
def test_wrong_digest_leaves_nothing_behind():
    with pytest.raises(BlobIntegrityError, match="SHA-256"):
        blob_upload(stream=io.BytesIO(b"payload"), expected_sha256="0" * 64)
    assert stored_files() == []
    assert not Blob.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("announced", [6, 8])
def test_wrong_size_leaves_nothing_behind(announced):
    with pytest.raises(BlobIntegrityError, match="announced"):
        blob_upload(stream=io.BytesIO(b"payload"), expected_size=announced)
    assert stored_files() == []
    assert not Blob.objects.exists()


@pytest.mark.django_db
def test_stream_error_midway_leaves_nothing_behind():
    class Broken(io.RawIOBase):
        calls = 0

        def readable(self):
            return True

        def read(self, n=-1):
            self.calls += 1
            if self.calls > 3:
                raise ConnectionResetError("client went away")
            return b"x" * 1000

    with pytest.raises(ConnectionResetError):
        blob_upload(stream=Broken())
    assert stored_files() == []


@pytest.mark.django_db
def test_range_reads_return_exact_bytes():
    data = bytes(range(256)) * 100
    blob = blob_upload_bytes(data=data)
    store = blob_store()
    assert b"".join(store.iter_range(blob.sha256, 10, 19)) == data[10:20]
    assert b"".join(store.iter_range(blob.sha256, 25590)) == data[25590:]
    assert b"".join(store.iter_range(blob.sha256, 0, 0, chunk_size=7)) == data[:1]


@pytest.mark.django_db
def test_rejects_malformed_digest_before_touching_disk():
    with pytest.raises(Exception, match="SHA-256"):
        list(blob_store().iter_range("../../etc/passwd"))


@pytest.mark.slow
@pytest.mark.django_db
def test_streamed_1gib_write_keeps_memory_flat():
    size = 1 << 30
    expected = pattern_digest(size)
    tracemalloc.start()
    try:
        blob = blob_upload(
            stream=PatternStream(size), expected_sha256=expected, expected_size=size
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert blob.size == size
    assert blob_store().size(blob.sha256) == size
    # Chunks are 1 MiB; anything near the file size means buffering.
    assert peak < 16 * 1024 * 1024, f"peak Python allocation {peak} bytes"


@pytest.mark.django_db
def test_gc_removes_only_old_unreferenced_blobs(owner):
    repo = make_repo(owner)
    commit_files(repo, {"kept.txt": b"referenced"}, author=owner)
    orphan = blob_upload_bytes(data=b"orphan")
    young = blob_upload_bytes(data=b"young orphan")
    old = timezone.now() - timedelta(days=2)
    Blob.objects.exclude(pk=young.pk).update(created_at=old)

    deleted = blob_collect_garbage(grace_seconds=3600)

    assert deleted == [orphan.sha256]
    assert not Blob.objects.filter(pk=orphan.pk).exists()
    assert not blob_store().exists(orphan.sha256)
    assert blob_store().exists(young.sha256)
    kept = Blob.objects.get(tree_entries__path="kept.txt")
    assert blob_store().exists(kept.sha256)


@pytest.mark.django_db
def test_gc_collects_blobs_of_a_deleted_repo(owner):
    from hub.catalog.services.repos import repo_delete

    repo = make_repo(owner)
    commit_files(repo, {"weights.bin": b"\0" * 100}, author=owner)
    repo_delete(repo=repo)
    Blob.objects.update(created_at=timezone.now() - timedelta(days=2))
    deleted = blob_collect_garbage(grace_seconds=3600)
    assert hashlib.sha256(b"\0" * 100).hexdigest() in deleted
    assert stored_files() == []
