"""The BlobStore interface, on both backends: download plans, key spaces,
direct uploads as a capability, and the hooks storage offers the apps above."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from hub.core.errors import ValidationError
from hub.ops import metrics
from hub.ops.readiness import check_name, readiness
from hub.storage import references
from hub.storage.backends import LocalBlobStore
from hub.storage.models import Blob
from hub.storage.services import blob_collect_garbage, blob_store, blob_upload_bytes
from hub.storage.store import (
    BLOBS,
    BlobIntegrityError,
    BlobStore,
    DownloadKind,
    KeySpace,
)

XORBS = KeySpace("xorbs", re.compile(r"^[0-9a-f]{64}$"))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# The local store -------------------------------------------------------------------


def test_local_store_is_a_blob_store_without_direct_uploads(tmp_path):
    store = LocalBlobStore(tmp_path)
    assert isinstance(store, BlobStore)
    assert store.direct_uploads() is None
    assert store.collect_staging(expired_before=1e12) == []
    assert store.space is BLOBS


def test_local_download_plan_is_the_file_with_its_range(tmp_path):
    store = LocalBlobStore(tmp_path)
    data = b"0123456789" * 10
    written = store.write(io.BytesIO(data), expected_size=len(data))
    plan = store.download_plan(
        written.sha256,
        size=len(data),
        byte_range=(10, 19),
        filename="a.bin",
        content_type="application/octet-stream",
    )
    assert plan.kind == DownloadKind.FILE
    assert plan.path == store.local_path(written.sha256)
    assert plan.path is not None and plan.path.read_bytes() == data
    assert plan.byte_range == (10, 19) and plan.length == 10
    assert plan.via == "stream"
    whole = store.download_plan(
        written.sha256, size=len(data), filename="a.bin", content_type="x/y"
    )
    assert whole.length == len(data)


def test_local_download_plan_hands_the_file_to_nginx_when_configured(tmp_path):
    store = LocalBlobStore(tmp_path, accel_prefix="/_blobs/")
    oid = "ab" * 32
    plan = store.download_plan(oid, size=5, filename="a.bin", content_type="x/y")
    assert plan.kind == DownloadKind.ACCEL
    assert plan.accel_uri == f"/_blobs/ab/ab/{oid}"
    assert plan.via == "x-accel"


def test_the_configured_store_follows_the_accel_setting(settings, db):
    settings.HUB_BLOB_ACCEL_REDIRECT_PREFIX = "/_internal/"
    plan = blob_store().download_plan("cd" * 32, size=1, filename="f", content_type="t")
    assert plan.kind == DownloadKind.ACCEL
    settings.HUB_BLOB_ACCEL_REDIRECT_PREFIX = ""
    plan = blob_store().download_plan("cd" * 32, size=1, filename="f", content_type="t")
    assert plan.kind == DownloadKind.FILE


def test_stream_plan_reads_the_range_through_the_store(tmp_path):
    store = LocalBlobStore(tmp_path)
    data = bytes(range(256))
    written = store.write(io.BytesIO(data))
    plan = store.stream_plan(written.sha256, size=len(data), byte_range=(3, 7))
    assert plan.kind == DownloadKind.STREAM
    assert b"".join(plan.chunks) == data[3:8]
    empty = store.stream_plan(digest(b""), size=0, byte_range=None)
    assert b"".join(empty.chunks) == b""


def test_local_key_spaces_keep_blobs_in_place_and_others_in_their_folder(tmp_path):
    store = LocalBlobStore(tmp_path)
    xorbs = store.in_space(XORBS)
    data = b"a xorb"
    written = xorbs.write(io.BytesIO(data))
    oid = written.sha256
    assert (tmp_path / "xorbs" / oid[:2] / oid[2:4] / oid).read_bytes() == data
    assert xorbs.exists(oid) and not store.exists(oid)
    assert b"".join(xorbs.iter_range(oid, 2, 3)) == data[2:4]
    assert store.relative_path(oid) == f"{oid[:2]}/{oid[2:4]}/{oid}"
    xorbs.delete(oid)
    assert not xorbs.exists(oid)
    with pytest.raises(ValueError):
        store.in_space(KeySpace("tmp"))


def test_keys_outside_a_space_are_refused(tmp_path):
    store = LocalBlobStore(tmp_path).in_space(XORBS)
    with pytest.raises(ValidationError):
        store.exists("../../etc/passwd")


# The S3 store ------------------------------------------------------------------


def test_s3_store_plans_a_presigned_redirect(s3_store, db):
    blob = blob_upload_bytes(data=b"s3 bytes")
    plan = s3_store.download_plan(
        blob.sha256,
        size=blob.size,
        byte_range=(0, 1),
        filename="weights.bin",
        content_type="application/octet-stream",
    )
    assert plan.kind == DownloadKind.REDIRECT
    assert plan.via == "s3-redirect"
    assert plan.length == 2
    url = urlparse(plan.url)
    assert url.path.endswith(s3_store.key(blob.sha256))
    assert "X-Amz-Signature" in url.query
    assert s3_store.local_path(blob.sha256) is None


def test_s3_store_offers_direct_uploads(s3_store):
    uploads = s3_store.direct_uploads()
    assert uploads is s3_store
    key = uploads.staging_key("ef" * 32, 7, "0" * 32, 1_900_000_000)
    assert key.startswith(uploads.staging_prefix("ef" * 32, 7))
    data = b"staged"
    s3_store.client.put_object(Bucket=s3_store.bucket, Key=key, Body=data)
    assert [item.size for item in uploads.staged_objects(key)] == [len(data)]
    uploads.staged_discard(key)
    assert uploads.staged_objects(key) == []
    assert isinstance(s3_store, BlobStore)


def test_s3_key_spaces_address_their_own_prefix(s3_store):
    xorbs = s3_store.in_space(XORBS)
    data = b"xorb bytes"
    written = xorbs.write(io.BytesIO(data))
    oid = written.sha256
    assert xorbs.key(oid) == f"hub/xorbs/{oid[:2]}/{oid[2:4]}/{oid}"
    assert s3_store.key(oid) == f"hub/blobs/{oid[:2]}/{oid[2:4]}/{oid}"
    assert xorbs.exists(oid) and not s3_store.exists(oid)
    assert b"".join(xorbs.iter_range(oid, 1, 2)) == data[1:3]
    xorbs.delete(oid)
    assert not xorbs.exists(oid)
    with pytest.raises(ValueError):
        s3_store.in_space(KeySpace("staging"))


def _listing_of(store: BlobStore) -> dict[str, int]:
    return {obj.key: obj.size for obj in store.iter_objects()}


@pytest.mark.parametrize("backend", ["local", "s3"])
def test_each_space_lists_its_own_objects_only(backend, request, tmp_path):
    store = (
        request.getfixturevalue("s3_store")
        if backend == "s3"
        else LocalBlobStore(tmp_path)
    )
    xorbs = store.in_space(XORBS)
    blob = store.write(io.BytesIO(b"a blob")).sha256
    xorb = xorbs.write(io.BytesIO(b"a xorb of 13")).sha256
    with pytest.raises(BlobIntegrityError):  # staging is never listed
        store.write(io.BytesIO(b"an aborted write"), expected_size=3)
    assert _listing_of(store) == {blob: 6}
    assert _listing_of(xorbs) == {xorb: 12}
    listed = next(iter(store.iter_objects()))
    assert listed.last_modified <= timezone.now() + timedelta(minutes=1)


def test_local_listing_skips_what_is_not_an_object(tmp_path):
    store = LocalBlobStore(tmp_path)
    blob = store.write(io.BytesIO(b"kept")).sha256
    (tmp_path / "tmp").mkdir(exist_ok=True)
    (tmp_path / "tmp" / "x.part").write_bytes(b"staging")
    stray = tmp_path / "ab" / "cd"
    stray.mkdir(parents=True)
    (stray / ("ff" * 32)).write_bytes(b"not under its own prefix")
    (stray / "notes.txt").write_bytes(b"not a key")
    assert _listing_of(store) == {blob: 4}


# Hooks the apps above fill -----------------------------------------------------


def test_gc_keeps_what_a_registered_referrer_references(db, monkeypatch):
    monkeypatch.setattr(references, "_referrers", dict(references._referrers))
    kept = blob_upload_bytes(data=b"referenced elsewhere")
    gone = blob_upload_bytes(data=b"referenced nowhere")
    Blob.objects.update(created_at=timezone.now() - timedelta(days=3))
    references.blob_referrer_register(
        "test", lambda blob: Blob.objects.filter(pk=blob, sha256=kept.sha256)
    )
    assert blob_collect_garbage(grace_seconds=0) == [gone.sha256]
    assert Blob.objects.filter(pk=kept.pk).exists()


def test_gc_refuses_to_run_without_any_referrer(db, monkeypatch):
    monkeypatch.setattr(references, "_referrers", {})
    blob_upload_bytes(data=b"would be lost")
    with pytest.raises(RuntimeError, match="referrer"):
        blob_collect_garbage(grace_seconds=0)


def test_catalog_registers_its_tree_entries():
    assert "catalog" in references._referrers


def test_readiness_runs_the_checks_the_settings_list(db, settings):
    settings.HUB_READINESS_CHECKS = [
        "hub.ops.readiness.check_database",
        "hub.storage.readiness.check_blob_store",
        "no.such.module.check_missing",
    ]
    results = {result.name: result for result in readiness()}
    assert list(results) == ["database", "blob_store", "missing"]
    assert results["database"].ok and results["blob_store"].ok
    assert not results["missing"].ok
    assert "ModuleNotFoundError" in results["missing"].error
    assert check_name("workers.readiness.check_scanners") == "scanners"


def test_jobs_registers_its_run_models_for_the_metrics():
    queues = {model.__name__: queue for model, queue in metrics._run_models()}
    assert queues == {"ValidationRun": "validation", "EvalRun": "eval"}
