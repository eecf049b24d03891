"""A full disk is the store's own error (507), and leaves nothing behind.

The local store's root is a 2 MiB tmpfs mounted for the test (root only;
skipped where mounting is not allowed).
"""

from __future__ import annotations

import hashlib
import io
import subprocess

import pytest

from hub.storage.backends import LocalBlobStore
from hub.storage.store import StoreFullError


@pytest.fixture
def small_root(tmp_path):
    root = tmp_path / "small"
    root.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(root)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    yield root
    subprocess.run(["umount", "-l", str(root)], check=False)


def test_a_write_that_fills_the_disk_is_store_full_and_leaves_no_file(small_root):
    store = LocalBlobStore(small_root)
    data = b"\1" * (3 * 1024 * 1024)

    with pytest.raises(StoreFullError) as raised:
        store.write(
            io.BytesIO(data),
            expected_sha256=hashlib.sha256(data).hexdigest(),
            expected_size=len(data),
        )

    assert raised.value.http_status == 507
    assert "storage is full" in raised.value.message
    assert [p for p in small_root.rglob("*") if p.is_file()] == []
    small = store.write(io.BytesIO(b"fits"))
    assert store.exists(small.sha256)
