"""The load benchmark runs end to end (at a tiny size), so it cannot rot.

It starts the deployed topology (``deploy/local/up``: nginx, gunicorn,
Celery, its own PostgreSQL and Redis), seeds 50 models (10 with files),
drives the whole mix at a fixed 10 requests/s for 9 seconds (no step
search) and samples memory. Its figures mean nothing at this size; the full
run is ``.venv/bin/python bench/load.py`` (a step search, then ten minutes).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX_MISSING = not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists())


@pytest.mark.timeout(300)
@pytest.mark.skipif(NGINX_MISSING, reason="the deployed topology needs nginx")
def test_load_benchmark_drives_every_request_type_and_samples_memory(tmp_path):
    figures = tmp_path / "load.json"
    result = subprocess.run(
        [
            sys.executable,
            "bench/load.py",
            "--minutes",
            "0.15",
            "--models",
            "50",
            "--with-files",
            "10",
            "--rate",
            "10",
            "--json",
            str(figures),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(figures.read_text())
    types = report["confirmation"]["types"]
    # ~90 requests of a schedule whose first 21 hold every kind.
    for name in (
        "v1 list",
        "v1 search",
        "v1 facets",
        "hf /api/models",
        "resolve small",
        "resolve range 8 B",
        "model page",
        "hf commit",
    ):
        assert types[name]["requests"] > 0, (name, result.stdout[-3000:])
        assert types[name]["errors"] == 0, (name, types[name]["first_errors"])
    assert report["confirmation"]["overall"]["errors"] == 0
    series = report["rss_series"]
    assert len(series) >= 3
    for group in ("gunicorn", "celery workers", "postgresql", "redis"):
        assert all(sample["rss"][group] > 0 for sample in series), group
        assert group in report["memory"]
    assert "RSS flat after warm-up (growth <= 10%):" in result.stdout
    assert "memory flat after warm-up" in result.stdout
    assert all(sample["uss"]["postgresql"] > 0 for sample in series)
    assert isinstance(report["memory_flat"], bool)
    assert "p50" in result.stdout and "locust (driver)" in result.stdout


def _samples(values: list[int]) -> list[dict]:
    groups = ("gunicorn", "celery workers", "postgresql", "redis", "total")
    return [
        {"t": float(t), "rss": dict.fromkeys(groups, value)}
        for t, value in enumerate(values)
    ]


def test_memory_verdict_flags_growth_after_warm_up_only():
    from bench.load_report import memory_verdict

    # A climb during the warm-up (first 20%), then flat: flat.
    warm = memory_verdict(_samples([50] * 2 + [100] * 18), 0, 19)
    assert warm["flat"] and abs(warm["total"]["growth"]) < 0.01
    # 100 -> 120 after the warm-up: 20% growth, not flat.
    leak = memory_verdict(_samples([100] * 10 + [120] * 10), 0, 19)
    assert not leak["flat"]
    assert abs(leak["gunicorn"]["growth"] - 0.20) < 0.01


def test_postgresql_is_judged_by_private_memory_and_the_hub_by_rss():
    from bench.load_report import memory_flat, memory_verdict

    def verdict(kind_values: dict[str, list[int]], kind: str) -> dict:
        samples = [
            {"t": float(t), kind: {g: v[t] for g, v in kind_values.items()}}
            for t in range(20)
        ]
        return memory_verdict(samples, 0, 19, kind)

    flat, grows = [100] * 20, [100] * 10 + [130] * 10
    others = {"gunicorn": flat, "celery workers": flat, "redis": flat}
    # PostgreSQL's RSS grows (its shared buffers fill), its private pages don't.
    rss = verdict({**others, "postgresql": grows, "total": flat}, "rss")
    uss = verdict({**others, "postgresql": flat, "total": flat}, "uss")
    assert not rss["flat"] and memory_flat(rss, uss)
    # Its private memory grows: not flat.
    uss_leak = verdict({**others, "postgresql": grows, "total": flat}, "uss")
    assert not memory_flat(rss, uss_leak)
    # A hub process's RSS grows: not flat, whatever its private memory says.
    rss_hub = verdict(
        {**others, "gunicorn": grows, "postgresql": flat, "total": flat}, "rss"
    )
    assert not memory_flat(rss_hub, uss)


def test_traffic_schedule_holds_the_mix_and_every_kind_in_half_a_cycle():
    from bench.load_report import MIX, schedule

    cycle = schedule(MIX)
    assert len(cycle) == 100
    for kind, weight in MIX.items():
        assert cycle.count(kind) == weight
    assert set(cycle[:21]) == set(MIX)  # a measured run starts at the top
    twice = cycle + cycle
    for start in range(len(cycle)):
        assert set(twice[start : start + 50]) == set(MIX)
