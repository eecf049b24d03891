"""The evaluation benchmark runs end to end (the tiny GPT-2 only), so it
cannot rot. The full run, with all-MiniLM-L6-v2, is
``.venv/bin/python bench/eval.py``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres  # the bench's hub runs on its own PostgreSQL database
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_eval_benchmark_measures_the_sandbox_and_commit_to_result():
    result = subprocess.run(
        [sys.executable, "bench/eval.py", "--tiny"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=540,
        # A Redis database of its own: other benches use 11.
        env={**os.environ, "BENCH_REDIS": "redis://127.0.0.1:6379/12"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = result.stdout
    assert re.search(r"tiny GPT-2 \(causal_lm\): [\d,]+ tokens/s vs baseline", report)
    assert re.search(r"tiny-lm: [\d.]+ s from upload start", report), report[-2000:]
