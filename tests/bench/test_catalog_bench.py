"""The catalog benchmark runs end to end (at a tiny size), so it cannot rot.

Its figures mean nothing at this size; the full run is
``.venv/bin/python bench/catalog.py`` (100,000 models).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres  # the bench makes its own PostgreSQL database
@pytest.mark.timeout(600)
def test_catalog_benchmark_measures_every_scenario_against_its_sql():
    result = subprocess.run(
        [
            sys.executable,
            "bench/catalog.py",
            "--models",
            "5000",
            "--requests",
            "4",
            "--concurrency",
            "1,2",
            "--time-limit",
            "10",
            "--hf-walk",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = result.stdout + result.stderr
    table = report[report.index("/api/v1/models at 5000 models") :]
    for scenario in (
        "default list",
        "text search",
        "rare-word search",
        "similar-name search",
        "3-facet filter",
        "sort by trending",
        "trending, page 50",
        "trending, in ties",
        "sort by downloads",
        "facet counts",
        "facet counts, cold",
        "facets, cold, filtered",
        "web /models",
        "web /models, 2 facets",
    ):
        web = scenario.startswith("web")
        callers = ["anonymous"] if web else ["anonymous", "token"]
        for caller in callers:
            assert f"{scenario:<22} {caller:<9}" in table, (scenario, caller)
    assert "c=1: p95 <= 30 ms in" in table
    assert "c=2: p95 <= 30 ms in" in table
    assert "MISSED: no request finished" not in table
    # HF list_models: keyset pages timed by depth against the OFFSET query,
    # and a whole walk with the real client (no model twice).
    hf = report[report.index("HF /api/models (list_models) page of 100 by depth") :]
    for sort in ("trendingScore", "createdAt"):
        assert f"{sort:<14} {0:>9}" in hf
    assert "list_models() walk of the whole catalog (5000 models)" in hf
    assert "ms per page of 100, by tenth of the walk" in hf
