"""Sustained mixed load: ``.venv/bin/python bench/load.py [--minutes 10]``.

Issue 17: the highest rate of mixed traffic the deployed hub serves on this
machine with p95 <= 150 ms and no error, held for ten minutes with flat
memory.

1. Starts the deployed topology (``deploy/local/up`` in a fresh state
   directory): nginx, gunicorn (deploy/gunicorn.conf.py), Celery workers and
   beat, its own PostgreSQL and Redis. Blobs on the local store by default
   (``--blob-store local``): downloads then leave through nginx's
   X-Accel-Redirect, the path of a one-machine deployment. With
   ``--blob-store s3`` the S3 server is moto, a test double on the same two
   cores, so resolve answers are the hub's redirects, not followed.
   The per-address rate limits are raised: one loopback address stands for
   every client here. Evaluations are off (HUB_EVAL_ENABLED=false): the
   seeded checkpoints would queue hundreds of them, outside the mix.
2. Seeds ``--models`` models (bench/load_seed.py: bench/catalog.py's bulk
   catalog, real commits with a card, config and weights for the
   ``--with-files`` most downloaded, the checks run by the deployed workers).
3. Drives the mix of bench/load_traffic.py with locust (FastHttpUser, a few
   requests/s per user, constant-throughput pacing): 70% catalog and search,
   20% downloads (small files, 8-byte Range GETs), 8% model pages, 2%
   commits. A step search of ``--step-seconds`` steps (x1.5 while a step
   passes, then halving the gap) finds the highest rate whose step has p95 <=
   ``--p95-ms``, no error and the rate achieved; ``--rate`` skips the
   search. Then a confirmation run at that rate for ``--minutes``.
   Baseline, same run, outside the mix: /healthz (a Django view with no
   SQL, through nginx and gunicorn) and nginx serving a static file, once
   a second each; every figure is printed beside their latency under the
   same load (the cores are shared with whatever else runs).
4. Samples the RSS and CPU of gunicorn (master and workers), the Celery
   workers, PostgreSQL and Redis (psutil) all along, and prints p50/p95/p99
   per request type, the driver's own CPU, and the memory verdict of the
   confirmation run: flat after warm-up means growth <= 10%.

``--json PATH`` writes every figure. The topology is taken down at the end
(``--keep`` leaves it up and prints its state directory).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load_report  # noqa: E402

PYTHON = sys.executable
TOPOLOGY = [PYTHON, str(ROOT / "deploy" / "local" / "topology.py")]
# One loopback address stands for every client of the load.
# Evaluations off: each seeded checkpoint would queue one, and that backlog,
# not the mix, would hold the cores for the whole run (a sandboxed child of
# 0.4-1.4 GB every 20-60 s, seen in a run with them on).
NO_EVALS = {"HUB_EVAL_ENABLED": "false"}
UNLIMITED = {
    "HUB_API_RATE_ANON": "1000000000/hour",
    "HUB_API_RATE_USER": "1000000000/hour",
    "HUB_HF_RATE_ANON": "1000000000/5m",
    "HUB_HF_RATE_USER": "1000000000/5m",
}
PROCESS_GROUPS = {
    "gunicorn": ("web",),
    "celery workers": ("worker-default", "worker-validation", "worker-eval"),
    "celery beat": ("beat",),
    "redis": ("redis",),
    "nginx": ("nginx",),
}


def log(message: str) -> None:
    print(message, flush=True)


# The topology -------------------------------------------------------------------


def topology_up(state: Path, args: argparse.Namespace) -> dict[str, Any]:
    env = {**UNLIMITED, **NO_EVALS}
    if args.max_requests is not None:
        env["HUB_WEB_MAX_REQUESTS"] = str(args.max_requests)
    command = [
        str(ROOT / "deploy" / "local" / "up"),
        "--state-dir",
        str(state),
        "--blob-store",
        args.blob_store,
        *(item for key, value in env.items() for item in ("--env", f"{key}={value}")),
    ]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"deploy/local/up failed:\n{done.stdout}\n{done.stderr}")
    log(f"topology up in {time.monotonic() - started:.0f}s ({args.blob_store} blobs)")
    return json.loads((state / "state.json").read_text())


def topology_down(state: Path) -> None:
    subprocess.run(
        [*TOPOLOGY, "down", "--state-dir", str(state)],
        cwd=ROOT,
        capture_output=True,
        timeout=180,
    )


def hub_env(topology: dict[str, Any]) -> dict[str, str]:
    """This process's environment with the topology's hub settings."""
    keep = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HUB_", "AWS_", "PROMETHEUS_", "DJANGO"))
        and key not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
    }
    return {**keep, **topology["env"], "DJANGO_SETTINGS_MODULE": "hub.settings"}


# Memory and CPU -------------------------------------------------------------------


def _pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def group_processes(state: Path) -> dict[str, list[psutil.Process]]:
    """Each group's processes now (pid files are read again: restarts)."""
    roots: dict[str, list[int | None]] = {
        group: [_pid(state / "pids" / f"{name}.pid") for name in names]
        for group, names in PROCESS_GROUPS.items()
    }
    roots["postgresql"] = [_pid(state / "postgres" / "postmaster.pid")]
    out: dict[str, list[psutil.Process]] = {}
    for group, pids in roots.items():
        procs = []
        for pid in pids:
            if pid is None:
                continue
            try:
                root = psutil.Process(pid)
                procs.extend([root, *root.children(recursive=True)])
            except psutil.NoSuchProcess:
                continue
        out[group] = procs
    return out


