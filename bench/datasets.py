"""Dataset benchmark: ``.venv/bin/python bench/datasets.py [--size-mib 2048]``.

Writes one Parquet file of ``--size-mib`` MiB locally with pyarrow (an id, a
float and a ~1 KB text column of random hex, so nothing compresses it away;
about 256 row groups), starts a throw-away hub on the embedded default
(``bench.hubproc.Hub``: SQLite, filesystem broker, one validation worker,
which also computes dataset previews; the web tier as deployed: gunicorn,
production settings), uploads the file to a dataset
repo with the real huggingface_hub client, and measures:

1. **Viewer first rows.** The time until the worker has computed the
   preview (the viewer's status turns ``ready``), then ``--requests`` GETs
   of the viewer through HTTP, anonymous: ``/api/v1/datasets/ns/name``
   (card, files, viewer with the split's schema and first 100 rows) and the
   page's viewer panel ``/datasets/ns/name/viewer/<oid>``; p50 and p95.
   Target: p95 <= 200 ms. Baseline, same run: the same GETs on a dataset of
   one 100-row Parquet file (the ratio shows whether the cost follows the
   file's size).
   **Bytes read.** The worker process's ``rchar`` (/proc/<pid>/io: every
   byte it passed through read()/pread(), so the store's file and the
   sandboxed reader's answer) between the upload's commit and the preview
   being ready: an upper bound on the bytes read from the blob store for
   the file's checks and preview. Beside it, the preview computed again
   in this process through ``workers.viewer.store_source`` on a store that
   counts the ranges it serves (the worker's own code path, exactly).
   Target: <= 1% of the file.
2. **load_dataset(streaming=True), time to the first row**: from the hub
   (``HF_ENDPOINT``, a fresh cache) against the same file on local disk
   (``load_dataset("parquet", data_files=..., streaming=True)``), each in a
   fresh interpreter with the ``datasets`` import done before the clock
   starts; best of ``--repeat``; the ratio hub / local.

``--size-mib 8 --requests 10 --repeat 1`` is a run of a minute or so
(tests/bench/test_datasets_bench.py); its figures mean little at that size.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.hubproc import Hub  # noqa: E402

ROW_TEXT_BYTES = 1024
ROW_GROUPS = 256
VIEWER_P95_MS = 200
BYTES_SHARE = 0.01


class DeployedHub(Hub):
    """``bench.hubproc.Hub`` with the web tier as deployed: gunicorn with
    ``deploy/gunicorn.conf.py`` and production settings over plain HTTP on
    the loopback (as behind nginx), instead of runserver, whose separate
    writes of headers and body meet the client's delayed ACK (a 40 ms
    stall on small answers that would measure the dev server)."""

    def __init__(self, workdir: Path, **kwargs: Any) -> None:
        super().__init__(workdir, **kwargs)
        self.env.update(
            {
                "HUB_BIND": f"127.0.0.1:{self.port}",
                "HUB_DEBUG": "false",
                "HUB_HTTPS": "false",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
            }
        )

    def start(self) -> None:
        self.run("migrate", "--noinput")
        self.run("collectstatic", "--noinput", "-v", "0")
        logs = self.workdir / "logs"
        logs.mkdir(exist_ok=True)
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self._spawn(
            [gunicorn, "-c", "deploy/gunicorn.conf.py", "hub.wsgi:application"],
            logs / "gunicorn.log",
        )
        for queues, extra in self.workers:
            self._spawn(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "workers",
                    "worker",
                    "--queues",
                    queues,
                    "--loglevel",
                    "WARNING",
                    "--hostname",
                    f"{queues}@bench",
                    *extra,
                ],
                logs / f"{queues}.log",
            )
        import requests

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/api/v1/licenses", timeout=10).ok:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.3)
        sys.exit("the hub did not start")


def log(message: str) -> None:
    print(message, flush=True)


def write_parquet(path: Path, size_mib: float) -> dict[str, Any]:
    """A Parquet file of about ``size_mib`` MiB in ~ROW_GROUPS row groups."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = int(size_mib * (1 << 20))
    row_bytes = ROW_TEXT_BYTES + 16
    group_rows = max(100, target // ROW_GROUPS // row_bytes)
    schema = pa.schema(
        [("id", pa.int64()), ("score", pa.float64()), ("text", pa.string())]
    )
    rows = 0
    with pq.ParquetWriter(path, schema, compression="snappy") as writer:
        while path.stat().st_size < target or rows == 0:
            ids = list(range(rows, rows + group_rows))
            texts = [os.urandom(ROW_TEXT_BYTES // 2).hex() for _ in ids]
            table = pa.table(
                {"id": ids, "score": [i / 7 for i in ids], "text": texts}, schema=schema
            )
            writer.write_table(table, row_group_size=group_rows)
            rows += group_rows
    meta = pq.read_metadata(path)
    return {"rows": meta.num_rows, "row_groups": meta.num_row_groups}


def tiny_parquet(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = list(range(100))
    pq.write_table(
        pa.table(
            {
                "id": ids,
                "score": [i / 7 for i in ids],
                "text": [f"row {i}" for i in ids],
            }
        ),
        path,
    )


def worker_pids(hub: Hub) -> list[int]:
    """The validation worker's processes (the main one and its pool's)."""
    pids = []
    for proc in hub.procs[1:]:
        pids.append(proc.pid)
        for task in Path(f"/proc/{proc.pid}/task").iterdir():
            children = (task / "children").read_text().split()
            pids.extend(int(c) for c in children)
    return pids


def rchar(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/io").read_text()
        except OSError:
            continue
        total += int(
            next(x for x in text.splitlines() if x.startswith("rchar:")).split()[1]
        )
    return total


def upload(hub: Hub, token: str, repo: str, path: Path) -> str:
    """Upload by git-LFS (HF_HUB_DISABLE_XET, set in main): the hub stores the
    file as one blob at once, as the viewer then reads it."""
    from huggingface_hub import HfApi

    api = HfApi(endpoint=hub.url, token=token)
    api.create_repo(repo, repo_type="dataset")
    info = api.upload_file(
        path_or_fileobj=str(path),
        path_in_repo="data/train-00000-of-00001.parquet",
        repo_id=repo,
        repo_type="dataset",
    )
    return info.oid


def wait_ready(hub: Hub, repo: str, timeout: float) -> dict[str, Any]:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = requests.get(f"{hub.url}/api/v1/datasets/{repo}", timeout=60).json()
        viewer = body.get("viewer") or {}
        # Ready, and its rows shown to anonymous callers (files stay withheld
        # until their checks end).
        if viewer.get("status") == "error" or (
            viewer.get("status") == "ready" and first_rows(viewer)
        ):
            return viewer
        time.sleep(0.2)
    sys.exit(f"the viewer of {repo} was not ready within {timeout:.0f} s")


def first_rows(viewer: dict[str, Any]) -> list[dict[str, Any]]:
    return viewer["configs"][0]["splits"][0]["rows"]


def time_gets(url: str, n: int, check: Any) -> list[float]:
    import requests

    session = requests.Session()
    check(session.get(url, timeout=60))  # warm: connection, caches
    times = []
    for _ in range(n):
        started = time.perf_counter()
        answer = session.get(url, timeout=60)
        times.append((time.perf_counter() - started) * 1000)
        check(answer)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


STREAM_SCRIPT = """
import json, sys, time
from datasets import load_dataset
args = json.loads(sys.argv[1])
started = time.perf_counter()
rows = load_dataset(*args["args"], **args["kwargs"], streaming=True, split="train")
row = next(iter(rows))
print(json.dumps({"seconds": time.perf_counter() - started, "id": row["id"]}))
sys.stdout.flush()
# The stream's reader threads are still alive: leave without joining them
# (pyarrow aborts at interpreter exit otherwise).
import os
os._exit(0)
"""


def stream_first_row(
    args: list[Any], kwargs: dict[str, Any], env: dict[str, str]
) -> float:
    """Seconds from load_dataset(streaming=True) to the first row, in a fresh
    interpreter with a fresh cache (the import is not timed)."""
    with tempfile.TemporaryDirectory(prefix="mc-bench-hf-") as home:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                STREAM_SCRIPT,
                json.dumps({"args": args, "kwargs": kwargs}),
            ],
            env={**os.environ, "HF_HOME": home, **env},
            capture_output=True,
            text=True,
            timeout=600,
        )
    if done.returncode != 0:
        sys.exit(f"load_dataset failed:\n{done.stderr[-3000:]}")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["id"] == 0, answer
    return float(answer["seconds"])


def counted_preview(hub: Hub, path: Path) -> tuple[int, bool]:
    """The worker's preview code run here on a store that counts the bytes
    it serves: (bytes read, rows found)."""
    import hashlib

    for key in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(key, None)
    os.environ.update(hub.env)
    import django

    django.setup()
    from hub.storage.services import blob_store
    from workers.tabular.runner import inspect_file
    from workers.viewer import store_source

    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(8 << 20):
            digest.update(chunk)
    store = blob_store()
    served = [0]

    class Counting:
        def iter_range(self, sha256: str, start: int = 0, end: int | None = None):
            for chunk in store.iter_range(sha256, start, end):
                served[0] += len(chunk)
                yield chunk

    size = path.stat().st_size
    with store_source(digest.hexdigest(), size, store=Counting()) as source:
        result = inspect_file(source, "parquet").result
    return served[0], bool(result.get("ok")) and len(result.get("rows", [])) == 100


def viewer_bench(
    args: argparse.Namespace, hub: Hub, token: str, big: Path, tiny: Path
) -> None:
    size = big.stat().st_size
    # A first tiny dataset takes the worker's first task (its lazy imports)
    # out of the measurement; a second one is the baseline: what a commit of
    # a 100-row file costs the worker in reads, whatever the file's size.
    upload(hub, token, "bench/warm-up", tiny)
    wait_ready(hub, "bench/warm-up", timeout=120)
    pids = worker_pids(hub)
    before = rchar(pids)
    tiny_oid = upload(hub, token, "bench/tiny", tiny)
    wait_ready(hub, "bench/tiny", timeout=120)
    fixed = rchar(pids) - before
    before = rchar(pids)
    started = time.monotonic()
    oid = upload(hub, token, "bench/big", big)
    committed = time.monotonic()
    viewer = wait_ready(hub, "bench/big", timeout=max(120, args.size_mib / 4))
    ready = time.monotonic()
    read = rchar(pids) - before
    if viewer["status"] != "ready" or len(first_rows(viewer)) != 100:
        sys.exit(f"the viewer did not show 100 rows: {json.dumps(viewer)[:2000]}")
    log(
        f"  upload {committed - started:.1f} s; commit -> first rows shown "
        f"{ready - committed:.2f} s"
    )
    log(
        "  bytes read by the validation worker (rchar, checks + preview, upper "
        f"bound): {read:,} of {size:,} = {read / size:.4%} (target <= "
        f"{BYTES_SHARE:.0%}); baseline, a 100-row file's commit: {fixed:,}; "
        f"difference {(read - fixed) / size:.4%} of the file"
    )
    counted, ok = counted_preview(hub, big)
    log(
        f"  bytes read from the store by the preview (same code, counted ranges): "
        f"{counted:,} = {counted / size:.4%}{'' if ok else ' (NO ROWS)'}"
    )

    def rows_ok(answer: Any) -> None:
        assert answer.status_code == 200, answer.status_code
        body = answer.json()
        if "viewer" in body:
            assert len(first_rows(body["viewer"])) == 100
        else:
            assert body["state"] == "ready"

    for label, path_of in (
        ("/api/v1/datasets/ns/name", lambda repo, _: f"/api/v1/datasets/{repo}"),
        (
            "/datasets/ns/name/viewer/<oid>",
            lambda repo, o: f"/datasets/{repo}/viewer/{o}",
        ),
    ):
        big_ms = time_gets(hub.url + path_of("bench/big", oid), args.requests, rows_ok)
        base_ms = time_gets(
            hub.url + path_of("bench/tiny", tiny_oid), args.requests, rows_ok
        )
        verdict = "ok" if p95(big_ms) <= VIEWER_P95_MS else "MISSED"
        log(
            f"  {label:<32} p50 {statistics.median(big_ms):6.1f} ms  p95 "
            f"{p95(big_ms):6.1f} ms ({verdict}: <= {VIEWER_P95_MS} ms); baseline "
            f"100-row file p95 {p95(base_ms):6.1f} ms; ratio "
            f"{p95(big_ms) / p95(base_ms):.2f}x"
        )


def streaming_bench(args: argparse.Namespace, hub: Hub, token: str, big: Path) -> None:
    env = {"HF_ENDPOINT": hub.url, "HF_TOKEN": token}
    hub_s = min(stream_first_row(["bench/big"], {}, env) for _ in range(args.repeat))
    local_s = min(
        stream_first_row(["parquet"], {"data_files": {"train": str(big)}}, {})
        for _ in range(args.repeat)
    )
    log(
        f"  from the hub {hub_s * 1000:8.1f} ms; local file {local_s * 1000:8.1f} ms; "
        f"ratio hub/local {hub_s / local_s:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mib", type=float, default=2048)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # Before huggingface_hub is imported: uploads by LFS, so no Xet
    # reconstruction runs in the worker while its reads are counted.
    os.environ["HF_HUB_DISABLE_XET"] = "1"
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    with tempfile.TemporaryDirectory(prefix="mc-bench-datasets-") as tmp:
        workdir = Path(tmp)
        big, tiny = workdir / "big.parquet", workdir / "tiny.parquet"
        started = time.monotonic()
        facts = write_parquet(big, args.size_mib)
        tiny_parquet(tiny)
        log(
            f"Parquet file: {big.stat().st_size:,} bytes, {facts['rows']:,} rows "
            f"in {facts['row_groups']} row groups (written in "
            f"{time.monotonic() - started:.1f} s)"
        )
        hub = DeployedHub(
            workdir / "hub",
            embedded=True,
            workers=(("validation", ("--pool", "solo")),),
            env={"HUB_EVAL_ALLOW_NO_NETWORK_ISOLATION": "true"},
        )
        (workdir / "hub").mkdir()
        hub.start()
        try:
            token = hub.token("bench")
            log("\n1. Dataset viewer (first rows, through HTTP, anonymous)")
            viewer_bench(args, hub, token, big, tiny)
            log("\n2. load_dataset(streaming=True): time to the first row")
            streaming_bench(args, hub, token, big)
        finally:
            hub.stop()


if __name__ == "__main__":
    main()
