"""The disk filling during an upload, on the deployed topology.

The local blob store (and so the LFS upload staging under it) lives on a
size-capped tmpfs mounted for the test (root only; skipped otherwise).
The real huggingface_hub client uploads through nginx while the disk
fills: it raises HfHubHTTPError 507 with the hub's message, nothing of
the upload is visible or left half-written, and once room is made the
same upload succeeds whole.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.faults.topology import (
    MIB,
    Topology,
    sparse_file,
    started_topology,
)
from tests.faults.verdicts import http_error, sha256_of

# Room for two stored 20 MiB files and an upload's parts plus its blob.
DISK_MIB = 72


@contextmanager
def small_disk(size_mib: int) -> Iterator[Path]:
    """A tmpfs of ``size_mib`` MiB, unmounted after."""
    folder = Path(tempfile.mkdtemp(prefix="mc-small-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mib}m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        folder.chmod(0o755)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()


def free_bytes(path: Path) -> int:
    stat = os.statvfs(path)
    return stat.f_bavail * stat.f_frsize


def fill_until(path: Path, free: int) -> Path:
    """Write a filler file until about ``free`` bytes are left."""
    filler = path / "filler"
    with open(filler, "ab") as out:
        while (left := free_bytes(path) - free) > 0:
            out.write(b"\0" * min(left, MIB))
            out.flush()
    return filler


@pytest.fixture(scope="module")
def on_small_disk():
    with small_disk(DISK_MIB) as disk:
        blobs = disk / "blobs"
        blobs.mkdir()
        env = {
            "HUB_BLOB_ROOT": str(blobs),
            # 5 MiB parts from 8 MiB on: a 20 MiB file is four parts.
            "HUB_LFS_MULTIPART_THRESHOLD_BYTES": str(8 * MIB),
            "HUB_LFS_MULTIPART_CHUNK_BYTES": str(5 * MIB),
        }
        with started_topology("--blob-store", "local", env=env) as topo:
            yield topo, disk


def api_for(topo: Topology):
    return topo.api("maya")


def leftovers(disk: Path) -> list[str]:
    """What the failed upload left: half-written blobs, staged parts."""
    return [
        str(p.relative_to(disk))
        for p in disk.rglob("*")
        if p.is_file()
        and (p.suffix in (".part", ".tmp") or "uploads" in p.relative_to(disk).parts)
    ]


@pytest.mark.parametrize(
    ("name", "free_mib"),
    [
        # The third part finds no room.
        ("parts", 12),
        # Every part fits, assembling them into the blob does not.
        ("assembly", 28),
    ],
)
def test_a_full_disk_fails_the_upload_with_a_507_and_commits_nothing(
    on_small_disk, tmp_path, name, free_mib
):
    topo, disk = on_small_disk
    api = api_for(topo)
    repo_id = str(api.create_repo(f"maya/full-{name}").repo_id)
    data = tmp_path / "weights.bin"
    oid = sparse_file(data, 20 * MIB, name.encode())
    filler = fill_until(disk, free_mib * MIB)
    try:
        with pytest.raises(RuntimeError, match="Error while uploading") as raised:
            api.upload_file(
                path_or_fileobj=str(data), path_in_repo="w.bin", repo_id=repo_id
            )
        error = http_error(raised.value)
        assert error.response.status_code == 507
        assert "The hub's storage is full" in str(error)
        assert set(api.list_repo_files(repo_id)) == {".gitattributes"}
        assert leftovers(disk) == []
    finally:
        filler.unlink()
    topo.assert_recovered()
    api.upload_file(path_or_fileobj=str(data), path_in_repo="w.bin", repo_id=repo_id)
    path = api.hf_hub_download(repo_id, "w.bin", cache_dir=str(tmp_path / "c"))
    assert sha256_of(path) == oid
    topo.assert_recovered()
