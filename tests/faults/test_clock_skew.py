"""A worker's clock skewed by minutes, on the deployed topology.

One Celery worker of the topology is replaced by the same command under
libfaketime (Debian's ``faketime`` package, LD_PRELOAD): the validation
worker ten minutes behind, or the default worker (which runs the
reconciler) ten minutes ahead. Every S3 read of a stored blob is held 6 s
by the fault proxy, so each check runs for longer than this topology's
stale-run limit (10 s) is swept (every 2 s). Each run must still finish
once, on its first attempt: a skewed clock must not make a healthy run
look dead (nor a dead one look alive).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.faults.s3proxy import Fault, proxied_topology
from tests.faults.topology import (
    MIB,
    ROOT,
    Topology,
    sparse_file,
    wait_for,
)
from tests.faults.verdicts import FINAL, sha256_of, wait_runs_final

LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")

pytestmark = [
    pytest.mark.skipif(
        not LIBFAKETIME.exists(),
        reason="libfaketime is not installed (apt-get install faketime)",
    ),
]

QUEUES = {"worker-validation": ("validation", "2"), "worker-default": ("default", "1")}


@pytest.fixture(scope="module")
def proxied():
    with proxied_topology() as (topo, proxy):
        yield topo, proxy


def skewed_env(topo: Topology, offset: str) -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HUB_", "AWS_", "PROMETHEUS_", "PYTEST", "DJANGO"))
        and k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY")
    }
    return {
        **keep,
        **topo.env,
        "DJANGO_SETTINGS_MODULE": "hub.settings",
        "PYTHONUNBUFFERED": "1",
        "LD_PRELOAD": str(LIBFAKETIME),
        "FAKETIME": offset,
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
    }


def start_skewed(topo: Topology, service: str, offset: str) -> subprocess.Popen:
    """Hold the topology's ``service`` and run the same worker under faketime."""
    topo.ctl("stop", service)
    queue, concurrency = QUEUES[service]
    celery = str(Path(sys.executable).parent / "celery")
    log = open(topo.state / "logs" / f"{service}-skewed.log", "ab")  # noqa: SIM115
    worker = subprocess.Popen(
        [
            celery,
            "-A",
            "workers",
            "worker",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "-n",
            f"{queue}-skewed@%h",
            "-c",
            concurrency,
        ],
        cwd=ROOT,
        env=skewed_env(topo, offset),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    logfile = topo.state / "logs" / f"{service}-skewed.log"
    wait_for(lambda: b" ready." in logfile.read_bytes(), 90, f"skewed {service}")
    return worker


def test_libfaketime_skews_this_interpreter(proxied):
    """The skew is real: the venv's Python under the same environment reads a
    wall clock ten minutes behind."""
    topo, _ = proxied
    seen = subprocess.run(
        [sys.executable, "-c", "import time; print(time.time())"],
        env=skewed_env(topo, "-10m"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert abs(float(seen.stdout) - time.time() + 600) < 30


@pytest.mark.parametrize(
    ("service", "offset"),
    [("worker-validation", "-10m"), ("worker-default", "+10m")],
)
def test_a_skewed_worker_clock_kills_no_healthy_run(proxied, tmp_path, service, offset):
    topo, proxy = proxied
    api = topo.api("maya")
    name = f"skew-{service}-{offset[0] == '+'}"
    repo_id = str(api.create_repo(f"maya/{name}").repo_id)
    # The checks of the repo's first commit end before the worker is swapped
    # (stopping a worker mid-check is another fault).
    wait_runs_final(topo)
    (last_run,) = topo.sql("SELECT coalesce(max(id), 0) FROM jobs_validationrun")[0]
    worker = start_skewed(topo, service, offset)
    proxy.clear()
    # Each check of the repo's files reads the blob from S3: held 6 s.
    reads = proxy.arm(Fault(stall=6, method="GET", path="/blobs/", side="hub"))
    try:
        data = tmp_path / "weights.bin"
        oid = sparse_file(data, 6 * MIB, name.encode())
        api.upload_file(
            path_or_fileobj=str(data), path_in_repo="w.bin", repo_id=repo_id
        )

        def runs() -> list[tuple]:
            return topo.sql(
                "SELECT kind, path, status, attempts, log FROM jobs_validationrun "
                "WHERE id > %s",
                last_run,
            )

        wait_for(
            lambda: runs() and all(row[2] in FINAL for row in runs()),
            180,
            "the checks to finish",
            0.5,
        )
        assert reads.hits >= 1
        found = runs()
        assert all(status != "errored" for _, _, status, _, _ in found), found
        # Reused verdicts (the parent's .gitattributes) took no attempt.
        assert all(attempts <= 1 for _, _, _, attempts, _ in found), found
    finally:
        proxy.clear()
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
        topo.ctl("start", service)
    path = api.hf_hub_download(repo_id, "w.bin", cache_dir=str(tmp_path / "c"))
    assert sha256_of(path) == oid
    topo.assert_recovered()
