"""The request-cost benchmark runs end to end (at a tiny size), so it cannot rot.

It starts the hub as deployed (gunicorn, production settings, PostgreSQL,
Redis), the minimal Django baseline beside it, and times every series of
``resolve`` a few times. Its figures mean nothing at this size; the full run
is ``.venv/bin/python bench/request_cost.py`` (200 requests per series).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres  # the bench makes its own PostgreSQL database
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_request_cost_benchmark_times_resolve_beside_its_baselines():
    result = subprocess.run(
        [sys.executable, "bench/request_cost.py", "--requests", "3", "--no-nginx"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = result.stdout.splitlines()

    def line(label: str) -> str:
        return next(line for line in lines if line.strip().startswith(label + " "))

    for what in ("HEAD", "Range 8B"):
        for conn in ("new conn", "keep-alive"):
            assert "x django" in line(f"hub {what} {conn} anon public")
            assert line(f"django {what} {conn}")
    # Each series answers as its caller should be answered.
    assert " 200 " in line("hub HEAD new conn anon public")
    assert " 206 " in line("hub Range 8B new conn token private")
    assert " 404 " in line("hub HEAD new conn anon private")
    # The HF Hub answers an anonymous caller at a gate 401 (sign in first).
    assert " 401 " in line("hub Range 8B keep-alive anon gated")
