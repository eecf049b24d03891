"""Xet benchmark: ``.venv/bin/python bench/xet.py [--size-mib 1024]``.

Starts the hub as deployed (gunicorn with ``deploy/gunicorn.conf.py``, a
throw-away SQLite database and blob root, production settings over plain HTTP
on the loopback, as bench/transfer.py does), and in the same run nginx on the
same machine and filesystem, then with files of ``--size-mib`` MiB (safetensors
checkpoints of random float bytes, written here):

* upload: the stock client (huggingface_hub + hf_xet, default settings, the
  file goes through Xet) against the LFS path (the same client with
  HF_HUB_DISABLE_XET=1: preupload, batch, PUT, verify, commit) and against
  nginx storing the same bytes (curl -T to ``dav_methods PUT``);
* serving: the xorb ranges of the file's reconstruction (``GET
  /v2/reconstructions/{id}``, then every fetch URL with its Range header, one
  curl keeping its connection as a client does)
  against nginx serving the same file statically; beside them the client's
  own downloads (``hf_hub_download`` through Xet, and through LFS) and the
  classic resolve URL, which the hub rebuilds from the xorbs for clients
  without hf_xet;
* the server's RSS (gunicorn master and workers) over each phase, against
  its idle RSS;
* dedup: a fine-tune with 5% of its tensors changed, uploaded to another repo
  from a fresh client cache (only the hub's dedup can help), against the
  base's stored bytes (the xorbs under the blob root).

Client timings are taken inside the client's process (interpreter start-up
excluded). Targets (issue 15): Xet upload >= 0.8x the LFS path, range serving
>= 0.8x nginx static, RSS growth <= 100 MB, base + fine-tune stored in <= 1.15x
the base's bytes. ``--size-mib 2 --no-nginx`` is a run of seconds
(tests/bench/test_xet_bench.py); its figures mean nothing at that size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench.transfer import (  # noqa: E402
    Hub,
    RssSampler,
    curl_get,
    curl_put,
    free_port,
    interleaved,
    log,
    mbps,
    nginx_available,
    ratio,
    report_line,
    report_rss,
    start_nginx,
)

MIB = 1024 * 1024
TENSORS = 40
CHANGED = 2  # 5% of the tensors
TARGET_UPLOAD = 0.8
TARGET_RANGES = 0.8
TARGET_RSS_MB = 100
TARGET_DEDUP = 1.15

# The stock client, timed inside its own process (no import time).
CLIENT = """
import json, sys, time
from huggingface_hub import HfApi, constants, hf_hub_download
from huggingface_hub.utils._runtime import is_xet_available
endpoint, token, action, repo, path, other = sys.argv[1:]
api = HfApi(endpoint=endpoint, token=token)
start = time.perf_counter()
if action == "upload":
    api.upload_file(path_or_fileobj=path, path_in_repo=other, repo_id=repo)
else:
    hf_hub_download(repo, path, endpoint=endpoint, token=token, cache_dir=other)
seconds = time.perf_counter() - start
xet = is_xet_available() and not constants.HF_HUB_DISABLE_XET
print(json.dumps({"seconds": seconds, "xet": xet}))
"""


def write_checkpoint(path: Path, size: int) -> None:
    """A safetensors file of TENSORS float32 tensors of random bytes."""
    per = max(size // TENSORS // 4 * 4, 4)
    header: dict[str, Any] = {"__metadata__": {"format": "pt"}}
    for i in range(TENSORS):
        header[f"h.{i:03d}.weight"] = {
            "dtype": "F32",
            "shape": [per // 4],
            "data_offsets": [i * per, (i + 1) * per],
        }
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as out:
        out.write(len(raw).to_bytes(8, "little") + raw)
        remaining = per * TENSORS
        while remaining:
            block = os.urandom(min(remaining, 4 * MIB))
            out.write(block)
            remaining -= len(block)


def fine_tune(base: Path, tuned: Path) -> int:
    """A copy of ``base`` with CHANGED tensors (spread out) re-drawn; the
    changed bytes."""
    shutil.copyfile(base, tuned)
    with open(tuned, "r+b") as handle:
        header_len = int.from_bytes(handle.read(8), "little")
        header = json.loads(handle.read(header_len))
        names = sorted(k for k in header if k != "__metadata__")
        changed = 0
        for name in names[TENSORS // (CHANGED + 1) :: TENSORS // (CHANGED + 1)][
            :CHANGED
        ]:
            start, end = header[name]["data_offsets"]
            handle.seek(8 + header_len + start)
            handle.write(os.urandom(end - start))
            changed += end - start
    return changed


def client_env(home: Path, *, xet: bool) -> dict[str, str]:
    """A user with default settings (no HF_*/XET_* variable), or with Xet off."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HF_", "XET_", "HUGGINGFACE_"))
    }
    env.update(
        HF_HOME=str(home),
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_DISABLE_PROGRESS_BARS="1",
    )
    if not xet:
        env["HF_HUB_DISABLE_XET"] = "1"
    return env


