"""Transfer benchmark: ``.venv/bin/python bench/transfer.py [--size-mib 1024]``.

Starts the hub as it is deployed (gunicorn with ``deploy/gunicorn.conf.py``,
a throw-away SQLite database and blob root under a temporary HUB_VAR_DIR),
then moves one file of ``--size-mib`` MiB through it and, in the same run,
through nginx on the same machine and filesystem:

* upload with the real huggingface_hub client (HF_HUB_DISABLE_XET=1, the
  file goes through LFS: preupload, batch, PUT or parts + completion,
  verify, commit), and with curl PUTting to the signed href of a batch call;
* download with the client (``hf_hub_download``) and with curl (resolve URL);
* baselines: nginx storing the same PUT to disk (``dav_methods PUT``,
  ``client_body_temp_path`` on the same filesystem), nginx serving the file
  statically (sendfile), and Python's hashlib.sha256 over the file.

Prints MB/s (10^6 bytes per second), the ratios hub/nginx, and the peak RSS
of the gunicorn master and workers (psutil) against their idle RSS.

The hub runs with production settings (HUB_DEBUG=false) over plain HTTP on
the loopback, as deploy/local runs it behind nginx (HUB_HTTPS=false: TLS
ends before nginx). ``--size-mib 0.25 --repeat 1 --no-nginx`` is a run of
seconds (tests/bench/test_transfer_bench.py); without nginx (``--no-nginx``,
or nginx neither installed nor installable) the nginx baselines are skipped
and the hub is measured all the same.

``--deployed`` measures the production topology instead (deploy/local/up:
nginx, gunicorn, workers, PostgreSQL, Redis, an S3 server): a download
through nginx with X-Accel-Redirect against the same nginx serving the same
file statically (target >= 0.95x, time to first byte <= 3 ms), then, with
the S3 store, a download by the hub's presigned redirect against a direct
GET of the object from S3.
Targets: curl upload >= 0.8x nginx PUT, curl download >= 0.9x nginx static,
RSS growth <= 50 MB. nginx is installed with apt-get when it is missing.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MIB = 1024 * 1024

# The client reads these at import time: LFS instead of Xet, no noise.
os.environ["HF_HUB_DISABLE_XET"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
os.environ.pop("HF_TOKEN", None)

import psutil  # noqa: E402
import requests  # noqa: E402

sys.path.insert(0, str(ROOT))
from bench.first_byte import first_byte_series  # noqa: E402

TARGET_UPLOAD = 0.8
TARGET_DOWNLOAD = 0.9
TARGET_ACCEL = 0.95
TARGET_FIRST_BYTE_MS = 3
TARGET_RSS_MB = 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mbps(size: int, seconds: float) -> float:
    return size / seconds / 1e6


def log(message: str) -> None:
    print(message, flush=True)


# Processes ------------------------------------------------------------------


class RssSampler:
    """Peak summed RSS of a process tree (gunicorn master and workers)."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def current(self) -> int:
        total = 0
        for proc in [self.root, *self.root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.current())
            time.sleep(0.05)

    @contextlib.contextmanager
    def measure(self) -> Iterator[RssSampler]:
        self.peak = self.current()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()


def find_nginx() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


