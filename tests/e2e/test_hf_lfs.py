"""Git LFS uploads over real HTTP (hf-protocol.md 2.14 and section 7).

The first tests speak the protocol by hand, request for request as
huggingface_hub 2.4.0 sends it (lfs.py: batch, PUT with no Authorization,
parts, completion with the LFS content type, verify with auth); the last
ones drive the real client through preupload, LFS and commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.core.signals import request_started

from hub.storage.models import Blob
from hub.storage.services import blob_claim, blob_quarantine, blob_upload_bytes
from tests.factories import make_repo

MIB = 1024 * 1024
LFS_HEADERS = {
    "Accept": "application/vnd.git-lfs+json",
    "Content-Type": "application/vnd.git-lfs+json",
}


def stored_files() -> list[str]:
    root = django_settings.HUB_BLOB_ROOT
    return sorted(
        os.path.relpath(os.path.join(d, f), root)
        for d, _, files in os.walk(root)
        for f in files
    )


def batch(
    hub_url: str,
    repo_id: str,
    objects: list[tuple[str, int]],
    *,
    token: str | None,
    transfers: tuple[str, ...] = ("basic", "multipart"),
    ref: str | None = "main",
    operation: str = "upload",
    accept: str | None = None,
) -> requests.Response:
    """POST the batch request exactly as lfs.post_lfs_batch_info builds it."""
    payload: dict = {
        "operation": operation,
        "transfers": list(transfers),
        "objects": [{"oid": oid, "size": size} for oid, size in objects],
        "hash_algo": "sha256",
    }
    if ref is not None:
        payload["ref"] = {"name": ref}
    headers = dict(LFS_HEADERS)
    if accept:
        headers["Accept"] = accept
    if token:
        headers["authorization"] = f"Bearer {token}"
    return requests.post(
        f"{hub_url}/{repo_id}.git/info/lfs/objects/batch",
        json=payload,
        headers=headers,
        timeout=60,
    )


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def repo_id(maya) -> str:
    repo = make_repo(maya[0], "weights")
    return repo.full_name


@pytest.fixture
def small_lfs(settings):
    """LFS from 1 MiB, multipart from 3 MiB in 1 MiB parts: MBs, not GBs."""
    settings.HUB_INLINE_UPLOAD_MAX_BYTES = MIB
    settings.HUB_LFS_MULTIPART_THRESHOLD_BYTES = 3 * MIB
    settings.HUB_LFS_MULTIPART_CHUNK_BYTES = MIB


# Batch API ------------------------------------------------------------------


def test_batch_answers_a_self_authenticating_put_url(hub_url, maya, repo_id):
    data = os.urandom(200_000)
    response = batch(hub_url, repo_id, [(sha(data), len(data))], token=maya[1])
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/vnd.git-lfs+json"
    body = response.json()
    assert body["transfer"] == "basic"
    (obj,) = body["objects"]
    assert (obj["oid"], obj["size"]) == (sha(data), len(data))
    upload = obj["actions"]["upload"]
    assert "header" not in upload  # basic: the client would otherwise do multipart
    href = upload["href"]
    assert href.startswith(hub_url + "/")  # absolute, built from the Host used

    put = requests.put(href, data=data, timeout=60)  # no Authorization header
    assert put.status_code == 200, put.text
    assert Blob.objects.get(pk=sha(data)).size == len(data)

    verify = requests.post(
        obj["actions"]["verify"]["href"],
        json={"oid": sha(data), "size": len(data)},
        headers={"authorization": f"Bearer {maya[1]}"},
        timeout=60,
    )
    assert verify.status_code == 200, verify.text


def test_object_the_caller_uploaded_gets_no_actions(hub_url, maya, repo_id):
    blob = blob_upload_bytes(data=b"already stored")
    blob_claim(blob=blob, user_id=maya[0].pk)
    response = batch(hub_url, repo_id, [(blob.sha256, blob.size)], token=maya[1])
    assert response.status_code == 200
    (obj,) = response.json()["objects"]
    # Omitted, never null: the client does .get("actions", {}).get("upload").
    assert obj == {"oid": blob.sha256, "size": blob.size}


def test_object_stored_for_someone_else_must_be_uploaded_again(
    hub_url, maya, jun, repo_id
):
    """Knowing a digest does not reveal nor grant another user's private file."""
    blob = blob_upload_bytes(data=b"somebody else's private weights")
    blob_claim(blob=blob, user_id=jun[0].pk)
    response = batch(hub_url, repo_id, [(blob.sha256, blob.size)], token=maya[1])
    (obj,) = response.json()["objects"]
    assert "upload" in obj["actions"]


