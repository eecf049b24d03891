"""Figures of ``bench/load.py``: latency per request type, memory over time.

Pure functions over what the traffic driver (``bench/load_traffic.py``) and
the memory sampler recorded, and the printed tables.
"""

from __future__ import annotations

import statistics
from typing import Any

TYPES = (
    ("catalog", ("v1 list", "v1 search", "v1 facets", "hf /api/models")),
    ("downloads", ("resolve small", "resolve range 8 B")),
    ("pages", ("model page",)),
    ("commits", ("hf commit",)),
)
ALL_TYPES = tuple(name for _, names in TYPES for name in names)
# Measured alongside the mix, not part of it (bench/load_traffic.py Baseline).
BASELINE_PATHS = (
    ("baseline /healthz", "/healthz"),
    ("baseline nginx static", "/static/admin/css/base.css"),
)
GROUPS = ("gunicorn", "celery workers", "postgresql", "redis")
FLAT_GROWTH = 0.10

# Requests per 100 of each kind (the methods of
# bench/load_traffic.py's HubClient of the same name).
MIX = {
    "v1_list": 16,
    "v1_search": 18,
    "v1_facets": 16,
    "hf_models": 20,
    "resolve_small": 10,
    "resolve_range": 10,
    "model_page": 8,
    "commit": 2,
}


def schedule(mix: dict[str, int]) -> list[str]:
    """One cycle of ``sum(mix)`` requests, each kind spread evenly (smooth
    weighted round robin): any run of half a cycle holds every kind."""
    total = sum(mix.values())
    credit = dict.fromkeys(mix, 0)
    out = []
    for _ in range(total):
        for kind, weight in mix.items():
            credit[kind] += weight
        chosen = max(credit, key=lambda kind: credit[kind])
        credit[chosen] -= total
        out.append(chosen)
    return out


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of ``values``; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def latency_row(records: list[list[Any]], seconds: float) -> dict[str, Any]:
    """Count, rate, p50/p95/p99 (ms) and errors of some requests."""
    times = [r[2] for r in records]
    errors = [r[4] for r in records if not r[3]]
    return {
        "requests": len(records),
        "rate": len(records) / seconds if seconds else 0.0,
        "p50_ms": percentile(times, 0.50),
        "p95_ms": percentile(times, 0.95),
        "p99_ms": percentile(times, 0.99),
        "max_ms": max(times) if times else float("nan"),
        "errors": len(errors),
        "first_errors": sorted(set(errors))[:3],
    }


def step_summary(step: dict[str, Any]) -> dict[str, Any]:
    """Per type, per category and overall figures of one driver run."""
    seconds = step["wall_s"]
    records = [r for r in step["records"] if r[0] in ALL_TYPES]
    baseline = {
        name: latency_row([r for r in step["records"] if r[0] == name], seconds)
        for name, _ in BASELINE_PATHS
    }
    by_type = {
        name: latency_row([r for r in records if r[0] == name], seconds)
        for name in ALL_TYPES
    }
    by_category = {
        category: latency_row([r for r in records if r[0] in names], seconds)
        for category, names in TYPES
    }
    return {
        "target_rate": step["rate"],
        "users": step["users"],
        "seconds": seconds,
        "overall": latency_row(records, seconds),
        "types": by_type,
        "categories": by_category,
        "baseline": baseline,
        "driver_cpu_share": step["driver_cpu_s"] / seconds if seconds else 0.0,
    }


def step_passes(summary: dict[str, Any], target_p95_ms: float) -> bool:
    """p95 within target, no error, and the hub kept up with the rate."""
    overall = summary["overall"]
    return (
        overall["requests"] > 0
        and overall["errors"] == 0
        and overall["p95_ms"] <= target_p95_ms
        and overall["rate"] >= 0.9 * summary["target_rate"]
    )


