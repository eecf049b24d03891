"""The validation benchmark runs end to end (at a tiny size), so it cannot rot.

Its figures mean nothing at this size; the full run is
``.venv/bin/python bench/validation.py``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(900)
def test_validation_benchmark_measures_checks_and_commit_to_verdict():
    result = subprocess.run(
        [
            sys.executable,
            "bench/validation.py",
            "--runs",
            "1",
            "--zip-mb",
            "5",
            "--s3-mb",
            "0",
            "--latency-runs",
            "1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=840,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = result.stdout
    assert "ratio scan / read" in report
    for hub in ("embedded (SQLite, filesystem broker)", "PostgreSQL + Redis"):
        line = next(line for line in report.splitlines() if hub in line)
        assert "p95" in line, line
