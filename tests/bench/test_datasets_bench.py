"""The dataset benchmark runs end to end (at a tiny size), so it cannot rot.

It writes a Parquet file, starts a throw-away hub with a validation worker,
uploads the file with the real client, times the viewer through HTTP and
``load_dataset(streaming=True)`` from the hub and from the local file. Its
figures mean little at this size; the full run is
``.venv/bin/python bench/datasets.py`` (2 GiB).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(600)
def test_dataset_benchmark_times_the_viewer_and_streaming():
    result = subprocess.run(
        [
            sys.executable,
            "bench/datasets.py",
            "--size-mib",
            "8",
            "--requests",
            "5",
            "--repeat",
            "1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = result.stdout
    assert re.search(
        r"Parquet file: [\d,]+ bytes, [\d,]+ rows in \d+ row groups", report
    )
    assert "commit -> first rows shown" in report
    counted = re.search(r"counted ranges\): ([\d,]+) = ", report)
    assert counted and int(counted.group(1).replace(",", "")) > 0
    assert "(NO ROWS)" not in report
    for page in ("/api/v1/datasets/ns/name", "/datasets/ns/name/viewer/<oid>"):
        line = next(x for x in report.splitlines() if x.strip().startswith(page))
        assert re.search(r"p95 +[\d.]+ ms .* ratio [\d.]+x", line), line
    assert re.search(r"ratio hub/local [\d.]+x", report)