def xorb_bytes(root: Path) -> int:
    folder = root / "xorbs"
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class XetRun:
    """One run: the hub, nginx, the files, and the figures measured."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.size = int(args.size_mib * MIB)
        self.files = {
            name: workdir / "data" / f"{name}.safetensors"
            for name in ("base", "tuned", "lfs")
        }
        self.hub = Hub(workdir, free_port())
        self.hub.env.update(
            HUB_INLINE_UPLOAD_MAX_BYTES=str(min(MIB, max(self.size // 2, 1))),
            HUB_PUBLIC_URL=self.hub.url,
        )
        self.blob_root = workdir / "var" / "blobs"
        self.use_nginx = not args.no_nginx and nginx_available(install=True)
        self.nginx_port = free_port()
        self.nginx_url = f"http://127.0.0.1:{self.nginx_port}/put/base.safetensors"
        self.nginx: subprocess.Popen[bytes] | None = None
        self.token = ""
        self.rss: RssSampler | None = None
        self.idle = 0
        self.peaks: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.stored: dict[str, int] = {}
        self.changed = 0
        self.range_bytes = 0

    # Setup ------------------------------------------------------------------

    def prepare(self) -> None:
        self.files["base"].parent.mkdir(parents=True)
        log(f"writing checkpoints of {self.args.size_mib} MiB of random bytes ...")
        write_checkpoint(self.files["base"], self.size)
        write_checkpoint(self.files["lfs"], self.size)
        self.changed = fine_tune(self.files["base"], self.files["tuned"])
        self.size = self.files["base"].stat().st_size

    def start(self) -> None:
        hub = self.hub
        log("migrating a fresh SQLite database, creating a user and token ...")
        hub.manage("migrate", "--noinput", "-v", "0")
        self.token = hub.manage(
            "hub_token", "--user", "bench", "--scope", "write", "--create-user"
        )
        hub.start()
        if self.use_nginx:
            self.nginx = start_nginx(self.workdir, self.nginx_port)
        else:
            log("nginx is not available: its baselines are skipped")
        assert hub.proc is not None
        self.rss = RssSampler(hub.proc.pid)
        for name in ("xet-base", "xet-tuned", "lfs"):
            response = requests.post(
                f"{hub.url}/api/repos/create",
                json={"name": name, "type": "model"},
                headers=self.auth(),
                timeout=60,
            )
            response.raise_for_status()
        for _ in range(20):  # warm both workers up before the idle RSS
            requests.get(f"{hub.url}/api/whoami-v2", headers=self.auth(), timeout=10)
        self.idle = self.rss.current()

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        assert self.rss is not None
        with self.rss.measure():
            yield
        self.peaks[name] = max(self.peaks.get(name, 0), self.rss.peak)

    # Measurements -------------------------------------------------------------

    def client(self, *args: str, xet: bool, home: str) -> float:
        done = subprocess.run(
            [sys.executable, "-c", CLIENT, self.hub.url, self.token, *args],
            env=client_env(self.workdir / home, xet=xet),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"client {args[:2]} failed:\n{done.stderr[-4000:]}")
        report = json.loads(done.stdout.strip().splitlines()[-1])
        if report["xet"] is not xet:
            raise SystemExit(f"the client ran with Xet {report['xet']}, not {xet}")
        return float(report["seconds"])

    def xet_hash(self, repo: str) -> str | None:
        response = requests.post(
            f"{self.hub.url}/api/models/bench/{repo}/paths-info/main",
            data={"paths": ["model.safetensors"], "expand": "true"},
            headers=self.auth(),
            timeout=60,
        )
        response.raise_for_status()
        (entry,) = response.json()
        return entry.get("xetHash")

    def round_files(self, r: int) -> tuple[Path, Path]:
        """(LFS file, Xet file) of upload round ``r``: fresh content each
        round (a second Xet upload of the same bytes would send nothing)."""
        if r == 0:
            return self.files["lfs"], self.files["base"]
        data = self.workdir / "data"
        pair = (data / f"lfs-{r}.safetensors", data / f"xet-{r}.safetensors")
        for path in pair:
            write_checkpoint(path, self.size)
        return pair

    def measure_uploads(self) -> None:
        log(
            f"measuring uploads (nginx PUT, the LFS path, Xet; best of "
            f"{self.args.repeat}, fresh content each round) ..."
        )
        times: dict[str, list[float]] = {"nginx-put": [], "lfs-up": [], "xet-up": []}
        for r in range(self.args.repeat):
            lfs, xet = self.round_files(r)
            name = "model.safetensors" if r == 0 else f"round-{r}.safetensors"
            if self.use_nginx:
                os.sync()
                times["nginx-put"].append(curl_put(self.nginx_url, xet))
            os.sync()
            with self.phase("LFS upload (client, Xet off)"):
                times["lfs-up"].append(
                    self.client("upload", "bench/lfs", str(lfs), name,
                                xet=False, home=f"home-lfs-{r}")
                )  # fmt: skip
            os.sync()
            before = xorb_bytes(self.blob_root)
            with self.phase("Xet upload (client, default settings)"):
                times["xet-up"].append(
                    self.client("upload", "bench/xet-base", str(xet), name,
                                xet=True, home=f"home-xet-{r}")
                )  # fmt: skip
            if r == 0:
                self.stored["base"] = xorb_bytes(self.blob_root) - before
            else:
                lfs.unlink()
                xet.unlink()
        self.seconds.update({k: min(v) for k, v in times.items() if v})
        if not self.xet_hash("xet-base"):
            raise SystemExit("the default client's upload was not stored through Xet")
        if self.xet_hash("lfs"):
            raise SystemExit("the upload with HF_HUB_DISABLE_XET=1 went through Xet")

    def fetch_plan(self) -> list[tuple[str, str]]:
        """(url, Range header) of each xorb fetch of the file's reconstruction."""
        answer = requests.get(
            f"{self.hub.url}/api/models/bench/xet-base/xet-read-token/main",
            headers=self.auth(),
            timeout=60,
        )
        answer.raise_for_status()
        cas = answer.headers["X-Xet-Cas-Url"].rstrip("/")
        token = answer.headers["X-Xet-Access-Token"]
        file_id = self.xet_hash("xet-base")
        start = time.perf_counter()
        plan = requests.get(
            f"{cas}/v2/reconstructions/{file_id}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        self.seconds["reconstruction-query"] = time.perf_counter() - start
        plan.raise_for_status()
        fetches = []
        self.range_bytes = 0
        for entries in plan.json()["xorbs"].values():
            for entry in entries:
                spans = [
                    (r["bytes"]["start"], r["bytes"]["end"]) for r in entry["ranges"]
                ]
                self.range_bytes += sum(b - a + 1 for a, b in spans)
                header = "bytes=" + ",".join(f"{a}-{b}" for a, b in spans)
                fetches.append((entry["url"], header))
        return fetches

    def measure_serving(self) -> None:
        log("measuring serving (xorb ranges and nginx static taking turns) ...")
        fetches = self.fetch_plan()

        def ranges() -> float:
            # One curl for all fetch URLs, as a client keeps its connections
            # (hf_xet's pool; gunicorn keeps them alive): each transfer's own
            # time, summed, the connection set up once.
            args: list[str] = []
            for url, header in fetches:
                args += ["--next"] if args else []
                args += [
                    "-sS",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code} %{time_total}\\n",
                ]
                args += ["-H", f"Range: {header}", url]
            done = subprocess.run(
                ["curl", *args], capture_output=True, text=True, check=True
            )
            total = 0.0
            for status, seconds in zip(
                done.stdout.split()[::2], done.stdout.split()[1::2], strict=True
            ):
                if status not in ("200", "206"):
                    raise SystemExit(f"xorb fetch answered {status}")
                total += float(seconds)
            return total

        def hub_ranges() -> float:
            with self.phase("xorb range serving"):
                return ranges()

        actions: dict[str, Callable[[], float]] = {"ranges": hub_ranges}
        if self.use_nginx:
            actions["nginx-get"] = lambda: curl_get(self.nginx_url)
        self.seconds.update(interleaved(self.args.repeat, actions))
        resolve = f"{self.hub.url}/bench/xet-base/resolve/main/model.safetensors"
        with self.phase("resolve URL (hub rebuilds the file)"):
            self.seconds["resolve"] = curl_get(resolve, self.token)
        with self.phase("Xet download (client)"):
            self.seconds["xet-down"] = self.client(
                "download", "bench/xet-base", "model.safetensors",
                str(self.workdir / "cache-xet"), xet=True, home="home-down",
            )  # fmt: skip
        with self.phase("LFS download (client, Xet off)"):
            self.seconds["lfs-down"] = self.client(
                "download", "bench/lfs", "model.safetensors",
                str(self.workdir / "cache-lfs"), xet=False, home="home-down-lfs",
            )  # fmt: skip

    def measure_dedup(self) -> None:
        log("measuring dedup (a fine-tune from a fresh client cache) ...")
        before = xorb_bytes(self.blob_root)
        with self.phase("Xet upload of the fine-tune"):
            self.seconds["xet-tuned"] = self.client(
                "upload", "bench/xet-tuned", str(self.files["tuned"]),
                "model.safetensors", xet=True, home="home-tuned",
            )  # fmt: skip
        self.stored["fine-tune"] = xorb_bytes(self.blob_root) - before

    def stop(self) -> None:
        self.hub.stop()
        if self.nginx is not None:
            self.nginx.terminate()
            self.nginx.wait(30)

    # Report -------------------------------------------------------------------

    def report(self) -> None:
        s, size = self.seconds, self.size
        log("")
        log(f"file: {size} bytes ({TENSORS} tensors), best of "
            f"{self.args.repeat} rounds")  # fmt: skip
        log("upload")
        report_line("nginx PUT to disk (curl -T)", size, s.get("nginx-put"))
        report_line(
            "LFS path (client, HF_HUB_DISABLE_XET=1)",
            size,
            s["lfs-up"],
            ratio(s.get("nginx-put"), s["lfs-up"], "{:.2f}x nginx PUT"),
        )
        report_line(
            "Xet (client, default settings)",
            size,
            s["xet-up"],
            ratio(
                s["lfs-up"], s["xet-up"], f"{{:.2f}}x the LFS path (target "
                f"{TARGET_UPLOAD}x), "
            )
            + ratio(s.get("nginx-put"), s["xet-up"], "{:.2f}x nginx PUT"),
        )  # fmt: skip
        log("serving")
        report_line("nginx static GET (curl, sendfile)", size, s.get("nginx-get"))
        report_line(
            "xorb ranges of the reconstruction (curl)",
            self.range_bytes,
            s["ranges"],
            ratio(
                mbps(self.range_bytes, s["ranges"]),
                mbps(size, s["nginx-get"]) if "nginx-get" in s else None,
                f"{{:.2f}}x nginx static (target {TARGET_RANGES}x)",
            ),
        )
        log(f"  reconstruction query: {s['reconstruction-query'] * 1000:.0f} ms")
        report_line(
            "resolve URL, rebuilt by the hub (curl)",
            size,
            s["resolve"],
            ratio(s.get("nginx-get"), s["resolve"], "{:.2f}x nginx static"),
        )
        report_line(
            "hf_hub_download through Xet (client)",
            size,
            s["xet-down"],
            ratio(s["lfs-down"], s["xet-down"], "{:.2f}x the LFS client"),
        )
        report_line("hf_hub_download through LFS (client)", size, s["lfs-down"])
        self.report_dedup_and_rss()

    def report_dedup_and_rss(self) -> None:
        base, grown = self.stored["base"], self.stored["fine-tune"]
        both = base + grown
        verdict = "ok" if both / base <= TARGET_DEDUP else "OVER"
        log("dedup")
        log(f"  base stored: {base} bytes ({base / self.size:.3f}x its file)")
        log(
            f"  fine-tune ({CHANGED} of {TENSORS} tensors changed, {self.changed} "
            f"bytes): +{grown} bytes ({grown / max(self.changed, 1):.2f}x the change)"
        )
        log(
            f"  base + fine-tune stored: {both / base:.3f}x the base "
            f"(target <= {TARGET_DEDUP}x: {verdict})"
        )
        log(f"  fine-tune upload: {mbps(self.size, self.seconds['xet-tuned']):.0f} "
            "MB/s of file (client)")  # fmt: skip
        report_rss(self.idle, self.peaks, TARGET_RSS_MB)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--size-mib", type=float, default=1024, help="checkpoint size in MiB"
    )
    parser.add_argument("--repeat", type=int, default=3, help="best of N rounds")
    parser.add_argument(
        "--no-nginx",
        action="store_true",
        help="skip the nginx baselines (also skipped when nginx cannot be found "
        "or installed); the hub is measured all the same",
    )
    args = parser.parse_args()
    if args.size_mib <= 0:
        raise SystemExit("--size-mib must be positive")
    if shutil.which("curl") is None:
        raise SystemExit("curl is required")
    with tempfile.TemporaryDirectory(prefix="mc-xet-") as tmp:
        run = XetRun(args, Path(tmp))
        run.prepare()
        try:
            run.start()
            run.measure_uploads()
            run.measure_serving()
            run.measure_dedup()
        finally:
            run.stop()
        run.report()


if __name__ == "__main__":
    main()
