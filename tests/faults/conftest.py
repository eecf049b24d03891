"""The fault suite's mechanism: which fault tests run, and one topology.

Every test under tests/faults is marked ``faults`` and runs on the deployed
topology of ``deploy/local/up`` (skipped where nginx is not installed).
``HUB_FAULTS`` chooses how much runs:

* unset or ``quick`` (CI, ``scripts/run-tests.sh``): only the tests marked
  ``faults_quick``, on one shared topology;
* ``full`` (``scripts/run-faults.sh``): every fault test;
* ``off``: none.

The session fixtures ``topology`` (blobs in S3, as shipped) and
``streaming_topology`` (local blobs served by gunicorn itself) are each one
topology shared by the tests that ask for it (started at the first, taken
down at the end of the session); a test whose fault needs a topology of its
own (a capped disk, a skewed clock) starts one with
``started_topology(...)`` in a module fixture. Run the fault tests in one
pytest process (``-n 0``, as scripts/run-faults.sh and CI do): under xdist
each worker would start its own topologies and run faults side by side.

After its fault a test calls ``topology.assert_recovered()``: /readyz
answers 200 and ``hub_fsck --invariants`` is green.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.faults.topology import NGINX_MISSING, started_topology

HERE = Path(__file__).resolve().parent
MODES = ("quick", "full", "off")
NO_NGINX = "nginx is not installed (scripts/run-faults.sh installs it)"
FULL_ONLY = "in the full fault suite only: scripts/run-faults.sh (HUB_FAULTS=full)"


def faults_mode() -> str:
    mode = os.environ.get("HUB_FAULTS", "") or "quick"
    if mode not in MODES:
        raise pytest.UsageError(f"HUB_FAULTS={mode!r}: one of {', '.join(MODES)}")
    return mode


def _is_fault_test(item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_itemcollected(item) -> None:
    if _is_fault_test(item):
        item.add_marker(pytest.mark.faults)


def pytest_collection_modifyitems(config, items) -> None:
    mode = faults_mode()
    for item in items:
        if not _is_fault_test(item):
            continue
        if NGINX_MISSING:
            item.add_marker(pytest.mark.skip(reason=NO_NGINX))
        elif mode == "off":
            item.add_marker(pytest.mark.skip(reason="HUB_FAULTS=off"))
        elif mode == "quick" and "faults_quick" not in item.keywords:
            item.add_marker(pytest.mark.skip(reason=FULL_ONLY))


@pytest.fixture(scope="session")
def topology():
    """The deployed topology as shipped (blobs in S3: uploads and downloads
    go to S3 directly, on presigned URLs), shared by the session."""
    with started_topology() as topo:
        yield topo


@pytest.fixture(scope="session")
def streaming_topology():
    """The topology with a local blob store and no X-Accel: gunicorn's
    workers carry every upload and download byte (LFS PUTs, resolve GETs),
    so killing one or hanging up on it hits a transfer; shared by the
    session."""
    with started_topology(
        "--blob-store", "local", env={"HUB_BLOB_ACCEL_REDIRECT_PREFIX": ""}
    ) as topo:
        yield topo


@pytest.fixture(autouse=True)
def _hf_without_xet(monkeypatch):
    """The HF client talks the plain LFS protocol to the topology (the hub's
    Xet path has tests of its own)."""
    from huggingface_hub import constants

    monkeypatch.setenv("HF_HUB_DISABLE_XET", "1")
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True)
