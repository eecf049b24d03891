"""Validation end to end: real client upload → real worker on Redis → verdicts.

Also the failure modes the job machinery exists for: a worker killed in the
middle of a run, and a broker that is down while commits happen.
"""

from __future__ import annotations

import json
import pickle
import shutil
import socket
import struct
import subprocess
import time

import pytest

from hub.core import dispatch
from hub.jobs.models import BlobVerdict, ValidationRun
from hub.jobs.services.reconcile import validation_runs_reconcile
from tests.e2e.conftest import wait_for
from tests.workers.validators import corpus

# GLOBAL 'os system' + a shell command + REDUCE: what a malicious
# pytorch_model.bin looks like. Nothing in the hub ever unpickles it.
EVIL_PICKLE = (
    b"\x80\x02cos\nsystem\nq\x00X\x0b\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03."
)


def safetensors_bytes() -> bytes:
    header = json.dumps(
        {"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}
    ).encode()
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + b"\0" * 24


def finished(repo_id: str, revision: str = "main"):
    def check():
        runs = ValidationRun.objects.filter(
            commit__repo__name=repo_id.split("/")[1],
            commit__oid=_head(repo_id, revision),
        )
        return runs.exists() and not runs.filter(status__in=["queued", "running"])

    return check


def _head(repo_id: str, revision: str) -> str:
    from hub.catalog.models import Ref

    ns, name = repo_id.split("/")
    return Ref.objects.get(
        repo__namespace__name=ns, repo__name=name, name=revision
    ).commit.oid


@pytest.mark.slow
def test_upload_is_validated_by_a_worker_and_unsafe_files_are_quarantined(
    api, maya, jun, hub_url, start_worker, hf_cache
):
    from huggingface_hub import HfApi, hf_hub_download
    from huggingface_hub.errors import GatedRepoError

    worker = start_worker(queues=["validation"])
    repo_id = "maya/checked"
    api.create_repo(repo_id)
    api.upload_file(
        path_or_fileobj=safetensors_bytes(),
        path_in_repo="model.safetensors",
        repo_id=repo_id,
    )
    api.upload_file(
        path_or_fileobj=EVIL_PICKLE, path_in_repo="pytorch_model.bin", repo_id=repo_id
    )
    try:
        wait_for(finished(repo_id), timeout=90)
    except AssertionError:
        runs = list(ValidationRun.objects.values("path", "status", "attempts", "log"))
        raise AssertionError(f"{runs}\n{worker.log()[-3000:]}") from None
    worker.assert_alive()

    info = api.model_info(repo_id, securityStatus=True)
    status = info.security_repo_status
    assert status["scansDone"] is True
    assert status["state"] == "failure"
    (issue,) = [
        i for i in status["filesWithIssues"] if i["path"] == "pytorch_model.bin"
    ]
    assert issue["level"] == "quarantine"
    assert any("os.system" in m or "system" in m for m in issue["messages"])
    assert api.model_info(repo_id).safetensors.total == 6

    stranger = HfApi(endpoint=hub_url, token=jun[1])
    with pytest.raises(GatedRepoError) as caught:
        hf_hub_download(
            repo_id,
            "pytorch_model.bin",
            endpoint=hub_url,
            token=jun[1],
            cache_dir=hf_cache,
        )
    assert caught.value.response.status_code == 403
    assert "quarantined" in str(caught.value)
    # The maintainer can still fetch it to see what was flagged.
    path = hf_hub_download(
        repo_id,
        "pytorch_model.bin",
        endpoint=hub_url,
        token=maya[1],
        cache_dir=hf_cache + "-owner",
    )
    with open(path, "rb") as handle:
        assert handle.read() == EVIL_PICKLE
    assert stranger.file_exists(repo_id, "model.safetensors")


@pytest.mark.slow
def test_pull_request_with_a_quarantined_file_cannot_be_merged(
    api, maya, jun, hub_url, start_worker
):
    from huggingface_hub import CommitOperationAdd, HfApi
    from huggingface_hub.errors import HfHubHTTPError

    start_worker(queues=["validation"])
    repo_id = "maya/guarded"
    api.create_repo(repo_id)
    contributor = HfApi(endpoint=hub_url, token=jun[1])
    pr = contributor.create_commit(
        repo_id,
        operations=[CommitOperationAdd("pytorch_model.bin", EVIL_PICKLE)],
        commit_message="Add weights",
        create_pr=True,
    )
    wait_for(finished(repo_id, f"refs/pr/{pr.pr_num}"), timeout=60)
    with pytest.raises(HfHubHTTPError) as caught:
        api.merge_pull_request(repo_id, pr.pr_num)
    assert caught.value.response.status_code in (409, 422)
    assert "pytorch_model.bin" in str(caught.value)
    assert "pytorch_model.bin" not in api.list_repo_files(repo_id)


def _torch_zip_running(command_target: str) -> bytes:
    """A torch.save checkpoint whose data.pkl calls posix.system."""
    import io

    import torch

    out = io.BytesIO()
    torch.save({"w": torch.zeros(2)}, out)
    return corpus.replace_member(
        out.getvalue(), "archive/data.pkl", corpus.posix_system(command_target)
    )


@pytest.mark.slow
def test_polyglot_and_lying_weights_are_quarantined_for_strangers(
    api, maya, jun, hub_url, start_worker, hf_cache, tmp_path
):
    """One format must not mask another, and malformed weights are not
    served: safetensors carrying a torch zip at its end, a pickle that
    starts with GGUF's magic, a safetensors header of 2**63 bytes."""
    from huggingface_hub import CommitOperationAdd, hf_hub_download
    from huggingface_hub.errors import GatedRepoError

    canary = tmp_path / "canary"
    hostile = {
        "model.safetensors": corpus.safetensors_around_zip(
            _torch_zip_running(str(canary))
        ),
        "model.gguf": corpus.gguf_binfloat(str(canary)),
        "shard-2.safetensors": corpus.safetensors_bytes(b"{}", length=2**63),
    }
    expected = {
        "model.safetensors": "format.polyglot",
        "model.gguf": "pickle.dangerous_import",
        "shard-2.safetensors": "safetensors.header_too_large",
    }
    start_worker(queues=["validation"])
    repo_id = "maya/polyglots"
    api.create_repo(repo_id)
    api.create_commit(
        repo_id,
        operations=[CommitOperationAdd(p, data) for p, data in hostile.items()],
        commit_message="Add weights",
    )
    wait_for(finished(repo_id), timeout=90)

    for path, code in expected.items():
        run = ValidationRun.objects.get(path=path, commit__oid=_head(repo_id, "main"))
        assert run.verdict == "quarantine", (path, run.findings)
        assert code in [finding["code"] for finding in run.findings]
        with pytest.raises(GatedRepoError) as caught:
            hf_hub_download(
                repo_id, path, endpoint=hub_url, token=jun[1], cache_dir=hf_cache
            )
        assert caught.value.response.status_code == 403
        assert "quarantined" in str(caught.value)
        # Maintainers can still download, to fix the file.
        owned = hf_hub_download(
            repo_id,
            path,
            endpoint=hub_url,
            token=maya[1],
            cache_dir=hf_cache + "-owner",
        )
        with open(owned, "rb") as handle:
            assert handle.read() == hostile[path]
    assert not canary.exists()


def slow_pickle() -> bytes:
    """A harmless but long pickle: millions of opcodes take seconds to scan."""
    return pickle.dumps(list(range(3_000_000)), protocol=2)


@pytest.mark.slow
def test_run_of_a_killed_worker_completes_once_after_restart(
    api, maya, start_worker, settings
):
    repo_id = "maya/killed"
    api.create_repo(repo_id)
    first = start_worker(queues=["validation"])
    api.upload_file(
        path_or_fileobj=slow_pickle(), path_in_repo="data.pkl", repo_id=repo_id
    )
    try:
        run = wait_for(
            lambda: ValidationRun.objects.filter(
                path="data.pkl", status=ValidationRun.Status.RUNNING
            ).first(),
            timeout=60,
            interval=0.05,
        )
    except AssertionError:
        raise AssertionError(
            str(
                list(
                    ValidationRun.objects.values(
                        "path", "status", "verdict", "findings"
                    )
                )
            )
            + first.log()[-3000:]
        ) from None
    first.kill()
    time.sleep(0.5)
    run.refresh_from_db()
    assert run.status == ValidationRun.Status.RUNNING  # nobody finished it

    second = start_worker(queues=["validation"])
    counts = validation_runs_reconcile(queued_after_seconds=3600, stale_after_seconds=0)
    assert counts["requeued"] == 1
    wait_for(lambda: ValidationRun.objects.get(pk=run.pk).is_finished, timeout=120)
    run.refresh_from_db()
    second.assert_alive()
    assert run.status == ValidationRun.Status.SUCCEEDED
    assert run.attempts == 2
    assert BlobVerdict.objects.filter(blob_id=run.blob_id).count() == 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of this test's own, so it can be stopped and restarted."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is needed (the machine's Redis package)"
    port = free_port()
    procs: list[subprocess.Popen] = []

    def start() -> None:
        procs.append(
            subprocess.Popen(
                [
                    binary,
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(tmp_path),
                ],
                stdout=subprocess.DEVNULL,
            )
        )
        wait_for(lambda: _pingable(port), timeout=10, interval=0.05)

    def stop() -> None:
        procs[-1].terminate()
        procs[-1].wait(timeout=10)

    start()
    yield f"redis://127.0.0.1:{port}/0", start, stop
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()


def _pingable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.slow
def test_commits_succeed_while_the_broker_is_down_and_runs_complete_after(
    api, maya, start_worker, private_redis, settings
):
    broker_url, start_redis, stop_redis = private_redis
    settings.CELERY_BROKER_URL = broker_url
    dispatch._client.cache_clear()
    try:
        repo_id = "maya/brokerless"
        api.create_repo(repo_id)
        stop_redis()
        api.upload_file(
            path_or_fileobj=safetensors_bytes(),
            path_in_repo="model.safetensors",
            repo_id=repo_id,
        )
        queued = ValidationRun.objects.filter(commit__oid=_head(repo_id, "main"))
        assert queued.exists()
        assert all(r.status == ValidationRun.Status.QUEUED for r in queued)

        start_redis()
        dispatch._client.cache_clear()
        start_worker(queues=["validation"], CELERY_BROKER_URL=broker_url)
        counts = validation_runs_reconcile(queued_after_seconds=0)
        assert counts["resent"] >= 1
        wait_for(finished(repo_id), timeout=60)
        assert all(r.status == ValidationRun.Status.SUCCEEDED for r in queued.all())
    finally:
        dispatch._client.cache_clear()
