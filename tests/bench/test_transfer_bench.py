"""The transfer benchmark runs end to end (at a tiny size), so it cannot rot.

It starts the hub as deployed (gunicorn, production settings, plain HTTP on
the loopback as behind nginx) and moves a file through it with curl and the
huggingface_hub client. Its figures mean nothing at this size; the full run
is ``.venv/bin/python bench/transfer.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(600)
@pytest.mark.skipif(shutil.which("curl") is None, reason="the bench needs curl")
def test_transfer_benchmark_moves_a_file_through_the_hub():
    result = subprocess.run(
        [
            sys.executable,
            "bench/transfer.py",
            "--size-mib",
            "0.25",
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
    report = result.stdout
    for label in (
        "upload: curl PUT to the signed basic href",
        "upload: huggingface_hub client",
        "download: curl GET resolve",
        "download: hf_hub_download (writes the cache)",
    ):
        line = next(line for line in report.splitlines() if label in line)
        assert "MB/s" in line, line