def windows(step: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """The run cut in ``count`` equal windows: rate, p95, errors of each."""
    width = step["wall_s"] / count
    out = []
    for i in range(count):
        begin = step["started_at"] + i * width
        inside = [
            r
            for r in step["records"]
            if begin <= r[1] < begin + width and r[0] in ALL_TYPES
        ]
        row = latency_row(inside, width)
        out.append(
            {
                "from_s": round(i * width, 1),
                "rate": round(row["rate"], 1),
                "p95_ms": round(row["p95_ms"], 1),
                "errors": row["errors"],
            }
        )
    return out


def memory_verdict(
    samples: list[dict[str, Any]], begin: float, end: float, kind: str = "rss"
) -> dict[str, Any]:
    """Growth of each group's memory over ``[begin, end]`` after warm-up.

    Warm-up is the first 20% of the run. Of the samples after it (and the
    one taken as the run ended), the baseline is the median of the first
    quarter, the end the median of the last quarter.
    """
    after = [s for s in samples if s["t"] >= begin + 0.2 * (end - begin)]
    after = [s for s in after if s["t"] <= end] + [s for s in after if s["t"] > end][:1]
    quarter = max(1, len(after) // 4)
    out: dict[str, Any] = {"samples": len(after)}
    for group in (*GROUPS, "total"):
        series = [s[kind][group] for s in after]
        base = statistics.median(series[:quarter]) if series else float("nan")
        last = statistics.median(series[-quarter:]) if series else float("nan")
        growth = last / base - 1 if base else float("nan")
        out[group] = {
            "baseline_mib": base / 2**20,
            "end_mib": last / 2**20,
            "max_mib": (max(series) if series else float("nan")) / 2**20,
            "growth": growth,
            "flat": growth <= FLAT_GROWTH,
        }
    out["flat"] = all(out[group]["flat"] for group in (*GROUPS, "total"))
    return out


def cpu_shares(samples: list[dict[str, Any]], begin: float, end: float) -> dict:
    """Each group's CPU over ``[begin, end]``, as a share of one core."""
    inside = [s for s in samples if begin <= s["t"] <= end]
    if len(inside) < 2:
        return {}
    first, last = inside[0], inside[-1]
    wall = last["t"] - first["t"]
    return {
        group: max(0.0, last["cpu"][group] - first["cpu"][group]) / wall
        for group in last["cpu"]
    }


def log_table(summary: dict[str, Any], log: Any) -> None:
    header = (
        f"{'request type':<20} {'n':>6} {'req/s':>6} {'p50':>7} {'p95':>7} "
        f"{'p99':>7} {'max':>7} {'errors':>6}"
    )
    log(header)
    log("-" * len(header))

    def line(label: str, row: dict[str, Any]) -> None:
        log(
            f"{label:<20} {row['requests']:>6} {row['rate']:>6.1f} "
            f"{row['p50_ms']:>5.1f}ms {row['p95_ms']:>5.1f}ms {row['p99_ms']:>5.1f}ms "
            f"{row['max_ms']:>5.0f}ms {row['errors']:>6}"
        )
        for error in row["first_errors"]:
            log(f"    error: {error}")

    for category, names in TYPES:
        for name in names:
            line(name, summary["types"][name])
        line(f"= {category}", summary["categories"][category])
    line("= all", summary["overall"])
    log("baseline, same run (outside the mix):")
    for name, _ in BASELINE_PATHS:
        line(name.removeprefix("baseline "), summary["baseline"][name])
    floor = summary["baseline"][BASELINE_PATHS[0][0]]
    overall = summary["overall"]
    if floor["requests"]:
        log(
            f"ratio to /healthz under the same load: p50 "
            f"{overall['p50_ms'] / floor['p50_ms']:.1f}x, p95 "
            f"{overall['p95_ms'] / floor['p95_ms']:.1f}x"
        )


def log_memory(
    verdict: dict[str, Any], pss: dict[str, Any], cpu: dict[str, float], log: Any
) -> None:
    header = (
        f"{'process group':<16} {'RSS base':>9} {'end':>9} {'max':>9} "
        f"{'growth':>7} {'CPU':>6} | {'PSS base':>9} {'end':>9} {'growth':>7}"
    )
    log(header)
    log("-" * len(header))
    for group in (*GROUPS, "total"):
        row = verdict[group]
        share = cpu.get(group)
        log(
            f"{group:<16} {row['baseline_mib']:>6.0f}MiB {row['end_mib']:>6.0f}MiB "
            f"{row['max_mib']:>6.0f}MiB {row['growth']:>+6.1%} "
            + (f"{share:>5.0%}" if share is not None else f"{'':>6}")
            + f" | {pss[group]['baseline_mib']:>6.0f}MiB "
            f"{pss[group]['end_mib']:>6.0f}MiB {pss[group]['growth']:>+6.1%}"
        )
    for group in sorted(set(cpu) - {*GROUPS, "total"}):
        log(f"{group:<16} {'':>9} {'':>9} {'':>9} {'':>7} {cpu[group]:>5.0%}")


def memory_flat(rss: dict[str, Any], uss: dict[str, Any]) -> bool:
    """Flat after warm-up: every group's RSS, except PostgreSQL's, which is
    judged by its private memory (USS). A backend's RSS grows as it touches
    more of the shared buffers: a cache filled once up to shared_buffers,
    not memory the load keeps taking."""
    return all(
        (uss if group == "postgresql" else rss)[group]["flat"] for group in GROUPS
    )


def log_private_memory(uss: dict[str, Any], log: Any) -> None:
    log(
        "private memory (USS: pages no other process shares), base -> end: "
        + ", ".join(
            f"{group} {uss[group]['baseline_mib']:.0f} -> "
            f"{uss[group]['end_mib']:.0f} MiB ({uss[group]['growth']:+.1%})"
            for group in (*GROUPS, "total")
        )
    )