def test_commit_cannot_reference_content_the_author_never_uploaded(
    api, hub_url, maya, jun, repo_id
):
    blob = blob_upload_bytes(data=b"x" * 2048)
    blob_claim(blob=blob, user_id=jun[0].pk)
    lines = [
        {"key": "header", "value": {"summary": "steal", "description": ""}},
        {
            "key": "lfsFile",
            "value": {"path": "stolen.bin", "algo": "sha256", "oid": blob.sha256},
        },
    ]
    response = requests.post(
        f"{hub_url}/api/models/{repo_id}/commit/main",
        data="\n".join(json.dumps(line) for line in lines),
        headers={
            "Authorization": f"Bearer {maya[1]}",
            "Content-Type": "application/x-ndjson",
        },
    )
    assert response.status_code == 400
    assert "was not uploaded" in response.json()["error"]
    assert "stolen.bin" not in api.list_repo_files(repo_id)


def test_quarantined_object_is_a_per_object_error(hub_url, maya, repo_id):
    blob = blob_quarantine(blob=blob_upload_bytes(data=b"unsafe"), reason="scan")
    blob_claim(blob=blob, user_id=maya[0].pk)
    response = batch(hub_url, repo_id, [(blob.sha256, blob.size)], token=maya[1])
    assert response.status_code == 200
    (obj,) = response.json()["objects"]
    assert obj["error"]["code"] == 422
    assert "quarantined" in obj["error"]["message"]
    assert "actions" not in obj


def test_invalid_oid_is_a_per_object_error(hub_url, maya, repo_id):
    response = batch(hub_url, repo_id, [("not-a-digest", 5)], token=maya[1])
    assert response.status_code == 200
    (obj,) = response.json()["objects"]
    assert obj["error"]["code"] == 422


