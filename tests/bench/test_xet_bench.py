"""The Xet benchmark runs end to end (at a tiny size), so it cannot rot.

It starts the hub as deployed (gunicorn, production settings, SQLite) and
moves a checkpoint through it with the stock client through Xet and through
LFS, fetches the reconstruction's xorb ranges, and uploads a fine-tune. Its
figures mean nothing at this size; the full run is
``.venv/bin/python bench/xet.py`` (1 GiB).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.skipif(shutil.which("curl") is None, reason="the bench needs curl")
def test_xet_benchmark_moves_checkpoints_through_xet_and_lfs():
    result = subprocess.run(
        [
            sys.executable,
            "bench/xet.py",
            "--size-mib",
            "2",
            "--repeat",
            "1",
            "--no-nginx",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = result.stdout.splitlines()
    for label in (
        "LFS path (client, HF_HUB_DISABLE_XET=1)",
        "Xet (client, default settings)",
        "xorb ranges of the reconstruction (curl)",
        "resolve URL, rebuilt by the hub (curl)",
        "hf_hub_download through Xet (client)",
    ):
        line = next(line for line in lines if label in line)
        assert "MB/s" in line, line
    assert any("base + fine-tune stored:" in line for line in lines)
    assert any("Xet upload (client, default settings)" in line for line in lines)
