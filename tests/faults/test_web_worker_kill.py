"""kill -9 of the gunicorn worker carrying a download or an upload.

On the streaming topology (local blobs, no X-Accel) a gunicorn worker
sends every downloaded byte and receives every uploaded one. The worker in
the middle of the transfer (the one holding the blob, or its staging file,
open) is SIGKILLed; gunicorn's master starts another. The real HF client
must end with the whole file (it resumes a cut download with a Range
request, retries a failed upload) or a clear error and nothing committed.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from huggingface_hub.errors import HfHubHTTPError
from tqdm.auto import tqdm

from tests.faults.topology import MIB, Topology, holder, sparse_file, wait_for

SIZE = 48 * MIB


class SlowBar(tqdm):
    """A progress bar that makes the client read slowly (it is told after
    each chunk): the download stays in flight long enough to be cut."""

    def update(self, n: float | None = 1) -> bool | None:
        time.sleep(0.15)
        return super().update(n)


def in_background(call) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def kill_worker_holding(topo: Topology, match, what: str) -> int:
    """SIGKILL the gunicorn worker holding open a path ``match`` accepts;
    wait for the master to replace it."""
    victim = wait_for(
        lambda: holder(topo.children("web"), match), 60, f"a worker {what}", 0.01
    )
    os.kill(victim, signal.SIGKILL)
    wait_for(
        lambda: victim not in topo.children("web") and len(topo.children("web")) == 2,
        60,
        "gunicorn to replace the killed worker",
    )
    return victim


def nginx_requests(topo: Topology, path_part: str) -> list[dict]:
    lines = (topo.state / "logs" / "nginx.log").read_text().splitlines()
    found = []
    for line in lines:
        if path_part not in line or not line.startswith("{"):
            continue
        found.append(json.loads(line))
    return found


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(8 * MIB):
            digest.update(chunk)
    return digest.hexdigest()


@pytest.mark.faults_quick
def test_a_download_cut_by_a_killed_worker_resumes_to_the_whole_file(
    streaming_topology, tmp_path
):
    topo = streaming_topology
    api = topo.api("cai")
    repo_id = api.create_repo("cai/kill-download").repo_id
    source = tmp_path / "weights.bin"
    oid = sparse_file(source, SIZE, b"download")
    api.upload_file(
        path_or_fileobj=str(source), path_in_repo="weights.bin", repo_id=repo_id
    )
    blob = str(topo.state / "blobs" / oid[:2] / oid[2:4] / oid)

    thread, outcome = in_background(
        lambda: api.hf_hub_download(
            repo_id,
            "weights.bin",
            cache_dir=str(tmp_path / "cache"),
            tqdm_class=SlowBar,
        )
    )
    kill_worker_holding(topo, lambda path: path == blob, "sending the blob")
    thread.join(timeout=240)
    assert not thread.is_alive(), "the download hung"
    assert "error" not in outcome, repr(outcome.get("error"))
    assert sha256_of(outcome["result"]) == oid
    # It was cut: nginx logged a GET that sent less than the file; the client
    # then fetched the rest again (a Range request, or the whole file).
    gets = [
        r
        for r in nginx_requests(topo, f"/{repo_id}/resolve/main/weights.bin")
        if r["method"] == "GET"
    ]
    assert len(gets) >= 2 and gets[0]["bytes_sent"] < SIZE, gets
    assert gets[-1]["status"] in (200, 206), gets
    topo.assert_recovered()


def test_an_upload_cut_by_a_killed_worker_is_retried_or_refused_whole(
    streaming_topology, tmp_path
):
    topo = streaming_topology
    api = topo.api("cai")
    repo_id = api.create_repo("cai/kill-upload").repo_id
    before = [c.commit_id for c in api.list_repo_commits(repo_id)]
    source = tmp_path / "weights.bin"
    oid = sparse_file(source, 6 * SIZE, b"upload")
    staging = str(topo.state / "blobs" / "tmp") + "/"

    thread, outcome = in_background(
        lambda: api.upload_file(
            path_or_fileobj=str(source), path_in_repo="weights.bin", repo_id=repo_id
        )
    )
    kill_worker_holding(
        topo, lambda path: path.startswith(staging), "receiving the upload"
    )
    thread.join(timeout=300)
    assert not thread.is_alive(), "the upload hung"
    commits = [c.commit_id for c in api.list_repo_commits(repo_id)]
    if "error" in outcome:
        # Nothing: a clear HTTP error and the branch where it was.
        error = outcome["error"]
        assert isinstance(error, HfHubHTTPError), repr(error)
        assert commits == before
    else:
        # Everything: the commit, with the whole file.
        assert commits[0] == outcome["result"].oid and commits[1:] == before
        path = api.hf_hub_download(
            repo_id, "weights.bin", cache_dir=str(tmp_path / "cache")
        )
        assert sha256_of(path) == oid
    topo.assert_recovered()
