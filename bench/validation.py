"""Validation benchmarks: ``.venv/bin/python bench/validation.py``.

Each figure comes with a same-run baseline, so the ratios mean something on
any machine:

* safetensors header validation on sparse files of 10 MB to 10 GB (the
  header describes tensors that cover the data exactly; the data is a hole
  in the file). The time must stay flat: largest / smallest ≈ 1.
* the pickle scan of a real-size PyTorch zip (``torch.save`` of a state dict
  of 400 tensors, 500 MB) against reading the same file's bytes once, from
  a warm page cache (the baseline's best case). The scan reads the table of
  contents and data.pkl, never the tensor data: its time follows the number
  of tensors, not their bytes, so a zip with the same tensors at a tenth of
  the size scans in the same time (ratio ~1).
* the same checks on blobs in S3 (a local moto server, ``--s3-mb``), as a
  worker runs them: a safetensors file read by byte ranges (StoreSource),
  a torch zip (whose scan reads every member) streamed once into a
  temporary file, hashed and scanned; against downloading the object once
  (what a worker did before for every file). moto copies the whole object
  for each range GET (its cost grows ~0.5 ms per MB of object), which real
  S3 does not: the time of one 1 KB range GET on the same object is
  printed beside.
* commit → verdict (``--latency-runs``): how long a file that could carry code
  stays refused to strangers after its commit. A throw-away hub (runserver
  and a validation worker, as ``scripts/run-hub.sh`` starts them) on the
  embedded default (SQLite, filesystem broker) and on PostgreSQL + Redis; a
  10-file commit of small files (safetensors, numpy, torch checkpoints, a
  config and a card) through the real client; the clock runs from the
  commit's answer until every weight file answers an anonymous HEAD with
  200. p50/p95 over the runs, against the same ten checks run in-process
  (the checks' own cost). Target: p95 ≤ 5 s.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workers.validators.base import FileSource  # noqa: E402
from workers.validators.safetensors import validate_safetensors  # noqa: E402
from workers.validators.zips import validate_zip  # noqa: E402

MB = 1000 * 1000
HEADER_BYTES = 32 * 1024
TENSORS = 200


def sparse_safetensors(path: Path, size: int) -> None:
    """A ``size``-byte safetensors file whose data is a hole (no disk used)."""
    data_size = size - 8 - HEADER_BYTES
    piece = data_size // (TENSORS - 1) // 4 * 4
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for index in range(TENSORS - 1):
        header[f"layers.{index}.weight"] = {
            "dtype": "F32",
            "shape": [piece // 4],
            "data_offsets": [offset, offset + piece],
        }
        offset += piece
    header["tail"] = {
        "dtype": "U8",
        "shape": [data_size - offset],
        "data_offsets": [offset, data_size],
    }
    raw = json.dumps(header).encode()
    assert len(raw) <= HEADER_BYTES, len(raw)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", HEADER_BYTES) + raw.ljust(HEADER_BYTES))
        out.truncate(size)


def timed(action: Callable[[], object]) -> float:
    gc.collect()  # the collector's pauses are the noise, not the work
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_seconds(action: Callable[[], object], runs: int) -> float:
    return statistics.median(timed(action) for _ in range(runs))


def bench_safetensors(folder: Path, runs: int) -> None:
    print("safetensors header validation (sparse files, median of runs)")
    results = []
    for size in (10 * MB, 100 * MB, 1000 * MB, 10_000 * MB):
        path = folder / f"model-{size // MB}MB.safetensors"
        sparse_safetensors(path, size)

        def validate(path: Path = path) -> None:
            with FileSource(path) as source:
                verdict = validate_safetensors(source)
            assert verdict.status == "passed", verdict.findings

        seconds = median_seconds(validate, runs)
        results.append(seconds)
        print(f"  {size // MB:>6} MB: {seconds * 1000:8.3f} ms")
        path.unlink()
    print(f"  ratio 10 GB / 10 MB: {results[-1] / results[0]:.2f} (flat is ~1)")


def torch_checkpoint(path: Path, target_bytes: int) -> int:
    import torch

    tensors = 400
    per_tensor = target_bytes // tensors // 4
    state = {
        f"model.layers.{i}.weight": torch.full((per_tensor,), float(i))
        for i in range(tensors)
    }
    torch.save(state, path)
    return tensors


def bench_pickle_scan(folder: Path, runs: int, size_mb: int) -> None:
    print("\npickle scan of torch zips (runs interleaved; median, best)")
    paths = []
    for target in (size_mb // 10, size_mb):
        path = folder / f"pytorch_model-{target}.bin"
        tensors = torch_checkpoint(path, target * MB)
        paths.append(path)
    reads: dict[Path, list[float]] = {path: [] for path in paths}
    scans: dict[Path, list[float]] = {path: [] for path in paths}

    def scan(path: Path) -> None:
        with FileSource(path) as source:
            verdict = validate_zip(source)
        assert verdict.status == "warning", verdict.findings

    def read_once(path: Path) -> None:
        with open(path, "rb") as handle:
            while handle.read(8 * 1024 * 1024):
                pass

    for path in paths:
        read_once(path)  # warm the page cache: the baseline is then a best case
    for _ in range(runs):
        for path in paths:
            reads[path].append(timed(partial(read_once, path)))
            scans[path].append(timed(partial(scan, path)))
    for path in paths:
        size = path.stat().st_size / MB
        read_s, scan_s = statistics.median(reads[path]), statistics.median(scans[path])
        print(f"  {size:5.0f} MB, {tensors} tensors:")
        print(
            f"    read the bytes once: {read_s * 1000:7.1f} ms "
            f"{size / read_s:8.0f} MB/s"
        )
        print(
            f"    validate (scan):     {scan_s * 1000:7.1f} ms "
            f"{size / scan_s:8.0f} MB/s"
            f"  (best {min(scans[path]) * 1000:.1f} ms)"
        )
        print(f"    ratio scan / read:   {scan_s / read_s:.3f}")
    small, large = (min(scans[path]) for path in paths)
    print(
        "  best scan time at 10x the tensor bytes, same tensor count: "
        f"{large / small:.2f}x (tensor data is never read: ~1)"
    )


def _moto(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=(folder / "moto.log").open("wb"),
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - loopback
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("moto.server did not start")


def bench_s3(folder: Path, runs: int, size_mb: int) -> None:
    import boto3

    from hub.storage.s3 import S3BlobStore
    from workers.validators.base import StoreSource

    print(f"\nchecks of S3 blobs ({size_mb} MB each; moto on loopback; median)")
    proc, url = _moto(folder)
    try:
        client = boto3.client(
            "s3",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        client.create_bucket(Bucket="bench")
        store = S3BlobStore(
            bucket="bench",
            prefix="",
            client=client,
            public_client=client,
            download_url_ttl=60,
        )
        safetensors = folder / "s3.safetensors"
        sparse_safetensors(safetensors, size_mb * MB)
        torch_zip = folder / "s3.bin"
        torch_checkpoint(torch_zip, size_mb * MB)
        for label, path, check, expected in (
            ("safetensors", safetensors, validate_safetensors, "passed"),
            ("torch zip  ", torch_zip, validate_zip, "warning"),
        ):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            with path.open("rb") as body:
                client.upload_fileobj(body, "bench", store.key(digest))
            size = path.stat().st_size
            requests: list[int] = []

            def download(digest: str = digest) -> None:
                hasher = hashlib.sha256()
                for chunk in store.iter_range(digest):
                    hasher.update(chunk)
                assert hasher.hexdigest() == digest

            def one_range(digest: str = digest) -> None:
                b"".join(store.iter_range(digest, 1000, 1999))

            if check is validate_safetensors:
                # What the worker does with a header format: ranges.
                def ranges(
                    digest: str = digest,
                    size: int = size,
                    requests: list[int] = requests,
                ) -> None:
                    source = StoreSource(store, digest, size, whole_below=0)
                    assert validate_safetensors(source).status == "passed"
                    requests.append(source.requests)

                work: Callable[[], None] = ranges
                how = "by ranges"
            else:
                # A zip over 64 MiB: one streamed copy, hashed, then the scan.
                def copy_and_scan(
                    digest: str = digest,
                    requests: list[int] = requests,
                    expected: str = expected,
                ) -> None:
                    with tempfile.NamedTemporaryFile(dir=folder) as copy:
                        hasher = hashlib.sha256()
                        for chunk in store.iter_range(digest):
                            hasher.update(chunk)
                            copy.write(chunk)
                        copy.flush()
                        assert hasher.hexdigest() == digest
                        with FileSource(copy.name) as source:
                            assert validate_zip(source).status == expected
                    requests.append(1)

                work = copy_and_scan
                how = "copy+scan"
            work_s = median_seconds(work, runs)
            download_s = median_seconds(download, max(1, runs // 3))
            range_s = median_seconds(one_range, runs)
            print(
                f"  {label}: {how} {work_s * 1000:8.1f} ms "
                f"({requests[-1]} GET) | download once {download_s * 1000:8.1f} ms"
                f" | ratio {download_s / work_s:5.2f}x"
                f" | one 1 KB range GET {range_s * 1000:6.1f} ms"
            )
    finally:
        proc.terminate()
        proc.wait(10)


def commit_files_for_latency(folder: Path) -> dict[str, bytes]:
    """Ten small files of the kinds people commit: eight that must be checked
    before strangers get them, a config and a card that need no check."""
    import io

    import numpy as np
    import torch
    from safetensors.numpy import save as save_safetensors

    files: dict[str, bytes] = {}
    rng = np.random.default_rng(7)
    for n in range(4):
        files[f"model-{n:05d}.safetensors"] = save_safetensors(
            {
                f"layer.{i}.weight": rng.random((16, 16), dtype=np.float32)
                for i in range(8)
            }
        )
    for n in range(2):
        buffer = io.BytesIO()
        np.save(buffer, rng.random((32, 8)))
        files[f"stats-{n}.npy"] = buffer.getvalue()
    for name in ("pytorch_model.bin", "optimizer.pt"):
        buffer = io.BytesIO()
        torch.save({f"w{i}": torch.zeros(4, 4) for i in range(6)}, buffer)
        files[name] = buffer.getvalue()
    files["config.json"] = json.dumps({"hidden_size": 16}).encode()
    files["README.md"] = b"---\nlicense: mit\n---\n# Latency probe\n"
    return files


CHECKED_SUFFIXES = (".safetensors", ".npy", ".bin", ".pt")


def _verdict_latency(
    hub_url: str, token: str, files: dict[str, bytes], name: str
) -> float:
    import requests
    from huggingface_hub import CommitOperationAdd, HfApi

    api = HfApi(endpoint=hub_url, token=token)
    repo_id = f"bench/{name}"
    api.create_repo(repo_id)
    api.create_commit(
        repo_id,
        [CommitOperationAdd(path, data) for path, data in files.items()],
        commit_message="probe",
    )
    committed = time.perf_counter()
    waiting = [p for p in files if p.endswith(CHECKED_SUFFIXES)]
    deadline = time.monotonic() + 120
    while waiting and time.monotonic() < deadline:
        still = []
        for path in waiting:
            answer = requests.head(
                f"{hub_url}/{repo_id}/resolve/main/{path}", timeout=10
            )
            if answer.status_code == 403 and "quarantined" in answer.headers.get(
                "X-Error-Message", ""
            ):
                sys.exit(f"{repo_id}/{path} was quarantined: the probe files are clean")
            if answer.status_code != 200:
                still.append(path)
        waiting = still
        if waiting:
            time.sleep(0.05)
    if waiting:
        sys.exit(f"{repo_id}: {waiting} still refused after 120 s")
    return time.perf_counter() - committed


def bench_latency(folder: Path, runs: int) -> None:
    from bench.hubproc import Hub

    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    files = commit_files_for_latency(folder)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    django.setup()
    import logging

    from workers.validators.base import BytesSource
    from workers.validators.registry import validate_file

    logging.getLogger("httpx2").setLevel(logging.WARNING)

    started = time.perf_counter()
    for path, data in files.items():
        validate_file(path, BytesSource(data))
    checks = time.perf_counter() - started
    print(
        f"\ncommit → verdict, {len(files)} files "
        f"({sum(len(d) for d in files.values()) / 1000:.0f} kB), {runs} commits"
    )
    print(f"  the ten checks in-process: {checks * 1000:.0f} ms (baseline)")
    for label, embedded in (
        ("embedded (SQLite, filesystem broker)", True),
        ("PostgreSQL + Redis", False),
    ):
        workdir = folder / ("embedded" if embedded else "redis")
        workdir.mkdir()
        hub = Hub(
            workdir,
            embedded=embedded,
            workers=(("default,validation", ("--concurrency", "2")),),
        )
        hub.start()
        try:
            token = hub.token()
            _verdict_latency(hub.url, token, files, "warm-up")  # workers ready
            times = sorted(
                _verdict_latency(hub.url, token, files, f"probe-{n}")
                for n in range(runs)
            )
        finally:
            hub.stop()
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"  {label:<38} p50 {p50:.2f} s, p95 {p95:.2f} s, max {times[-1]:.2f} s"
            f" ({p95 / checks:.0f}x the checks' own time; target p95 <= 5 s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--zip-mb", type=int, default=500)
    parser.add_argument(
        "--s3-mb", type=int, default=500, help="size of the S3 blobs (0: skip)"
    )
    parser.add_argument(
        "--latency-runs", type=int, default=20, help="commits per hub (0: skip)"
    )
    parser.add_argument(
        "--only-latency", action="store_true", help="skip the validator benches"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mc-bench-validation-") as tmp:
        folder = Path(tmp)
        if not args.only_latency:
            bench_safetensors(folder, args.runs)
            bench_pickle_scan(folder, args.runs, args.zip_mb)
            if args.s3_mb:
                bench_s3(folder, args.runs, args.s3_mb)
        if args.latency_runs:
            bench_latency(folder, args.latency_runs)


if __name__ == "__main__":
    main()
