"""The mixed traffic of ``bench/load.py``, driven by locust as a library.

``python bench/load_traffic.py --host URL --targets F --rate R --seconds S
--out F`` runs ``R`` requests/s for a warm-up then ``S`` seconds and writes
every measured request's (type, start, latency, ok) and the driver's own
CPU time to ``--out`` (JSON). A separate process from ``bench/load.py``:
locust patches the standard library for gevent when imported.

Mix (requests per 100, interleaved in a fixed order): 70 catalog and
search (/api/v1/models: list, text search, facet filters; the HF
/api/models), 20 file downloads (small files and 8-byte Range GETs on
resolve), 8 model pages (HTML), 2 commits (NDJSON to the HF commit
endpoint, a small file inline). A fifth of the catalog requests carry a
read token whose user sees some private repos.

Pacing: ``FastHttpUser`` with ``constant_throughput``, a few requests/s per
user, so the driver stays light on the cores it shares with the hub.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import math
import random
import resource
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import gevent
from locust import FastHttpUser, constant_throughput, events, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_report import BASELINE_PATHS, MIX, schedule  # noqa: E402

PER_USER_RATE = 4.0  # requests/s of one simulated client
RECORDS: list[tuple[str, float, float, bool, str]] = []
MEASURING = {"on": False}
TARGETS: dict[str, Any] = {}


@events.request.add_listener
def _record(
    request_type: str,
    name: str,
    response_time: float,
    response_length: int,
    exception: Exception | None = None,
    **_: Any,
) -> None:
    if MEASURING["on"]:
        error = "" if exception is None else str(exception)[:200]
        RECORDS.append((name, time.time(), response_time, exception is None, error))


def _pick_repo(rng: random.Random) -> str:
    repos = TARGETS["repos"]
    # Popular repos are asked for more (a Zipf-like skew over downloads).
    index = min(len(repos) - 1, int(len(repos) * rng.random() ** 3))
    return repos[index]


NEXT = itertools.cycle(schedule(MIX))


class HubClient(FastHttpUser):
    """One client of the hub: catalog, downloads, pages, now and then a commit."""

    wait_time = constant_throughput(PER_USER_RATE)
    network_timeout = 30.0
    connection_timeout = 30.0

    def on_start(self) -> None:
        self.rng = random.Random()

    @task
    def next_request(self) -> None:
        """The next request of the shared schedule: the mix is exact."""
        getattr(self, next(NEXT))()

    def _get(self, name: str, path: str, **kwargs: Any) -> None:
        expect = kwargs.pop("expect", (200,))
        with self.client.get(
            path, name=name, catch_response=True, allow_redirects=False, **kwargs
        ) as answer:
            if answer.status_code not in expect:
                answer.failure(f"{answer.status_code}: {answer.text[:120]!r}")
            else:
                answer.success()

    def _auth(self) -> dict[str, str]:
        if self.rng.random() < 0.2:
            return {"Authorization": f"Bearer {TARGETS['reader_token']}"}
        return {}

    # 70: catalog and search ---------------------------------------------------

    def v1_list(self) -> None:
        sort = self.rng.choice(["", "", "downloads", "trending", "likes", "created"])
        query = f"?sort={sort}" if sort else ""
        self._get("v1 list", f"/api/v1/models{query}", headers=self._auth())

    def v1_search(self) -> None:
        words = self.rng.sample(TARGETS["words"], k=self.rng.choice([1, 1, 2]))
        if self.rng.random() < 0.3:
            words = [self.rng.choice(TARGETS["families"])]
        query = urlencode({"search": " ".join(words)})
        self._get("v1 search", f"/api/v1/models?{query}", headers=self._auth())

    def v1_facets(self) -> None:
        license_id, pipeline, library = self.rng.choice(TARGETS["facets"])
        params = [("license", license_id), ("task", pipeline), ("library", library)]
        chosen = [p for p in params[: self.rng.randint(1, 3)] if p[1]]
        if self.rng.random() < 0.25:
            chosen.append(("facets", "all"))
        query = urlencode(chosen)
        self._get("v1 facets", f"/api/v1/models?{query}", headers=self._auth())

    def hf_models(self) -> None:
        pick = self.rng.random()
        if pick < 0.4:
            params = {"search": self.rng.choice(TARGETS["families"])}
        elif pick < 0.6:
            params = {"author": self.rng.choice(TARGETS["authors"])}
        elif pick < 0.8:
            params = {"filter": self.rng.choice(TARGETS["tags"])}
        else:
            params = {"sort": "downloads", "direction": "-1"}
        params["limit"] = self.rng.choice(["20", "50", "100"])
        self._get(
            "hf /api/models", f"/api/models?{urlencode(params)}", headers=self._auth()
        )

    # 20: downloads -------------------------------------------------------------

    def resolve_small(self) -> None:
        path = self.rng.choice(["config.json", "README.md"])
        # 302: the S3 store's presigned redirect (--blob-store s3), whose
        # target is the S3 server's to serve, not the hub's.
        self._get(
            "resolve small",
            f"/{_pick_repo(self.rng)}/resolve/main/{path}",
            expect=(200, 302),
        )

    def resolve_range(self) -> None:
        self._get(
            "resolve range 8 B",
            f"/{_pick_repo(self.rng)}/resolve/main/model.safetensors",
            headers={"Range": "bytes=0-7"},
            expect=(206, 302),
        )

    # 8: model pages -------------------------------------------------------------

    def model_page(self) -> None:
        self._get("model page", f"/{_pick_repo(self.rng)}")

    # 2: commits -----------------------------------------------------------------

    def commit(self) -> None:
        writer = TARGETS["writer"]
        repo = self.rng.choice(writer["repos"])
        note = f"run {uuid.uuid4()} at {time.time():.3f}\n".encode() * 4
        lines = [
            {"key": "header", "value": {"summary": "Add a note", "description": ""}},
            {
                "key": "file",
                "value": {
                    "path": f"notes/{uuid.uuid4().hex[:12]}.txt",
                    "content": base64.b64encode(note).decode(),
                    "encoding": "base64",
                },
            },
        ]
        body = "\n".join(json.dumps(line) for line in lines)
        with self.client.post(
            f"/api/models/{repo}/commit/{quote('main', safe='')}",
            data=body,
            headers={
                "Authorization": f"Bearer {writer['token']}",
                "Content-Type": "application/x-ndjson",
            },
            name="hf commit",
            catch_response=True,
        ) as answer:
            if answer.status_code != 200 or "commitOid" not in answer.text:
                answer.failure(f"{answer.status_code}: {answer.text[:160]!r}")
            else:
                answer.success()


class Baseline(FastHttpUser):
    """The floor under the same load, outside the mix: a Django view with no
    SQL (/healthz, through nginx and gunicorn) and nginx serving a static
    file, each once a second."""

    fixed_count = 1
    wait_time = constant_throughput(1)

    @task
    def floor(self) -> None:
        for name, path in BASELINE_PATHS:
            with self.client.get(path, name=name, catch_response=True) as answer:
                if answer.status_code != 200:
                    answer.failure(f"{answer.status_code}")
                else:
                    answer.success()


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(host: str, rate: float, warmup: float, seconds: float) -> dict[str, Any]:
    users = max(1, math.ceil(rate / PER_USER_RATE))
    HubClient.wait_time = constant_throughput(rate / users)
    env = Environment(user_classes=[HubClient, Baseline], host=host, events=events)
    runner = env.create_local_runner()
    runner.start(users + 1, spawn_rate=(users + 1) * 4)
    gevent.sleep(warmup)
    # The measured requests start at the top of the schedule: any 50 of
    # them, and the first 21, hold every kind.
    global NEXT
    NEXT = itertools.cycle(schedule(MIX))
    MEASURING["on"] = True
    cpu_start, wall_start = cpu_seconds(), time.time()
    gevent.sleep(seconds)
    MEASURING["on"] = False
    cpu, wall = cpu_seconds() - cpu_start, time.time() - wall_start
    runner.quit()
    return {
        "rate": rate,
        "users": users,
        "wall_s": wall,
        "driver_cpu_s": cpu,
        "started_at": wall_start,
        "records": RECORDS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--targets", required=True)
    parser.add_argument("--rate", type=float, required=True, help="requests/s")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    TARGETS.update(json.loads(Path(args.targets).read_text()))
    result = run(args.host, args.rate, args.warmup, args.seconds)
    Path(args.out).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