def ensure_nginx() -> str:
    found = find_nginx()
    if found:
        return found
    log("nginx is not installed: installing it with apt-get (nginx, for dav PUT)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "nginx"], check=True, env=env)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_available(install: bool) -> bool:
    """Whether the nginx baselines can run (installing nginx if asked and able)."""
    if find_nginx():
        return True
    if not install or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return False
    try:
        ensure_nginx()
    except (subprocess.CalledProcessError, OSError) as exc:
        log(f"nginx could not be installed ({exc})")
        return False
    return find_nginx() is not None


def start_nginx(workdir: Path, port: int) -> subprocess.Popen[bytes]:
    nginx = ensure_nginx()
    www = workdir / "nginx-www"
    body = workdir / "nginx-body"  # same filesystem as the hub's blob root
    for folder in (www / "put", body, workdir / "nginx-logs"):
        folder.mkdir(parents=True, exist_ok=True)
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"""{user}
daemon off;
worker_processes 2;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_max_body_size 0;
    client_body_temp_path {body};
    server {{
        listen 127.0.0.1:{port};
        root {www};
        location /put/ {{
            dav_methods PUT;
            create_full_put_path on;
            dav_access user:rw group:r all:r;
        }}
    }}
}}
"""
    )
    proc = subprocess.Popen(
        [nginx, "-c", str(conf), "-p", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    wait_http(f"http://127.0.0.1:{port}/", proc)
    return proc


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode} before {url}")
        try:
            # A loaded machine may take seconds to answer the first request
            # (gunicorn imports the app in its worker): wait, then ask again.
            requests.get(url, timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout}s")


class Hub:
    """The hub under gunicorn, on a throw-away HUB_VAR_DIR."""

    def __init__(self, workdir: Path, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.logfile = workdir / "gunicorn.log"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("HUB_")
            and key not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
        }
        self.env.update(
            {
                "HUB_VAR_DIR": str(workdir / "var"),
                "HUB_BIND": f"127.0.0.1:{port}",
                "HUB_DEBUG": "false",
                # As deployed behind nginx on the loopback (deploy/local):
                # plain HTTP, no redirect to HTTPS (TLS ends before nginx).
                "HUB_HTTPS": "false",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "HUB_LOG_LEVEL": "WARNING",
                # Anything over 1 MiB goes through LFS, as large checkpoints do.
                "HUB_INLINE_UPLOAD_MAX_BYTES": str(MIB),
                "DJANGO_SETTINGS_MODULE": "hub.settings",
            }
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise SystemExit(f"manage.py {args[0]} failed:\n{result.stderr}")
        return result.stdout.strip()

    def start(self) -> None:
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        self.proc = subprocess.Popen(
            [gunicorn, "-c", "deploy/gunicorn.conf.py", "hub.wsgi:application"],
            cwd=ROOT,
            env=self.env,
            stdout=self.logfile.open("wb"),
            stderr=subprocess.STDOUT,
        )
        wait_http(f"{self.url}/api/whoami-v2", self.proc)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def purge_blob(self, oid: str) -> None:
        """Forget an uncommitted object so the next upload really sends it."""
        self.manage(
            "shell",
            "-c",
            "from hub.storage.models import Blob;"
            "from hub.storage.services import blob_store;"
            f"Blob.objects.filter(pk={oid!r}).delete();"
            f"blob_store().delete({oid!r})",
        )


# Measurements ---------------------------------------------------------------


# Time to first byte of the last download per URL, for the report.
FIRST_BYTE: dict[str, list[float]] = {}


def first_byte_ms(url: str) -> float:
    """Median time to first byte of the downloads of ``url``, in ms."""
    return statistics.median(FIRST_BYTE.get(url) or [0.0]) * 1000


def report_rss(idle: int, peaks: dict[str, int], target_mb: float) -> None:
    """The server's idle RSS and, per phase, its peak and growth vs target."""
    log(f"gunicorn RSS (master + workers), idle {idle / 1e6:.0f} MB")
    for phase, peak in peaks.items():
        growth = (peak - idle) / 1e6
        verdict = "ok" if growth <= target_mb else "OVER"
        log(
            f"  {phase:<44} peak {peak / 1e6:7.0f} MB  growth {growth:6.1f} MB "
            f"(target <= {target_mb} MB: {verdict})"
        )


def curl(*args: str) -> tuple[int, float]:
    """Run curl; return (HTTP status, seconds as curl measured them)."""
    result = subprocess.run(
        [
            "curl",
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{time_total} %{time_starttransfer}",
            *args,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    status, seconds, first_byte = result.stdout.split()
    FIRST_BYTE.setdefault(args[-1], []).append(float(first_byte))
    return int(status), float(seconds)


def curl_put(url: str, path: Path) -> float:
    # No "Expect: 100-continue" round trip, for nginx and the hub alike.
    status, seconds = curl("-T", str(path), "-H", "Expect:", url)
    if not 200 <= status < 300:
        raise SystemExit(f"PUT {url.split('?')[0]} answered {status}")
    return seconds


def curl_get(url: str, token: str | None = None) -> float:
    headers = ["-H", f"Authorization: Bearer {token}"] if token else []
    status, seconds = curl("-L", *headers, url)
    if status != 200:
        raise SystemExit(f"GET {url} answered {status}")
    return seconds


def interleaved(runs: int, actions: dict[str, Callable[[], float]]) -> dict[str, float]:
    """Best time of each action over ``runs`` rounds, the actions taking turns.

    Taking turns spreads the noise of a shared machine over all contenders
    instead of one of them; each run starts with no dirty pages pending (an
    nginx PUT leaves 1 GiB dirty that the next fsync would wait behind).
    """
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            os.sync()
            times[name].append(action())
    return {name: min(values) for name, values in times.items()}


def durable_write_seconds(path: Path, folder: Path) -> float:
    """Copy the file with write() + fsync(), as the blob store must."""
    target = folder / "durable-copy.bin"
    start = time.perf_counter()
    with open(path, "rb") as src, open(target, "wb") as out:
        while chunk := src.read(MIB):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    elapsed = time.perf_counter() - start
    target.unlink()
    return elapsed


def make_file(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        remaining = size
        while remaining:
            block = os.urandom(min(remaining, 4 * MIB))
            digest.update(block)
            out.write(block)
            remaining -= len(block)
    return digest.hexdigest()


def hash_seconds(path: Path) -> float:
    start = time.perf_counter()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(MIB):
            digest.update(chunk)
    return time.perf_counter() - start


def batch_href(hub: Hub, token: str, repo_id: str, oid: str, size: int) -> str:
    response = requests.post(
        f"{hub.url}/{repo_id}.git/info/lfs/objects/batch",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/vnd.git-lfs+json",
            "Accept": "application/vnd.git-lfs+json",
        },
        data=json.dumps(
            {
                "operation": "upload",
                "transfers": ["basic"],
                "objects": [{"oid": oid, "size": size}],
                "hash_algo": "sha256",
                "ref": {"name": "main"},
            }
        ),
        timeout=60,
    )
    response.raise_for_status()
    obj = response.json()["objects"][0]
    if "actions" not in obj:
        raise SystemExit(f"the hub already holds {oid}: nothing would be sent")
    return str(obj["actions"]["upload"]["href"])


def route_exists(url: str, method: str = "POST") -> bool:
    """Whether the hub routes ``url`` (Django's own 404 has no X-Error-Message)."""
    response = requests.request(method, url, timeout=10)
    return response.status_code != 404 or "X-Error-Message" in response.headers


def create_repo(hub: Hub, api: Any, name: str) -> str:
    try:
        return str(api.create_repo(name, exist_ok=True).repo_id)
    except Exception as exc:  # the repos face may not be routed yet
        log(f"  create_repo through the HF API failed ({exc}); using manage.py")
        hub.manage(
            "shell",
            "-c",
            "from hub.accounts.models import Namespace, User;"
            "from hub.catalog.services.repos import repo_create;"
            "u = User.objects.get(username='bench');"
            f"repo_create(namespace=Namespace.objects.get(user=u), name={name!r},"
            " creator=u)",
        )
        return f"bench/{name}"


def client_upload(hub: Hub, api: Any, repo_id: str, path: Path) -> tuple[float, str]:
    """Upload ``path`` with the real client; returns (seconds, what was timed)."""
    from huggingface_hub import CommitOperationAdd
    from huggingface_hub.lfs import lfs_upload, post_lfs_batch_info

    if route_exists(f"{hub.url}/api/models/{repo_id}/preupload/main"):
        start = time.perf_counter()
        api.upload_file(
            path_or_fileobj=str(path), path_in_repo=path.name, repo_id=repo_id
        )
        return time.perf_counter() - start, "upload_file (hash, preupload, LFS, commit)"
    # Without the commit API, time the client's own LFS code alone.
    start = time.perf_counter()
    operation = CommitOperationAdd(path_in_repo=path.name, path_or_fileobj=str(path))
    actions, errors, _ = post_lfs_batch_info(
        upload_infos=[operation.upload_info],
        token=api.token,
        repo_type="model",
        repo_id=repo_id,
        revision="main",
        endpoint=hub.url,
    )
    if errors:
        raise SystemExit(f"batch errors: {errors}")
    lfs_upload(
        operation=operation,
        lfs_batch_action=actions[0],
        headers={"authorization": f"Bearer {api.token}"},
        endpoint=hub.url,
    )
    return time.perf_counter() - start, "lfs.post_lfs_batch_info + lfs.lfs_upload"


def report_line(label: str, size: int, seconds: float | None, extra: str = "") -> None:
    if seconds is None:
        log(f"  {label:<44} {'n/a':>10}  {extra}")
    else:
        log(
            f"  {label:<44} {mbps(size, seconds):>7.0f} MB/s  {seconds:6.2f} s  {extra}"
        )


class Topology:
    """One ``deploy/local/up`` topology (its own state directory)."""

    def __init__(
        self, workdir: Path, blob_store: str, extra_env: tuple[str, ...] = ()
    ) -> None:
        self.state = workdir / f"topology-{blob_store}"
        self.state.mkdir(mode=0o755)
        self.state.chmod(0o755)
        result = subprocess.run(
            [
                str(ROOT / "deploy" / "local" / "up"),
                "--state-dir",
                str(self.state),
                "--blob-store",
                blob_store,
                "--env",
                "HUB_LOG_LEVEL=WARNING",
                *(item for name in extra_env for item in ("--env", name)),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            self.down()
            raise SystemExit(f"deploy/local/up failed:\n{result.stdout}{result.stderr}")
        data = json.loads((self.state / "state.json").read_text())
        self.url: str = data["url"]
        self.env: dict[str, str] = data["env"]

    def manage(self, *args: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
        env.update(self.env)
        for key in ("DATABASE_URL", "REDIS_URL"):
            env[key] = self.env[key]
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip().splitlines()[-1]

    def down(self) -> None:
        subprocess.run(
            [
                PYTHON,
                str(ROOT / "deploy" / "local" / "topology.py"),
                "down",
                "--state-dir",
                str(self.state),
            ],
            cwd=ROOT,
            capture_output=True,
        )


def deployed(args: argparse.Namespace) -> None:
    """Downloads in the production topology (see the module docstring)."""
    from huggingface_hub import HfApi

    size = int(args.size_mib * MIB)
    with tempfile.TemporaryDirectory(prefix="mc-transfer-deployed-") as tmp:
        workdir = Path(tmp)
        workdir.chmod(0o755)
        os.environ["HF_HOME"] = str(workdir / "hf-home")
        data = workdir / "model.bin"
        log(f"writing {args.size_mib} MiB of random bytes ...")
        oid = make_file(data, size)
        results: dict[str, float] = {}
        urls: dict[str, str] = {}

        log("starting the topology with the local blob store (deploy/local/up) ...")
        local = Topology(workdir, "local")
        try:
            token = local.manage(
                "hub_token", "--user", "bench", "--scope", "write", "--create-user"
            )
            api = HfApi(endpoint=local.url, token=token)
            repo_id = api.create_repo("bench-model").repo_id
            api.upload_file(
                path_or_fileobj=str(data), path_in_repo=data.name, repo_id=repo_id
            )
            blob = Path(local.env["HUB_BLOB_ROOT"]) / oid[:2] / oid[2:4] / oid
            static = Path(local.env["HUB_STATIC_ROOT"]) / "bench" / data.name
            static.parent.mkdir(exist_ok=True)
            os.link(blob, static)  # the very same file, served as a static one
            resolve = f"{local.url}/{repo_id}/resolve/main/{data.name}"
            urls["x-accel"] = resolve
            urls["static"] = f"{local.url}/static/bench/{data.name}"
            log("measuring X-Accel-Redirect and static downloads (taking turns) ...")
            results.update(
                interleaved(
                    args.repeat,
                    {
                        "static": lambda: curl_get(
                            f"{local.url}/static/bench/{data.name}"
                        ),
                        "x-accel": lambda: curl_get(resolve, token),
                    },
                )
            )
            first_bytes = measure_first_bytes(local, urls, token, args.ttfb_samples)
        finally:
            local.down()

        log("")
        log(
            f"file: {args.size_mib} MiB ({size} bytes), best of {args.repeat} "
            "rounds, curl through nginx (deploy/nginx/hub.conf.template)"
        )
        report_line("nginx static (same file, same nginx)", size, results["static"])
        report_line(
            "hub resolve, nginx X-Accel-Redirect",
            size,
            results["x-accel"],
            f"{results['static'] / results['x-accel']:.2f}x nginx static "
            f"(target {TARGET_ACCEL}x)",
        )
        log(
            "  time to first byte (median of the runs): X-Accel "
            f"{first_byte_ms(urls['x-accel']):.1f} ms, static "
            f"{first_byte_ms(urls['static']):.1f} ms "
            f"(target <= {TARGET_FIRST_BYTE_MS} ms)"
        )
        report_first_bytes(first_bytes, args.ttfb_samples)

        log("starting the topology with the S3 store ...")
        # moto assembles very large multipart uploads poorly: upload with
        # one PUT (what is measured here is the download).
        s3 = Topology(
            workdir,
            "s3",
            (f"HUB_S3_MULTIPART_THRESHOLD_BYTES={max(size + 1, 5 * MIB)}",),
        )
        try:
            import boto3

            token = s3.manage(
                "hub_token", "--user", "bench", "--scope", "write", "--create-user"
            )
            api = HfApi(endpoint=s3.url, token=token)
            repo_id = api.create_repo("bench-model").repo_id
            api.upload_file(
                path_or_fileobj=str(data), path_in_repo=data.name, repo_id=repo_id
            )
            client = boto3.client(
                "s3",
                endpoint_url=s3.env["HUB_S3_ENDPOINT_URL"],
                aws_access_key_id=s3.env["HUB_S3_ACCESS_KEY_ID"],
                aws_secret_access_key=s3.env["HUB_S3_SECRET_ACCESS_KEY"],
                region_name=s3.env["HUB_S3_REGION"],
            )
            direct = client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": "hub-blobs",
                    "Key": f"blobs/{oid[:2]}/{oid[2:4]}/{oid}",
                },
                ExpiresIn=3600,
            )
            resolve = f"{s3.url}/{repo_id}/resolve/main/{data.name}"
            log("measuring presigned-redirect and direct S3 downloads ...")
            results.update(
                interleaved(
                    args.repeat,
                    {
                        "s3-direct": lambda: curl_get(direct),
                        "s3-redirect": lambda: curl_get(resolve, token),
                    },
                )
            )
        finally:
            s3.down()
        report_line(
            "S3 GET of the object (direct, presigned)", size, results["s3-direct"]
        )
        report_line(
            "hub resolve, 302 to a presigned S3 URL",
            size,
            results["s3-redirect"],
            f"{results['s3-direct'] / results['s3-redirect']:.2f}x direct S3 GET",
        )


def ratio(numerator: float | None, denominator: float | None, text: str) -> str:
    """``text`` with the ratio numerator/denominator, or "" when one is missing."""
    if not numerator or not denominator:
        return ""
    return text.format(numerator / denominator)


class LocalRun:
    """One run of the local (non ``--deployed``) benchmark: its setup and figures."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.size = int(args.size_mib * MIB)
        self.data = workdir / "data" / "model.bin"
        self.hub = Hub(workdir, free_port())
        # A tiny file still goes through LFS (*.bin is an LFS path anyway).
        self.hub.env["HUB_INLINE_UPLOAD_MAX_BYTES"] = str(
            min(MIB, max(self.size - 1, 0))
        )
        if args.multipart_threshold_mib is not None:
            self.hub.env["HUB_LFS_MULTIPART_THRESHOLD_BYTES"] = str(
                int(args.multipart_threshold_mib * MIB)
            )
        self.use_nginx = not args.no_nginx and nginx_available(install=True)
        self.nginx_port = free_port()
        self.nginx_url = f"http://127.0.0.1:{self.nginx_port}/put/model.bin"
        self.nginx: subprocess.Popen[bytes] | None = None
        self.peaks: dict[str, int] = {}
        self.base: dict[str, float] = {}
        self.up: dict[str, float] = {}
        self.down: dict[str, float] = {}
        self.client_up: tuple[float, str] = (0.0, "")
        self.client_get_s: float | None = None
        self.idle = 0
        self.resolve = ""

    def start(self) -> tuple[str, Any, str, RssSampler]:
        """Migrate, start gunicorn (and nginx); returns (token, api, repo, rss)."""
        from huggingface_hub import HfApi

        hub = self.hub
        log("migrating a fresh SQLite database, creating a user and token ...")
        hub.manage("migrate", "--noinput", "-v", "0")
        token = hub.manage(
            "hub_token", "--user", "bench", "--scope", "write", "--create-user"
        )
        hub.start()
        if self.use_nginx:
            self.nginx = start_nginx(self.workdir, self.nginx_port)
        else:
            log("nginx is not available: its baselines are skipped")
        assert hub.proc is not None
        rss = RssSampler(hub.proc.pid)
        api = HfApi(endpoint=hub.url, token=token)
        repo_id = create_repo(hub, api, "bench-model")
        # Warm both workers up (imports, URLconf) before the idle RSS.
        for _ in range(20):
            requests.get(
                f"{hub.url}/api/whoami-v2",
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
            batch_href(hub, token, repo_id, "0" * 64, 1)
        self.idle = rss.current()
        return token, api, repo_id, rss

    def measure(self, oid: str) -> None:
        from huggingface_hub.utils import http_backoff

        hub, data, size, repeat = self.hub, self.data, self.size, self.args.repeat
        token, api, repo_id, rss = self.start()
        log("measuring baselines ...")
        self.base = interleaved(
            repeat,
            {
                "sha256": lambda: hash_seconds(data),
                "durable": lambda: durable_write_seconds(data, self.workdir),
            },
        )

        def nginx_put() -> float:
            return curl_put(self.nginx_url, data)

        def nginx_put_synced() -> float:
            seconds = nginx_put()
            start = time.perf_counter()
            os.sync()
            return seconds + time.perf_counter() - start

        def hub_curl_put() -> float:
            hub.purge_blob(oid)
            href = batch_href(hub, token, repo_id, oid, size)
            with rss.measure():
                seconds = curl_put(href, data)
            self.peak("curl upload", rss.peak)
            return seconds

        def client_put_to_nginx() -> float:
            # The call lfs._upload_single_part makes, aimed at nginx.
            start = time.perf_counter()
            with open(data, "rb") as handle:
                response = http_backoff("PUT", self.nginx_url, data=handle)
            response.raise_for_status()
            return time.perf_counter() - start

        log("measuring uploads (nginx and hub taking turns) ...")
        uploads: dict[str, Callable[[], float]] = {"hub": hub_curl_put}
        if self.use_nginx:
            uploads.update(
                {
                    "nginx": nginx_put,
                    "nginx+sync": nginx_put_synced,
                    "client->nginx": client_put_to_nginx,
                }
            )
        self.up = interleaved(repeat, uploads)
        hub.purge_blob(oid)
        os.sync()
        with rss.measure():
            self.client_up = client_upload(hub, api, repo_id, data)
        self.peak("client upload", rss.peak)
        self.resolve = f"{hub.url}/{repo_id}/resolve/main/{data.name}"
        if route_exists(self.resolve, "HEAD"):
            self.measure_downloads(token, api, repo_id, rss)

    def measure_downloads(
        self, token: str, api: Any, repo_id: str, rss: RssSampler
    ) -> None:
        log("measuring downloads (nginx and hub taking turns) ...")

        def hub_get() -> float:
            with rss.measure():
                seconds = curl_get(self.resolve, token)
            self.peak("curl download", rss.peak)
            return seconds

        downloads: dict[str, Callable[[], float]] = {"hub": hub_get}
        if self.use_nginx:
            downloads["nginx"] = lambda: curl_get(self.nginx_url)
        self.down = interleaved(self.args.repeat, downloads)

        def client_download() -> float:
            cache = self.workdir / f"hf-cache-{time.monotonic_ns()}"
            start = time.perf_counter()
            api.hf_hub_download(repo_id, self.data.name, cache_dir=str(cache))
            elapsed = time.perf_counter() - start
            shutil.rmtree(cache, ignore_errors=True)
            return elapsed

        with rss.measure():
            self.client_get_s = interleaved(self.args.repeat, {"c": client_download})[
                "c"
            ]
        self.peak("client download", rss.peak)

    def peak(self, phase: str, value: int) -> None:
        self.peaks[phase] = max(self.peaks.get(phase, 0), value)

    def stop(self) -> None:
        self.hub.stop()
        if self.nginx is not None:
            self.nginx.terminate()
            self.nginx.wait(30)

    def report(self) -> None:
        size, up, down, base = self.size, self.up, self.down, self.base
        client_up_s, client_up_what = self.client_up
        log("")
        log(
            f"file: {self.args.size_mib} MiB ({size} bytes), "
            f"best of {self.args.repeat} rounds"
        )
        log("baselines")
        report_line("hashlib.sha256 over the file", size, base["sha256"])
        report_line("copy with write() + fsync() (durable disk)", size, base["durable"])
        report_line("nginx PUT to disk (curl -T)", size, up.get("nginx"))
        report_line(
            "nginx PUT, then sync (durable, like the hub)", size, up.get("nginx+sync")
        )
        report_line(
            "client's PUT (http_backoff) to nginx", size, up.get("client->nginx")
        )
        report_line("nginx static download (curl, sendfile)", size, down.get("nginx"))
        log("hub (gunicorn, deploy/gunicorn.conf.py)")
        report_line(
            "upload: curl PUT to the signed basic href",
            size,
            up["hub"],
            ratio(
                up.get("nginx"),
                up["hub"],
                f"{{:.2f}}x nginx PUT (target {TARGET_UPLOAD}x), ",
            )
            + ratio(up.get("nginx+sync"), up["hub"], "{:.2f}x nginx PUT + sync"),
        )
        report_line(
            "upload: huggingface_hub client",
            size,
            client_up_s,
            ratio(up.get("nginx"), client_up_s, "{:.2f}x nginx PUT, ")
            + ratio(up.get("client->nginx"), client_up_s, "{:.2f}x client->nginx; ")
            + f"timed: {client_up_what}",
        )
        report_line(
            "download: curl GET resolve",
            size,
            down.get("hub"),
            ratio(
                down.get("nginx"),
                down.get("hub"),
                f"{{:.2f}}x nginx static (target {TARGET_DOWNLOAD}x)",
            ),
        )
        report_line(
            "download: hf_hub_download (writes the cache)",
            size,
            self.client_get_s,
            ratio(down.get("nginx"), self.client_get_s, "{:.2f}x nginx static"),
        )
        self.report_tail()

    def report_tail(self) -> None:
        if self.down:
            log(
                "  time to first byte: hub "
                f"{first_byte_ms(self.resolve):.1f} ms, nginx "
                f"{first_byte_ms(self.nginx_url):.1f} ms (median of the runs)"
            )
        else:
            log("  (downloads skipped: the resolve endpoint is not routed yet)")
        report_rss(self.idle, self.peaks, TARGET_RSS_MB)


def measure_first_bytes(
    local: Any, urls: dict[str, str], token: str, samples: int
) -> dict[str, tuple[float, float]]:
    """The time-to-first-byte series (bench/first_byte.py): X-Accel
    anonymous (once the file's checks have passed) and with a token,
    against nginx static."""
    series = {
        "nginx static": (urls["static"], {}),
        "X-Accel, token": (urls["x-accel"], {"Authorization": f"Bearer {token}"}),
    }
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if requests.head(urls["x-accel"], timeout=30).status_code == 200:
            series["X-Accel, anonymous"] = (urls["x-accel"], {})
            break
        time.sleep(1)  # the validation worker has not passed the file yet
    log(f"measuring time to first byte ({samples} samples per series) ...")
    return first_byte_series(series, samples)


def report_first_bytes(results: dict[str, tuple[float, float]], samples: int) -> None:
    log(
        f"  time to first byte, new connection each, {samples} samples after "
        "a warm-up (bench/first_byte.py):"
    )
    for name, (p50, p95) in results.items():
        log(f"    {name:<22} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms")
    if "X-Accel, anonymous" not in results:
        log("    (anonymous: the file's checks did not pass within 120 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--size-mib",
        type=float,
        default=1024,
        help="file size in MiB; fractions allowed (0.25: a run of seconds)",
    )
    parser.add_argument(
        "--deployed",
        action="store_true",
        help="measure the production topology (deploy/local/up): X-Accel vs "
        "static nginx, presigned S3 redirect vs direct S3 GET",
    )
    parser.add_argument("--repeat", type=int, default=3, help="best of N rounds")
    parser.add_argument(
        "--ttfb-samples",
        type=int,
        default=200,
        help="--deployed: time-to-first-byte samples per series",
    )
    parser.add_argument(
        "--multipart-threshold-mib",
        type=float,
        default=None,
        help="HUB_LFS_MULTIPART_THRESHOLD_BYTES in MiB (default: the hub's)",
    )
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
    if args.deployed:
        deployed(args)
        return

    with tempfile.TemporaryDirectory(prefix="mc-transfer-") as tmp:
        workdir = Path(tmp)
        os.environ["HF_HOME"] = str(workdir / "hf-home")
        run = LocalRun(args, workdir)
        run.data.parent.mkdir()
        log(f"writing {args.size_mib} MiB of random bytes to {run.data} ...")
        oid = make_file(run.data, run.size)
        try:
            run.measure(oid)
        finally:
            run.stop()
        run.report()


if __name__ == "__main__":
    main()
