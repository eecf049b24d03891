"""What every fault test asserts after its fault: the hub is whole.

* ``manage.py hub_fsck --invariants --json`` reports no problem (every ref,
  tree entry, blob, run and counter holds; ``--invariants`` where the
  checker has it);
* ``/readyz`` answers 200;
* a repo's files at main are exactly the expected ones, each with the
  expected bytes (the user sees the whole commit or nothing).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

from tests.faults.topology import ROOT, Topology, wait_for

FINAL = ("succeeded", "failed", "errored")


def _manage_env(topo: Topology) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HUB_", "PYTEST", "DJANGO"))
        and k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
    }
    return {**env, **topo.env, "DJANGO_SETTINGS_MODULE": "hub.settings"}


@cache
def _fsck_has_invariants() -> bool:
    # Accepted by the invariant checker's branch (issue 17); plain fsck before.
    found = subprocess.run(
        [sys.executable, "manage.py", "hub_fsck", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        timeout=120,
    )
    return "--invariants" in found.stdout


def fsck(topo: Topology) -> dict:
    """The invariant checker's JSON report on this topology."""
    args = ["hub_fsck", "--json", "--grace-seconds", "3600"]
    if _fsck_has_invariants():
        args.append("--invariants")
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_manage_env(topo),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stdout.strip(), result.stderr
    return json.loads(result.stdout)


def assert_hub_whole(topo: Topology) -> None:
    """fsck green and /readyz 200 (waiting a little for readiness)."""
    wait_for(lambda: topo.readyz()[0] == 200, 60, "/readyz to answer 200")
    report = fsck(topo)
    assert report["ok"], json.dumps(report["findings"], indent=1)


def runs_final(topo: Topology) -> bool:
    rows = topo.sql("SELECT status FROM jobs_validationrun")
    return bool(rows) and all(status in FINAL for (status,) in rows)


def wait_runs_final(topo: Topology, timeout: float = 120) -> None:
    wait_for(lambda: runs_final(topo), timeout, "every validation run final", 0.5)


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(8 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def http_error(exc: BaseException):
    """The HfHubHTTPError behind what the client raised: upload_file wraps
    the error of an LFS transfer in ``RuntimeError("Error while uploading
    …")``, raised from it."""
    from huggingface_hub.errors import HfHubHTTPError

    seen: BaseException | None = exc
    while seen is not None and not isinstance(seen, HfHubHTTPError):
        seen = seen.__cause__
    assert seen is not None, f"not an HTTP error: {exc!r}"
    return seen