class Sampler(threading.Thread):
    """RSS and CPU time of every process group, every ``interval`` seconds."""

    def __init__(self, state: Path, interval: float) -> None:
        super().__init__(daemon=True)
        self.state = state
        self.interval = interval
        self.samples: list[dict[str, Any]] = []
        self.stopping = threading.Event()
        self.pids: dict[str, set[int]] = {}

    def sample(self) -> dict[str, Any]:
        rss: dict[str, int] = {}
        pss: dict[str, int] = {}
        uss: dict[str, int] = {}
        cpu: dict[str, float] = {}
        # Each group's largest process: names what a peak was made of.
        top: dict[str, tuple[int, str]] = {}
        for group, procs in group_processes(self.state).items():
            rss[group], pss[group], uss[group], cpu[group] = 0, 0, 0, 0.0
            for proc in procs:
                try:
                    with proc.oneshot():
                        memory = proc.memory_full_info()
                        rss[group] += memory.rss
                        # Shared pages (PostgreSQL's buffers, forked
                        # workers' code) counted once across processes.
                        pss[group] += getattr(memory, "pss", memory.rss)
                        # Private pages only: what a leak would grow.
                        uss[group] += getattr(memory, "uss", memory.rss)
                        times = proc.cpu_times()
                        cpu[group] += times.user + times.system
                        self.pids.setdefault(group, set()).add(proc.pid)
                        if memory.rss > top.get(group, (0, ""))[0]:
                            top[group] = (memory.rss, " ".join(proc.cmdline())[:160])
                except psutil.NoSuchProcess:
                    continue
        rss["total"] = sum(rss[group] for group in load_report.GROUPS)
        pss["total"] = sum(pss[group] for group in load_report.GROUPS)
        uss["total"] = sum(uss[group] for group in load_report.GROUPS)
        return {
            "t": time.time(),
            "rss": rss,
            "pss": pss,
            "uss": uss,
            "cpu": cpu,
            "top": top,
        }

    def run(self) -> None:
        while not self.stopping.is_set():
            self.samples.append(self.sample())
            self.stopping.wait(self.interval)

    def stop(self) -> None:
        self.stopping.set()
        self.join()
        self.samples.append(self.sample())


# Traffic --------------------------------------------------------------------------