def test_batch_answers_lfs_json_whatever_accept_says(hub_url, maya, repo_id):
    response = batch(
        hub_url, repo_id, [("a" * 64, 3)], token=maya[1], accept="text/plain"
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/vnd.git-lfs+json"


def test_xet_offer_is_answered_with_lfs(hub_url, maya, repo_id, small_lfs):
    """0.3x clients offer xet; answering basic/multipart keeps them on LFS."""
    response = batch(
        hub_url,
        repo_id,
        [("b" * 64, 4 * MIB)],
        token=maya[1],
        transfers=("basic", "multipart", "xet"),
    )
    assert response.status_code == 200
    assert response.json()["transfer"] == "multipart"
    only_xet = batch(
        hub_url, repo_id, [("b" * 64, 10)], token=maya[1], transfers=("xet",)
    )
    assert only_xet.status_code == 400
    assert "basic" in only_xet.json()["error"]


def test_download_batch_points_at_resolve(hub_url, maya, repo_id):
    response = batch(
        hub_url, repo_id, [("c" * 64, 3)], token=maya[1], operation="download"
    )
    assert response.status_code == 200
    (obj,) = response.json()["objects"]
    assert obj["error"]["code"] == 404
    assert "/resolve/" in obj["error"]["message"]


def test_batch_requires_a_token(hub_url, repo_id):
    response = batch(hub_url, repo_id, [("d" * 64, 3)], token=None)
    assert response.status_code == 401


def test_reader_cannot_upload_to_a_branch(hub_url, jun, repo_id):
    response = batch(hub_url, repo_id, [("e" * 64, 3)], token=jun[1], ref="main")
    assert response.status_code == 403
    assert "pull request" in response.headers["X-Error-Message"]


@pytest.mark.parametrize("ref", [None, "refs/pr/1"])
def test_reader_may_upload_for_a_pull_request(hub_url, jun, repo_id, ref):
    response = batch(hub_url, repo_id, [("f" * 64, 3)], token=jun[1], ref=ref)
    assert response.status_code == 200, response.text
    assert "actions" in response.json()["objects"][0]


def test_read_token_cannot_upload(hub_url, maya, repo_id):
    from hub.accounts.services import token_create

    _, read_secret = token_create(user=maya[0], name="ro", scope="read")
    response = batch(hub_url, repo_id, [("1" * 64, 3)], token=read_secret, ref=None)
    assert response.status_code == 403
    assert "read-only" in response.headers["X-Error-Message"]


def test_private_repo_of_someone_else_is_not_found(hub_url, maya, jun):
    repo = make_repo(maya[0], "secret", is_private=True)
    response = batch(hub_url, repo.full_name, [("2" * 64, 3)], token=jun[1], ref=None)
    assert response.status_code == 404
    assert response.headers["X-Error-Code"] == "RepoNotFound"


def test_malformed_batch_is_a_400(hub_url, maya, repo_id):
    response = requests.post(
        f"{hub_url}/{repo_id}.git/info/lfs/objects/batch",
        data=b"{not json",
        headers={**LFS_HEADERS, "authorization": f"Bearer {maya[1]}"},
        timeout=60,
    )
    assert response.status_code == 400
    assert response.json()["error"]


# Basic PUT ------------------------------------------------------------------


def upload_href(hub_url, token, repo_id, data: bytes) -> str:
    response = batch(hub_url, repo_id, [(sha(data), len(data))], token=token)
    return response.json()["objects"][0]["actions"]["upload"]["href"]


def test_put_of_wrong_bytes_is_refused_and_leaves_nothing(hub_url, maya, repo_id):
    before = stored_files()
    data = os.urandom(100_000)
    href = upload_href(hub_url, maya[1], repo_id, data)
    put = requests.put(href, data=os.urandom(len(data)), timeout=60)
    assert put.status_code == 400
    assert "SHA-256" in put.json()["error"]
    assert stored_files() == before
    assert not Blob.objects.filter(pk=sha(data)).exists()


def test_put_of_wrong_size_is_refused(hub_url, maya, repo_id):
    before = stored_files()
    data = os.urandom(1000)
    href = upload_href(hub_url, maya[1], repo_id, data)
    put = requests.put(href, data=data[:-1], timeout=60)
    assert put.status_code == 400
    assert stored_files() == before


def test_put_with_a_forged_signature_is_forbidden(hub_url, maya, repo_id):
    before = stored_files()
    data = os.urandom(1000)
    href = upload_href(hub_url, maya[1], repo_id, data)
    forged = href[:-3] + ("AAA" if not href.endswith("AAA") else "BBB")
    assert requests.put(forged, data=data, timeout=60).status_code == 403
    # A valid signature for one object does not authorize another.
    other = os.urandom(1000)
    elsewhere = href.replace(sha(data), sha(other))
    assert requests.put(elsewhere, data=other, timeout=60).status_code == 403
    assert stored_files() == before


def test_put_with_an_expired_url_is_forbidden(hub_url, maya, repo_id, settings):
    settings.HUB_LFS_UPLOAD_URL_TTL_SECONDS = -1
    data = os.urandom(1000)
    href = upload_href(hub_url, maya[1], repo_id, data)
    put = requests.put(href, data=data, timeout=60)
    assert put.status_code == 403
    assert "expired" in put.json()["error"]


# Multipart ------------------------------------------------------------------


def multipart_actions(hub_url, token, repo_id, data: bytes) -> dict:
    response = batch(hub_url, repo_id, [(sha(data), len(data))], token=token)
    assert response.status_code == 200, response.text
    assert response.json()["transfer"] == "multipart"
    return response.json()["objects"][0]["actions"]


def put_parts(header: dict, data: bytes) -> list[dict]:
    chunk = int(header["chunk_size"])
    numbers = sorted(int(k) for k in header if k.isdigit())
    parts = []
    for number in numbers:
        body = data[(number - 1) * chunk : number * chunk]
        response = requests.put(header[str(number)], data=body, timeout=60)
        assert response.status_code == 200, response.text
        assert response.headers["ETag"]
        parts.append({"partNumber": number, "etag": response.headers["ETag"]})
    return parts


def test_multipart_upload_as_the_client_sends_it(hub_url, maya, repo_id, small_lfs):
    before = stored_files()
    data = os.urandom(3 * MIB + 5000)
    actions = multipart_actions(hub_url, maya[1], repo_id, data)
    header = actions["upload"]["header"]
    assert header["chunk_size"] == str(MIB)
    assert sorted(k for k in header if k.isdigit()) == ["1", "2", "3", "4"]
    parts = put_parts(header, data)
    done = requests.post(
        actions["upload"]["href"],
        json={"oid": sha(data), "parts": parts},
        headers=LFS_HEADERS,  # no Authorization
        timeout=60,
    )
    assert done.status_code == 200, done.text
    assert Blob.objects.get(pk=sha(data)).size == len(data)
    new = set(stored_files()) - set(before)
    assert new == {f"{sha(data)[:2]}/{sha(data)[2:4]}/{sha(data)}"}


def test_multipart_completion_with_a_missing_part_leaves_nothing(
    hub_url, maya, repo_id, small_lfs
):
    before = stored_files()
    data = os.urandom(4 * MIB)
    actions = multipart_actions(hub_url, maya[1], repo_id, data)
    parts = put_parts(actions["upload"]["header"], data)
    done = requests.post(
        actions["upload"]["href"],
        json={"oid": sha(data), "parts": parts[:-1]},
        headers=LFS_HEADERS,
        timeout=60,
    )
    assert done.status_code == 400
    assert "missing parts 4" in done.json()["error"]
    assert stored_files() == before


def test_multipart_part_of_wrong_size_is_refused(hub_url, maya, repo_id, small_lfs):
    data = os.urandom(4 * MIB)
    actions = multipart_actions(hub_url, maya[1], repo_id, data)
    put = requests.put(actions["upload"]["header"]["1"], data=data[:100], timeout=60)
    assert put.status_code == 400


def test_part_url_cannot_be_reused_for_another_part(hub_url, maya, repo_id, small_lfs):
    data = os.urandom(4 * MIB)
    header = multipart_actions(hub_url, maya[1], repo_id, data)["upload"]["header"]
    sig = urlsplit(header["1"]).query
    part_two = header["2"].split("?")[0] + "?" + sig
    put = requests.put(part_two, data=data[MIB : 2 * MIB], timeout=60)
    assert put.status_code == 403


# The real client ------------------------------------------------------------


class RequestLog:
    """Every request the live server starts, as (method, path)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def __call__(self, sender, environ=None, **kwargs) -> None:
        if environ is not None:
            self.seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))

    def lfs_puts(self) -> list[str]:
        return [p for m, p in self.seen if m == "PUT" and "/info/lfs/" in p]


@pytest.fixture
def request_log():
    log = RequestLog()
    request_started.connect(log)
    yield log
    request_started.disconnect(log)


def write_random(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        remaining = size
        while remaining:
            block = os.urandom(min(remaining, MIB))
            digest.update(block)
            out.write(block)
            remaining -= len(block)
    return digest.hexdigest()


def test_client_uploads_a_large_file_with_a_basic_put(
    api, repo_id, small_lfs, tmp_path, request_log, hf_cache
):
    path = tmp_path / "model.bin"
    digest = write_random(path, 2 * MIB + 7)
    api.upload_file(
        path_or_fileobj=str(path), path_in_repo="model.bin", repo_id=repo_id
    )
    puts = request_log.lfs_puts()
    assert len(puts) == 1
    assert "/parts/" not in puts[0]
    assert Blob.objects.get(pk=digest).size == 2 * MIB + 7
    local = api.hf_hub_download(repo_id, "model.bin", cache_dir=hf_cache)
    assert hashlib.sha256(Path(local).read_bytes()).hexdigest() == digest


def test_client_uploads_a_larger_file_in_parts(
    api, repo_id, small_lfs, tmp_path, request_log
):
    path = tmp_path / "big.safetensors"
    digest = write_random(path, 5 * MIB + 3)
    api.upload_file(
        path_or_fileobj=str(path), path_in_repo="big.safetensors", repo_id=repo_id
    )
    puts = request_log.lfs_puts()
    assert len(puts) == 6
    assert all("/parts/" in p for p in puts)
    assert Blob.objects.get(pk=digest).size == 5 * MIB + 3
    info = api.model_info(repo_id, files_metadata=True)
    (sibling,) = [s for s in info.siblings if s.rfilename == "big.safetensors"]
    assert sibling.lfs is not None
    assert sibling.lfs.sha256 == digest


def test_client_does_not_reupload_stored_content(
    api, hub_url, maya, repo_id, small_lfs, tmp_path, request_log
):
    path = tmp_path / "a.bin"
    digest = write_random(path, 2 * MIB)
    api.upload_file(path_or_fileobj=str(path), path_in_repo="a.bin", repo_id=repo_id)
    assert len(request_log.lfs_puts()) == 1
    answer = batch(hub_url, repo_id, [(digest, 2 * MIB)], token=maya[1])
    assert "actions" not in answer.json()["objects"][0]
    # Same bytes under another name: the batch skips it, nothing is PUT.
    api.upload_file(path_or_fileobj=str(path), path_in_repo="copy.bin", repo_id=repo_id)
    assert len(request_log.lfs_puts()) == 1
    files = set(api.list_repo_files(repo_id))
    assert {"a.bin", "copy.bin"} <= files


def test_reader_opens_a_pull_request_with_a_large_file(
    hub_url, jun, repo_id, small_lfs, tmp_path
):
    from huggingface_hub import HfApi

    path = tmp_path / "proposal.bin"
    digest = write_random(path, 2 * MIB)
    info = HfApi(endpoint=hub_url, token=jun[1]).upload_file(
        path_or_fileobj=str(path),
        path_in_repo="proposal.bin",
        repo_id=repo_id,
        create_pr=True,
    )
    assert info.pr_num is not None
    assert Blob.objects.get(pk=digest).size == 2 * MIB


@pytest.mark.slow
@pytest.mark.parametrize("transfer", ["basic", "multipart"])
def test_server_memory_stays_flat_during_a_200mb_upload(
    api, repo_id, small_lfs, settings, tmp_path, transfer
):
    import psutil

    if transfer == "basic":
        settings.HUB_LFS_MULTIPART_THRESHOLD_BYTES = 1024 * MIB

    path = tmp_path / "huge.bin"
    size = 200 * MIB
    write_random(path, size)
    process = psutil.Process()
    baseline = process.memory_info().rss
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        # Both ends run in this process (live_server is in-process), so the
        # bound covers the client's own buffers too.
        api.upload_file(
            path_or_fileobj=str(path), path_in_repo="huge.bin", repo_id=repo_id
        )
    finally:
        done.set()
        sampler.join()
    growth = (peak - baseline) / MIB
    assert growth < 50, f"RSS grew by {growth:.1f} MiB during a 200 MiB upload"
