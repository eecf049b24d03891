"""A client hanging up in the middle of a download or an upload.

On the streaming topology gunicorn's threads carry the bytes: a client that
goes away must free its thread (more hang-ups than the hub has threads, and
the hub still serves), leave nothing half-stored (an object cut short is
not stored: the LFS batch still asks for it) and cause no 5xx.
"""

from __future__ import annotations

import hashlib
import socket
from urllib.parse import urlsplit

import pytest
import requests

from tests.faults.test_web_worker_kill import nginx_requests, sha256_of
from tests.faults.topology import MIB, sparse_file

pytestmark = pytest.mark.faults_quick

SIZE = 32 * MIB
# More hang-ups than gunicorn has threads (2 processes x 8 threads).
HANGUPS = 20


def test_clients_hanging_up_mid_download_free_the_hub(streaming_topology, tmp_path):
    topo = streaming_topology
    api = topo.api("dee")
    token = topo.token("dee")
    repo_id = api.create_repo("dee/hangup-download").repo_id
    source = tmp_path / "weights.bin"
    oid = sparse_file(source, SIZE, b"hangup")
    api.upload_file(
        path_or_fileobj=str(source), path_in_repo="weights.bin", repo_id=repo_id
    )
    url = f"{topo.url}/{repo_id}/resolve/main/weights.bin"
    headers = {"authorization": f"Bearer {token}"}
    for _ in range(HANGUPS):
        answer = requests.get(url, headers=headers, stream=True, timeout=30)
        assert answer.status_code == 200
        assert len(answer.raw.read(MIB)) == MIB
        answer.close()  # mid-body: the connection is dropped
    # Every thread is free again: a whole download goes through.
    path = api.hf_hub_download(repo_id, "weights.bin", cache_dir=str(tmp_path / "c"))
    assert sha256_of(path) == oid
    served = nginx_requests(topo, f"/{repo_id}/resolve/")
    # nginx logs a body cut by its client with the status already sent.
    cut = [r for r in served if r["method"] == "GET" and r["bytes_sent"] < SIZE]
    assert len(cut) == HANGUPS, served
    assert not [r for r in served if r["status"] >= 500], served
    topo.assert_recovered()


def upload_action(topo, token: str, repo_id: str, oid: str, size: int) -> dict | None:
    """The LFS batch's upload action for an object; None when stored."""
    answer = requests.post(
        f"{topo.url}/{repo_id}.git/info/lfs/objects/batch",
        json={
            "operation": "upload",
            "transfers": ["basic"],
            "objects": [{"oid": oid, "size": size}],
            "hash_algo": "sha256",
        },
        headers={
            "authorization": f"Bearer {token}",
            "accept": "application/vnd.git-lfs+json",
            "content-type": "application/vnd.git-lfs+json",
        },
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    (obj,) = answer.json()["objects"]
    assert "error" not in obj, obj
    return (obj.get("actions") or {}).get("upload")


def put_part_and_hang_up(href: str, headers: dict, size: int, sent: int) -> None:
    """PUT announcing ``size`` bytes, send ``sent`` of them, close."""
    parts = urlsplit(href)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [
        f"PUT {target} HTTP/1.1",
        f"Host: {parts.netloc}",
        f"Content-Length: {size}",
        "Content-Type: application/octet-stream",
        *(f"{name}: {value}" for name, value in headers.items()),
        "",
        "",
    ]
    with socket.create_connection(
        (parts.hostname, parts.port or 80), timeout=30
    ) as sock:
        sock.sendall("\r\n".join(lines).encode())
        chunk = b"\0" * MIB
        for _ in range(sent // MIB):
            sock.sendall(chunk)


def test_an_upload_cut_by_the_client_stores_nothing_and_can_be_redone(
    streaming_topology, tmp_path
):
    topo = streaming_topology
    api = topo.api("dee")
    token = topo.token("dee")
    repo_id = api.create_repo("dee/hangup-upload").repo_id
    source = tmp_path / "weights.bin"
    oid = sparse_file(source, SIZE, b"cut upload")
    for _ in range(HANGUPS):
        action = upload_action(topo, token, repo_id, oid, SIZE)
        assert action is not None
        put_part_and_hang_up(
            action["href"], action.get("header") or {}, SIZE, SIZE // 2
        )
    # Not stored: the batch still asks for the object; no commit has it.
    assert upload_action(topo, token, repo_id, oid, SIZE) is not None
    assert "weights.bin" not in api.list_repo_files(repo_id)
    # The real client then uploads it whole.
    info = api.upload_file(
        path_or_fileobj=str(source), path_in_repo="weights.bin", repo_id=repo_id
    )
    assert upload_action(topo, token, repo_id, oid, SIZE) is None
    path = api.hf_hub_download(
        repo_id, "weights.bin", revision=info.oid, cache_dir=str(tmp_path / "c")
    )
    assert hashlib.sha256(open(path, "rb").read()).hexdigest() == oid  # noqa: SIM115
    served = nginx_requests(topo, f"/{repo_id}.git/info/lfs/objects/")
    assert not [r for r in served if r["status"] >= 500], served
    topo.assert_recovered()