def drive(
    url: str, targets: Path, rate: float, seconds: float, workdir: Path
) -> dict[str, Any]:
    """One run of the traffic driver at ``rate`` requests/s."""
    out = workdir / f"step-{time.monotonic_ns()}.json"
    subprocess.run(
        [
            PYTHON,
            str(ROOT / "bench" / "load_traffic.py"),
            "--host",
            url,
            "--targets",
            str(targets),
            "--rate",
            f"{rate:.2f}",
            "--seconds",
            str(seconds),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        check=True,
    )
    step = json.loads(out.read_text())
    out.unlink()
    return step


def step_search(
    url: str, targets: Path, args: argparse.Namespace, workdir: Path
) -> tuple[float, list[dict[str, Any]]]:
    """The highest passing rate: x1.5 while steps pass, then bisect the gap."""
    steps: list[dict[str, Any]] = []
    low, high = 0.0, math.inf
    rate = args.start_rate
    for _ in range(args.max_steps):
        summary = load_report.step_summary(
            drive(url, targets, rate, args.step_seconds, workdir)
        )
        passed = load_report.step_passes(summary, args.p95_ms)
        summary["passed"] = passed
        steps.append(summary)
        overall = summary["overall"]
        floor = summary["baseline"][load_report.BASELINE_PATHS[0][0]]
        log(
            f"  step {rate:6.1f} req/s: achieved {overall['rate']:6.1f}, "
            f"p95 {overall['p95_ms']:6.1f} ms (/healthz {floor['p95_ms']:5.1f}), "
            f"errors {overall['errors']}: " + ("pass" if passed else "FAIL")
        )
        if passed:
            low = rate
        else:
            high = rate
        if high / max(low, 1e-9) <= 1.15:
            break
        rate = rate * 1.5 if high == math.inf else (low + high) / 2
        if low == 0.0:
            rate = high / 2
            if rate < 1:
                break
    return low, steps


# Main -----------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--models", type=int, default=3000)
    parser.add_argument("--with-files", type=int, default=500)
    parser.add_argument("--rate", type=float, help="fixed rate: no step search")
    parser.add_argument("--start-rate", type=float, default=10.0)
    parser.add_argument("--step-seconds", type=float, default=30.0)
    parser.add_argument("--max-steps", type=int, default=10)
    parser.add_argument("--p95-ms", type=float, default=150.0)
    parser.add_argument("--blob-store", choices=("local", "s3"), default="local")
    parser.add_argument(
        "--max-requests",
        type=int,
        help="gunicorn's worker recycling (HUB_WEB_MAX_REQUESTS; 0: never; "
        "default: the deployed setting)",
    )
    parser.add_argument("--sample-seconds", type=float, default=5.0)
    parser.add_argument("--json", help="write every figure here")
    parser.add_argument("--keep", action="store_true", help="leave the hub up")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="mc-load-"))
    state = workdir / "topology"
    # PostgreSQL runs as its own user when the bench runs as root.
    workdir.chmod(0o755)
    sampler: Sampler | None = None
    try:
        topology = topology_up(state, args)
        url = topology["url"]
        targets = workdir / "targets.json"
        seed_started = time.monotonic()
        subprocess.run(
            [
                PYTHON,
                str(ROOT / "bench" / "load_seed.py"),
                "--models",
                str(args.models),
                "--with-files",
                str(min(args.with_files, args.models)),
                "--out",
                str(targets),
            ],
            cwd=ROOT,
            env=hub_env(topology),
            check=True,
        )
        log(f"seeded in {time.monotonic() - seed_started:.0f}s")
        seconds = args.minutes * 60
        interval = min(args.sample_seconds, max(0.5, seconds / 40))
        sampler = Sampler(state, interval)
        sampler.start()
        result: dict[str, Any] = {"args": vars(args), "url": url}
        if args.rate:
            rate, result["steps"] = args.rate, []
        else:
            log(
                f"step search ({args.step_seconds:.0f}s steps, p95 <= {args.p95_ms} ms)"
            )
            rate, result["steps"] = step_search(url, targets, args, workdir)
            if rate == 0:
                # Still measure, at the lowest rate tried: the figures show
                # what fails (NOT confirmed below).
                rate = min(step["target_rate"] for step in result["steps"])
                log(f"no rate passed: confirming the lowest tried, {rate:.1f}")
        log(f"confirmation run: {rate:.1f} req/s for {args.minutes:g} min")
        confirm = drive(url, targets, rate, seconds, workdir)
        begin, end = confirm["started_at"], confirm["started_at"] + confirm["wall_s"]
        sampler.stop()
        result.update(report(args, rate, confirm, sampler, begin, end))
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2, default=str))
            log(f"figures: {args.json}")
    finally:
        if sampler is not None and sampler.is_alive():
            sampler.stop()
        if args.keep:
            log(f"kept the hub: {state} (deploy/local/down --state-dir {state})")
        else:
            topology_down(state)
            shutil.rmtree(workdir, ignore_errors=True)


