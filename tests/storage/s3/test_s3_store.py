"""The S3 blob store against a real S3-compatible server (moto, over HTTP).

Service-level tests check the store's rules (verified writes, dedup, GC,
staging clean-up); the HF-client tests run the hub over real HTTP with the
S3 store and check that bytes go straight to and from S3 through presigned
URLs on the *public* endpoint, and that nothing unverified becomes usable.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.utils import timezone

from hub.jobs.models import ValidationRun
from hub.storage.models import Blob
from hub.storage.services import (
    blob_collect_garbage,
    blob_quarantine,
    blob_store,
    blob_upload,
    blob_upload_bytes,
)
from hub.storage.store import BlobIntegrityError
from hub.storage.uploads import upload_staging_collect, upload_verify
from hub.storage.xetcas.spaces import XORBS
from tests.factories import commit_files, make_repo
from tests.workers.validators import corpus
from workers import jobs as worker_jobs
from workers.jobs import check_file, check_repo
from workers.validators.base import BytesSource
from workers.validators.registry import validate_file

MIB = 1024 * 1024
LFS_HEADERS = {
    "Accept": "application/vnd.git-lfs+json",
    "Content-Type": "application/vnd.git-lfs+json",
}


def keys(store, under: str) -> list[str]:
    answer = store.client.list_objects_v2(
        Bucket=store.bucket, Prefix=store.prefix + under
    )
    return sorted(item["Key"] for item in answer.get("Contents", []))


def open_multipart_uploads(store) -> list[str]:
    answer = store.client.list_multipart_uploads(Bucket=store.bucket)
    return [upload["Key"] for upload in answer.get("Uploads", [])]


def pattern(size: int, seed: bytes = b"s3") -> bytes:
    block = hashlib.sha256(seed).digest() * 2048  # 64 KiB
    return (block * (size // len(block) + 1))[:size]


# The store itself ---------------------------------------------------------------


def test_small_write_is_verified_stored_once_and_readable(s3_store, db):
    data = b"hello s3" * 100
    first = blob_upload_bytes(data=data)
    second = blob_upload_bytes(data=data)
    assert first.sha256 == second.sha256 == hashlib.sha256(data).hexdigest()
    assert keys(s3_store, "blobs/") == [s3_store.key(first.sha256)]
    assert b"".join(s3_store.iter_range(first.sha256)) == data
    assert b"".join(s3_store.iter_range(first.sha256, 8, 15)) == data[8:16]
    assert s3_store.size(first.sha256) == len(data)
    assert keys(s3_store, "tmp/") == []


def test_large_write_streams_in_parts_and_dedups(s3_store, db):
    data = pattern(20 * MIB + 3)
    blob = blob_upload(stream=io.BytesIO(data), expected_size=len(data))
    again = blob_upload(
        stream=io.BytesIO(data),
        expected_sha256=blob.sha256,
        expected_size=len(data),
    )
    assert again.pk == blob.pk
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert keys(s3_store, "blobs/") == [s3_store.key(blob.sha256)]
    assert keys(s3_store, "tmp/") == []
    assert open_multipart_uploads(s3_store) == []
    assert b"".join(s3_store.iter_range(blob.sha256, 20 * MIB)) == data[20 * MIB :]


@pytest.mark.parametrize("size", [1000, 12 * MIB])
def test_digest_mismatch_leaves_nothing_referenceable(s3_store, db, size):
    data = pattern(size)
    with pytest.raises(BlobIntegrityError):
        blob_upload(
            stream=io.BytesIO(data), expected_sha256="0" * 64, expected_size=size
        )
    assert not Blob.objects.exists()
    assert keys(s3_store, "") == []
    assert open_multipart_uploads(s3_store) == []


def test_more_bytes_than_announced_are_refused(s3_store, db):
    with pytest.raises(BlobIntegrityError):
        blob_upload(stream=io.BytesIO(pattern(10 * MIB)), expected_size=9 * MIB)
    assert keys(s3_store, "") == []


def test_garbage_collection_deletes_unreferenced_objects(s3_store, owner):
    repo = make_repo(owner)
    commit = commit_files(repo, {"kept.bin": b"referenced"}, author=owner)
    kept = commit.entries.get(path="kept.bin").blob_id
    orphan = blob_upload_bytes(data=b"nobody uses me")
    Blob.objects.filter(pk__in=[orphan.pk, kept]).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    assert blob_collect_garbage(grace_seconds=3600) == [orphan.sha256]
    assert not s3_store.exists(orphan.sha256)
    assert s3_store.exists(kept)


def test_s3_blobs_are_read_by_ranges_not_as_local_files(s3_store, db):
    data = pattern(3 * MIB, b"worker")
    blob = blob_upload_bytes(data=data)
    assert s3_store.local_path(blob.sha256) is None
    start = 2 * MIB - 5
    assert (
        b"".join(s3_store.iter_range(blob.sha256, start, start + 9))
        == (data[start : start + 10])
    )


def test_checks_read_s3_blobs_by_ranges(s3_store, owner):
    header = json.dumps(
        {"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}
    ).encode()
    weights = struct.pack("<Q", len(header)) + header + b"\0" * 16
    repo = make_repo(owner, "ranged")
    commit = commit_files(
        repo,
        {
            "model.safetensors": weights,
            "config.json": b'{"model_type": "bert"}',
            "README.md": b"---\nlicense: mit\n---\n# Ranged\n",
        },
        author=owner,
    )
    runs = ValidationRun.objects.filter(commit=commit)
    for run in runs:
        (check_file if run.kind == ValidationRun.Kind.FILE else check_repo)(run.pk)

    verdicts = {run.path or "(repo)": run.verdict for run in runs.all()}
    repo_verdict = verdicts.pop("(repo)")
    assert verdicts and set(verdicts.values()) == {"passed"}, verdicts
    # Read by ranges, the repo-level checks ran to a verdict (a warning: the
    # card and config are minimal), not an error.
    assert repo_verdict in ("passed", "warning")
    assert set(runs.values_list("status", flat=True)) == {"succeeded"}
    stored = runs.get(path="model.safetensors")
    assert stored.metadata["parameters"] == {"F32": 4}


@pytest.mark.parametrize("whole_below", [0, 64 * MIB])
def test_checks_of_s3_blobs_match_checks_of_the_same_bytes_in_memory(
    s3_store, owner, monkeypatch, whole_below
):
    # 0: everything by ranges (header formats) or a temporary copy (zips).
    monkeypatch.setattr(worker_jobs, "WHOLE_READ_MAX_BYTES", whole_below)
    header = json.dumps(
        {"w": {"dtype": "F16", "shape": [8], "data_offsets": [0, 16]}}
    ).encode()
    files = {
        "model.safetensors": struct.pack("<Q", len(header)) + header + b"\1" * 16,
        "evil.bin": corpus.build_zip(
            [corpus.Entry("archive/data.pkl", corpus.posix_system("s3-canary"))]
        ),
    }
    repo = make_repo(owner, f"same-{whole_below}")
    commit = commit_files(repo, files, author=owner)
    for run in ValidationRun.objects.filter(commit=commit, path__in=files):
        worker_jobs.check_file(run.pk)
        run.refresh_from_db()
        expected = validate_file(run.path, BytesSource(files[run.path]))
        assert run.status in ("succeeded", "failed"), (run.path, run.log)
        assert (run.verdict, run.metadata) == (expected.status, expected.metadata)
    evil = ValidationRun.objects.get(commit=commit, path="evil.bin")
    assert evil.verdict == "quarantine"


def test_a_check_of_an_s3_blob_whose_bytes_are_gone_errors(s3_store, owner):
    repo = make_repo(owner, "gone")
    commit = commit_files(repo, {"w.safetensors": b"not really"}, author=owner)
    run = ValidationRun.objects.get(commit=commit, path="w.safetensors")
    s3_store.client.delete_object(Bucket=s3_store.bucket, Key=s3_store.key(run.blob_id))
    worker_jobs.check_file(run.pk)
    run.refresh_from_db()
    # Retried, then errored: never a verdict without the bytes.
    assert run.status in ("queued", "errored") and not run.verdict
    assert "the stored bytes are missing" in run.log


def test_verify_promotes_one_good_copy_of_a_retried_direct_upload(s3_store, owner):
    data = pattern(2 * MIB, b"retried")
    oid = hashlib.sha256(data).hexdigest()
    later = int(time.time()) + 3600
    bad = pattern(2 * MIB, b"corrupt")
    for upload_id, body in (("a", bad), ("b", data), ("c", data)):
        s3_store.client.put_object(
            Bucket=s3_store.bucket,
            Key=s3_store.staging_key(oid, owner.pk, upload_id, later),
            Body=body,
        )

    blob = upload_verify(oid=oid, size=len(data), user_id=owner.pk)

    assert (blob.sha256, blob.size) == (oid, len(data))
    assert keys(s3_store, f"staging/{oid}/") == []  # every copy is gone
    assert b"".join(s3_store.iter_range(oid)) == data


def test_readiness_pings_the_bucket(s3_store, settings):
    s3_store.ping()
    settings.HUB_S3_BUCKET = "no-such-bucket-here"
    with pytest.raises(Exception):
        blob_store().ping()


# Direct uploads over HTTP with the real client --------------------------------


@pytest.fixture
def s3_hub(s3_store, settings):
    """Small limits so a few MiB exercise LFS, direct PUT and S3 multipart."""
    settings.HUB_INLINE_UPLOAD_MAX_BYTES = 1 * MIB
    settings.HUB_S3_MULTIPART_THRESHOLD_BYTES = 6 * MIB
    settings.HUB_LFS_MULTIPART_CHUNK_BYTES = 5 * MIB
    return s3_store


@pytest.fixture
def repo_id(maya):
    return make_repo(maya[0], "weights").full_name


def _batch(hub_url, repo_id, oid, size, token, transfers=("basic", "multipart")):
    response = requests.post(
        f"{hub_url}/{repo_id}.git/info/lfs/objects/batch",
        json={
            "operation": "upload",
            "transfers": list(transfers),
            "objects": [{"oid": oid, "size": size}],
            "hash_algo": "sha256",
            "ref": {"name": "main"},
        },
        headers={**LFS_HEADERS, "authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["objects"][0]


def _verify(hub_url, repo_id, oid, size, token):
    return requests.post(
        f"{hub_url}/{repo_id}.git/info/lfs/objects/verify",
        json={"oid": oid, "size": size},
        headers={**LFS_HEADERS, "authorization": f"Bearer {token}"},
        timeout=60,
    )


@pytest.mark.slow
def test_client_uploads_straight_to_s3_and_downloads_by_redirect(
    s3_hub, hub_url, api, repo_id, tmp_path, moto_server, hf_cache_dir
):
    small, large = pattern(3 * MIB, b"basic"), pattern(13 * MIB, b"multi")
    (tmp_path / "up").mkdir()
    (tmp_path / "up" / "small.bin").write_bytes(small)
    (tmp_path / "up" / "model.safetensors").write_bytes(large)
    api.upload_folder(repo_id=repo_id, folder_path=str(tmp_path / "up"))

    for name, data in (("small.bin", small), ("model.safetensors", large)):
        oid = hashlib.sha256(data).hexdigest()
        assert Blob.objects.get(pk=oid).size == len(data)
        assert s3_hub.exists(oid)
        path = api.hf_hub_download(repo_id, name, cache_dir=hf_cache_dir)
        assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == oid
    # Staging keys are gone once promoted; no multipart upload is left open.
    assert keys(s3_hub, "staging/") == []
    assert open_multipart_uploads(s3_hub) == []

    head = requests.head(
        f"{hub_url}/{repo_id}/resolve/main/model.safetensors",
        headers={"authorization": f"Bearer {api.token}"},
        timeout=10,
    )
    assert head.status_code == 302
    location = urlsplit(head.headers["Location"])
    # Presigned on the public endpoint, never the internal one.
    assert f"{location.scheme}://{location.netloc}" == moto_server.public_url
    assert head.headers["X-Linked-Size"] == str(len(large))
    assert head.headers["X-Linked-Etag"] == f'"{hashlib.sha256(large).hexdigest()}"'
    assert len(head.headers["X-Repo-Commit"]) == 40
    got = requests.get(head.headers["Location"], timeout=30)
    assert got.status_code == 200
    assert got.content == large
    assert got.headers["Content-Disposition"].startswith("attachment")
    ranged = requests.get(
        head.headers["Location"], headers={"Range": "bytes=8-15"}, timeout=30
    )
    assert ranged.status_code == 206 and ranged.content == large[8:16]


@pytest.fixture
def hf_cache_dir(tmp_path):
    return str(tmp_path / "hf-cache")


def test_batch_hands_out_presigned_urls_on_the_public_endpoint(
    s3_hub, hub_url, maya, repo_id, moto_server
):
    basic = _batch(hub_url, repo_id, "a" * 64, 2 * MIB, maya[1])
    href = urlsplit(basic["actions"]["upload"]["href"])
    assert f"{href.scheme}://{href.netloc}" == moto_server.public_url
    assert "X-Amz-Signature" in href.query
    multi = _batch(hub_url, repo_id, "b" * 64, 12 * MIB, maya[1])
    header = multi["actions"]["upload"]["header"]
    assert header["chunk_size"] == str(5 * MIB)
    parts = [urlsplit(header[str(n)]) for n in (1, 2, 3)]
    assert all(f"{p.scheme}://{p.netloc}" == moto_server.public_url for p in parts)
    assert "4" not in header
    # The completion is the hub's own endpoint: it verifies before storing.
    assert multi["actions"]["upload"]["href"].startswith(hub_url)


def test_direct_put_of_wrong_bytes_is_rejected_at_verify(
    s3_hub, hub_url, maya, repo_id
):
    data = pattern(2 * MIB, b"honest")
    oid = hashlib.sha256(data).hexdigest()
    answer = _batch(hub_url, repo_id, oid, len(data), maya[1])
    forged = pattern(len(data), b"forged")
    put = requests.put(answer["actions"]["upload"]["href"], data=forged, timeout=30)
    assert put.status_code == 200
    verify = _verify(hub_url, repo_id, oid, len(data), maya[1])
    assert verify.status_code in (400, 422), verify.text
    assert not Blob.objects.filter(pk=oid).exists()
    assert not s3_hub.exists(oid)
    assert keys(s3_hub, "staging/") == []
    # A commit naming the content is refused: nothing is referenceable.
    commit = requests.post(
        f"{hub_url}/api/models/{repo_id}/commit/main",
        data=(
            '{"key": "header", "value": {"summary": "sneak"}}\n'
            f'{{"key": "lfsFile", "value": {{"path": "x.bin", "algo": "sha256", '
            f'"oid": "{oid}", "size": {len(data)}}}}}\n'
        ),
        headers={
            "Content-Type": "application/x-ndjson",
            "authorization": f"Bearer {maya[1]}",
        },
        timeout=30,
    )
    assert commit.status_code >= 400


def test_verify_without_an_upload_is_not_found(s3_hub, hub_url, maya, repo_id):
    verify = _verify(hub_url, repo_id, "c" * 64, 10, maya[1])
    assert verify.status_code == 404


def test_multipart_with_wrong_bytes_is_rejected_at_completion(
    s3_hub, hub_url, maya, repo_id
):
    data = pattern(11 * MIB, b"honest")
    oid = hashlib.sha256(data).hexdigest()
    answer = _batch(hub_url, repo_id, oid, len(data), maya[1])
    header = answer["actions"]["upload"]["header"]
    chunk = int(header["chunk_size"])
    forged = bytearray(data)
    forged[-1] ^= 0xFF
    parts = []
    for number in (1, 2, 3):
        body = bytes(forged[(number - 1) * chunk : number * chunk])
        response = requests.put(header[str(number)], data=body, timeout=30)
        assert response.status_code == 200
        parts.append({"partNumber": number, "etag": response.headers["ETag"]})
    done = requests.post(
        answer["actions"]["upload"]["href"],
        json={"oid": oid, "parts": parts},
        headers=LFS_HEADERS,
        timeout=60,
    )
    assert done.status_code in (400, 422), done.text
    assert not Blob.objects.filter(pk=oid).exists()
    assert not s3_hub.exists(oid)
    assert keys(s3_hub, "staging/") == []
    assert open_multipart_uploads(s3_hub) == []


def test_quarantined_file_gets_no_presigned_url(s3_hub, hub_url, maya, jun):
    repo = make_repo(maya[0], "risky")
    commit = commit_files(repo, {"model.bin": b"\x80\x04 evil"}, author=maya[0])
    blob_quarantine(blob=commit.entries.get(path="model.bin").blob, reason="pickle")
    url = f"{hub_url}/{repo.full_name}/resolve/main/model.bin"
    for method in ("HEAD", "GET"):
        answer = requests.request(
            method,
            url,
            headers={"authorization": f"Bearer {jun[1]}"},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 403
        assert "Location" not in answer.headers


def test_file_still_being_checked_gets_no_presigned_url(s3_hub, hub_url, maya, jun):
    repo = make_repo(maya[0], "queued")
    commit_files(repo, {"model.bin": b"\x80\x04 evil"}, author=maya[0], checked=False)
    url = f"{hub_url}/{repo.full_name}/resolve/main/model.bin"
    for secret in (jun[1], None):
        answer = requests.get(
            url,
            headers={"authorization": f"Bearer {secret}"} if secret else {},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 403
        assert "Location" not in answer.headers
        assert "Retry-After" in answer.headers
    owner = requests.get(
        url,
        headers={"authorization": f"Bearer {maya[1]}"},
        allow_redirects=False,
        timeout=10,
    )
    assert owner.status_code == 302


def test_abandoned_direct_uploads_are_collected(s3_hub, hub_url, maya, repo_id):
    data = pattern(2 * MIB, b"left")
    answer = _batch(
        hub_url, repo_id, hashlib.sha256(data).hexdigest(), len(data), maya[1]
    )
    requests.put(answer["actions"]["upload"]["href"], data=data, timeout=30)
    _batch(hub_url, repo_id, "d" * 64, 12 * MIB, maya[1])  # multipart, never sent
    assert keys(s3_hub, "staging/") and open_multipart_uploads(s3_hub)
    # Young uploads are kept; once past the cut-off they go.
    upload_staging_collect()
    assert keys(s3_hub, "staging/") and open_multipart_uploads(s3_hub)
    upload_staging_collect(older_than_seconds=-60)
    assert keys(s3_hub, "staging/") == []
    assert open_multipart_uploads(s3_hub) == []


def test_blob_store_url_is_parsed_strictly():
    from django.core.exceptions import ImproperlyConfigured

    from hub.env import parse_blob_store_url

    assert parse_blob_store_url("s3://my-bucket/hub").prefix == "hub/"
    assert parse_blob_store_url("file:///srv/blobs").path == Path("/srv/blobs")
    for bad in ("s3://", "s3://UPPER", "file://relative/x", "gs://bucket", "/srv"):
        with pytest.raises(ImproperlyConfigured):
            parse_blob_store_url(bad)


def test_stranger_cannot_verify_someone_elses_staged_upload(
    s3_hub, hub_url, maya, jun, repo_id
):
    data = pattern(2 * MIB, b"mine")
    oid = hashlib.sha256(data).hexdigest()
    answer = _batch(hub_url, repo_id, oid, len(data), maya[1])
    requests.put(answer["actions"]["upload"]["href"], data=data, timeout=30)
    # jun's verify finds nothing of his own: maya's staged bytes stay hers.
    assert _verify(hub_url, repo_id, oid, len(data), jun[1]).status_code == 404
    assert _verify(hub_url, repo_id, oid, len(data), maya[1]).status_code == 200
    assert Blob.objects.get(pk=oid).claims.filter(user=maya[0]).exists()
    assert not Blob.objects.get(pk=oid).claims.filter(user=jun[0]).exists()


def test_store_is_chosen_by_setting(settings, db):
    from hub.storage.backends import LocalBlobStore
    from hub.storage.stores import raw_store

    settings.HUB_S3_BUCKET = ""
    store = raw_store()
    assert isinstance(store, LocalBlobStore)
    assert os.fspath(store.root) == os.fspath(settings.HUB_BLOB_ROOT)


def test_uploading_content_stored_by_someone_else_records_possession(
    s3_hub, hub_url, maya, jun, repo_id
):
    data = pattern(2 * MIB, b"shared")
    oid = hashlib.sha256(data).hexdigest()
    for token, repo in ((maya[1], repo_id), (jun[1], make_repo(jun[0], "j").full_name)):
        answer = _batch(hub_url, repo, oid, len(data), token)
        # Stored already, but jun never proved he holds it: he must send it.
        assert "actions" in answer
        put = requests.put(answer["actions"]["upload"]["href"], data=data, timeout=30)
        assert put.status_code == 200
        assert _verify(hub_url, repo, oid, len(data), token).status_code == 200
    blob = Blob.objects.get(pk=oid)
    assert set(blob.claims.values_list("user__username", flat=True)) == {"maya", "jun"}
    assert s3_hub.exists(oid)
    assert keys(s3_hub, "staging/") == []


def test_range_urls_sign_their_byte_range(s3_store):
    """A presigned xorb range serves those bytes only: S3 checks the Range
    header against the signature (moto does not check signatures, so the
    URL's signed headers are what is asserted here, then that it works)."""
    xorbs = s3_store.in_space(XORBS)
    key = "ab" * 32
    xorbs.client.put_object(
        Bucket=xorbs.bucket, Key=xorbs.key(key), Body=bytes(range(200))
    )
    url = xorbs.range_url(key, first=10, last=19)
    assert url is not None
    signed = parse_qs(urlsplit(url).query)["X-Amz-SignedHeaders"][0].split(";")
    assert "range" in signed
    got = requests.get(url, headers={"Range": "bytes=10-19"}, timeout=30)
    assert got.status_code == 206 and got.content == bytes(range(10, 20))
