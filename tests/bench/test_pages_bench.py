"""The web page benchmark runs end to end (at a tiny size), so it cannot rot.

Its figures mean little at two requests per page; the full run is
``.venv/bin/python bench/pages.py`` (30 requests per page).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PAGES = (
    "home",
    "models",
    "models search+facets",
    "model page",
    "model page (owner)",
    "files",
    "file view (2k lines)",
    "history",
    "namespace",
    "organization",
    "tokens",
    "new repo",
    "upload",
    "discussions",
    "discussion",
    "pull request",
    "notifications",
    "leaderboard",
    "commit",
)


@pytest.mark.postgres  # the bench makes its own PostgreSQL database
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_pages_benchmark_serves_every_page_beside_its_sql():
    result = subprocess.run(
        [sys.executable, "bench/pages.py", "--requests", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for page in PAGES:
        assert f"\n{page:24} " in result.stdout, page
    assert "slowest request:" in result.stdout