def report(
    args: argparse.Namespace,
    rate: float,
    confirm: dict[str, Any],
    sampler: Sampler,
    begin: float,
    end: float,
) -> dict[str, Any]:
    summary = load_report.step_summary(confirm)
    passed = load_report.step_passes(summary, args.p95_ms)
    memory = load_report.memory_verdict(sampler.samples, begin, end)
    memory_pss = load_report.memory_verdict(sampler.samples, begin, end, "pss")
    memory_uss = load_report.memory_verdict(sampler.samples, begin, end, "uss")
    cpu = load_report.cpu_shares(sampler.samples, begin, end)
    cpu["locust (driver)"] = summary["driver_cpu_share"]
    log(
        f"\nMixed load through nginx + gunicorn + PostgreSQL + Redis "
        f"({args.blob_store} blobs), {args.models} models, "
        f"{args.minutes:g} min at {rate:.1f} req/s ({summary['users']} locust "
        f"users): p95 {'<=' if passed else 'MISSED'} {args.p95_ms:.0f} ms, "
        f"{summary['overall']['errors']} errors"
    )
    load_report.log_table(summary, log)
    log(
        "\nper window: "
        + ", ".join(
            f"{w['rate']:.0f}/s p95 {w['p95_ms']:.0f}ms"
            + (f" {w['errors']} err" if w["errors"] else "")
            for w in load_report.windows(confirm, 10)
        )
    )
    log(
        f"\nmemory (RSS) and CPU (share of one core) over the run, samples every "
        f"{sampler.interval:g}s; warm-up = first 20%"
    )
    load_report.log_memory(memory, memory_pss, cpu, log)
    load_report.log_private_memory(memory_uss, log)
    restarted = {
        group: len(pids) for group, pids in sampler.pids.items() if group == "gunicorn"
    }
    log(
        f"gunicorn processes seen: {restarted.get('gunicorn', 0)} "
        "(more than 3: workers recycled by max_requests)"
    )
    for group in load_report.GROUPS:
        peak = max(sampler.samples, key=lambda sample: sample["rss"][group])
        size, command = peak["top"].get(group, (0, ""))
        log(
            f"{group} peak {peak['rss'][group] / 2**20:.0f} MiB at "
            f"{peak['t'] - begin:+.0f}s; its largest process {size / 2**20:.0f} "
            f"MiB: {command}"
        )
    log(
        f"RSS flat after warm-up (growth <= {load_report.FLAT_GROWTH:.0%}): "
        + ("yes" if memory["flat"] else "NO")
    )
    flat = load_report.memory_flat(memory, memory_uss)
    log(
        "memory flat after warm-up (RSS; PostgreSQL by its private memory, "
        "since its RSS also counts the shared buffers each backend has "
        "touched, a cache bounded by shared_buffers): " + ("yes" if flat else "NO")
    )
    log(
        f"RATE: {rate:.1f} req/s with p95 <= {args.p95_ms:.0f} ms and no error: "
        + ("confirmed" if passed else "NOT confirmed")
    )
    return {
        "rate": rate,
        "confirmed": passed,
        "confirmation": summary,
        "windows": load_report.windows(confirm, 10),
        "memory": memory,
        "memory_pss": memory_pss,
        "memory_uss": memory_uss,
        "memory_flat": flat,
        "cpu": cpu,
        "rss_series": [
            {
                "t": round(s["t"] - begin, 1),
                "rss": s["rss"],
                "pss": s["pss"],
                "uss": s["uss"],
                "largest": s["top"],
            }
            for s in sampler.samples
        ],
    }


if __name__ == "__main__":
    main()
