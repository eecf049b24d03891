"""Helpers the fault tests of S3, disk, clock and resume faults share.

After each fault a test calls ``topology.assert_recovered()`` (the
mechanism's: /readyz 200, ``hub_fsck --invariants`` green) and checks
what the user sees with these.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.faults.topology import Topology, wait_for

FINAL = ("succeeded", "failed", "errored")


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
