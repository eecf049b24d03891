"""The blob-write benchmark runs end to end (at a tiny size), so it cannot
rot. The full run is ``.venv/bin/python bench/run.py`` (512 MiB)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_blob_write_benchmark_reports_the_store_against_its_baseline():
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--size-mib", "4"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    ratio = re.search(r"ratio \(store / baseline\)\s+: ([\d.]+)x", result.stdout)
    assert ratio is not None, result.stdout
    peak = re.search(r"peak Python memory\s+: ([\d.]+) MiB", result.stdout)
    # Streamed: the peak stays near one chunk whatever the file's size.
    assert peak is not None and float(peak.group(1)) < 4, result.stdout
