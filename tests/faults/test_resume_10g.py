"""A 10 GB upload interrupted at 90% and resumed, on the deployed topology.

The real huggingface_hub client uploads one file in a subprocess (LFS
multipart through the hub, or Xet with hf_xet) to a topology on the local
blob store; once the hub has received 90% of the bytes the client is
SIGKILLed. In between, the repo shows nothing of the file, /readyz is 200
and the invariant checker is green. The same upload is then run again to
completion: the commit is whole (the checker rehashes every stored byte),
and the test prints how many bytes the resume sent again, as the hub
counted them (``hub_upload_bytes_total``).

Full suite only: ``MC_RESUME_GIB`` (default 10) sets the size; the data is
sparse for LFS and generated (incompressible, never repeated) for Xet,
which would otherwise dedup zeros; every file is removed after.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.faults.topology import (
    MIB,
    Topology,
    sparse_file,
    started_topology,
    wait_for,
)
from tests.faults.verdicts import sha256_of, wait_runs_final

GIB = 1024 * MIB
SIZE = int(float(os.environ.get("MC_RESUME_GIB", "10")) * GIB)
# MC_RESUME_FRESH_CACHE=1: the resume starts without the client's cache
# (another machine), so only what the hub offers can spare bytes.
FRESH_CACHE = os.environ.get("MC_RESUME_FRESH_CACHE") == "1"


CLIENT = """
import sys
from huggingface_hub import HfApi
endpoint, token, path, repo_id = sys.argv[1:5]
HfApi(endpoint=endpoint, token=token).upload_file(
    path_or_fileobj=path, path_in_repo="big.bin", repo_id=repo_id
)
"""


@pytest.fixture(scope="module")
def local_topology():
    env = {"HUB_LFS_MULTIPART_THRESHOLD_BYTES": str(64 * MIB)}
    with started_topology("--blob-store", "local", env=env) as topo:
        yield topo


def received(topo: Topology, via: str) -> float:
    """Bytes the hub has received and verified through ``via`` so far."""
    text = requests.get(f"{topo.url}/metrics", timeout=30).text
    pattern = rf'^hub_upload_bytes_total\{{via="{via}"\}} (\S+)$'
    match = re.search(pattern, text, re.MULTILINE)
    return float(match[1]) if match else 0.0


def generated_file(path: Path, size: int) -> str:
    """``size`` incompressible bytes that never repeat; their sha256."""
    block = 64 * MIB
    with open(path, "wb") as out:
        for number in range(0, size, block):
            out.write(random.Random(number).randbytes(min(block, size - number)))
    return sha256_of(path)


def client(topo: Topology, token: str, path: Path, repo_id: str, home: Path, xet: bool):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    env["HF_HOME"] = str(home)
    if not xet:
        env["HF_HUB_DISABLE_XET"] = "1"
    return subprocess.Popen(
        [sys.executable, "-c", CLIENT, topo.url, token, str(path), repo_id],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


# 10 GB through the hub twice, and every byte rehashed by the checker.
@pytest.mark.timeout(3 * 3600)
@pytest.mark.parametrize("transfer", ["lfs", "xet"])
def test_an_upload_killed_at_90_percent_resumes_whole(
    local_topology, tmp_path, transfer
):
    if transfer == "xet":
        pytest.importorskip("hf_xet")
    from huggingface_hub.hf_api import RepoFile

    topo = local_topology
    xet = transfer == "xet"
    via = "xet" if xet else "hub"
    token = topo.token("maya")
    api = topo.api("maya")
    repo_id = str(api.create_repo(f"maya/resume-{transfer}").repo_id)
    data = tmp_path / "big.bin"
    home = tmp_path / "hf-home"
    started = time.monotonic()
    try:
        oid = (
            generated_file(data, SIZE)
            if xet
            else sparse_file(data, SIZE, f"resume {transfer}".encode())
        )
        made = time.monotonic() - started

        before = received(topo, via)
        first = client(topo, token, data, repo_id, home, xet)
        wait_for(
            lambda: (
                received(topo, via) - before >= 0.9 * SIZE or first.poll() is not None
            ),
            3600,
            "90% of the upload",
            0.05,
        )
        assert first.poll() is None, first.communicate()[0][-3000:]
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        cut_at = received(topo, via) - before

        # In between: nothing of the file is visible, the hub is whole.
        assert "big.bin" not in api.list_repo_files(repo_id)
        topo.assert_recovered()

        resume_from = received(topo, via)
        if FRESH_CACHE:  # resumed from elsewhere: the client's cache is gone
            shutil.rmtree(home, ignore_errors=True)
        second = client(topo, token, data, repo_id, home, xet)
        output = second.communicate(timeout=3600)[0]
        assert second.returncode == 0, output[-3000:]
        resent = received(topo, via) - resume_from

        info = api.get_paths_info(repo_id, ["big.bin"])[0]
        assert isinstance(info, RepoFile) and info.size == SIZE
        assert info.lfs is not None and info.lfs.sha256 == oid
        wait_runs_final(topo, timeout=1800)
        topo.assert_recovered()
        print(
            f"\n[resume] {transfer}{' (fresh client cache)' if FRESH_CACHE else ''}: "
            f"{SIZE / GIB:.1f} GiB file (made in {made:.0f} s); "
            f"killed after the hub received {cut_at / GIB:.2f} GiB; "
            f"the resume sent {resent / GIB:.2f} GiB again "
            f"({resent / SIZE:.0%} of the file); "
            f"total {time.monotonic() - started:.0f} s",
            flush=True,
        )
    finally:
        data.unlink(missing_ok=True)
        shutil.rmtree(home, ignore_errors=True)
        # The repo's bytes are not needed by the other case: free the disk.
        api.delete_repo(repo_id, missing_ok=True)
        topo.manage("hub_gc", "--apply", "--grace-seconds", "0")
