"""Fixed cost of a download request: ``.venv/bin/python bench/request_cost.py``.

``hf_hub_download`` makes a HEAD and a GET per file and ``snapshot_download``
of a 300-file repo about 600 requests, so the fixed cost of one request
matters as much as bandwidth (issue 17). This bench starts the hub as
deployed (gunicorn with ``deploy/gunicorn.conf.py``, HUB_DEBUG=false, a fresh
PostgreSQL database, Redis as cache and broker), uploads one file to a
public, a gated and a private repo, and times ``resolve``:

* HEAD and an 8-byte Range GET (what the client sends),
* on a new connection each, and on one kept-alive connection,
* anonymous and with the owner's token, for each of the three repos
  (anonymous on a gated or private repo is the refusal: 401 / 404).

Baselines in the same run, taking turns with the hub so that a busy machine
slows all of them alike: a minimal Django view serving the same file
(bench/minimal_site.py, same gunicorn configuration, no middleware, no
database) and nginx serving it statically. Prints p50/p95 in ms and the
ratios hub / minimal Django and hub / nginx. Target: resolve HEAD and 8-byte
Range p50 <= 3 ms (new connection, anonymous, public repo).

Requests are sent over raw sockets (a few microseconds of client overhead),
timed from connect() (new connection) or send() (kept alive) to the last
byte of the answer. ``--requests 5`` is a run of seconds for CI
(tests/bench/test_request_cost_bench.py); ``--no-nginx`` skips nginx.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.transfer import (  # noqa: E402
    find_nginx,
    free_port,
    log,
    wait_http,
)

PYTHON = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
TARGET_MS = 3.0
RANGE = "bytes=0-7"


# A raw HTTP/1.1 client ---------------------------------------------------------


def read_answer(sock: socket.socket, head: bool) -> tuple[int, bool]:
    """Read one response; returns (status, whether the server keeps it open)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        data += chunk
    header, _, body = data.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    if not lines[0].startswith("HTTP/1."):
        raise ConnectionError(f"not an HTTP answer: {data[:200]!r}")
    status = int(lines[0].split()[1])
    fields = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines[1:])
    }
    if not head and fields.get("transfer-encoding", "").lower() == "chunked":
        while not body.endswith(b"0\r\n\r\n"):  # enough for these answers
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("the answer ended early")
            body += chunk
        return status, fields.get("connection", "").lower() != "close"
    length = 0 if head else int(fields.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the answer ended early")
        body += chunk
    return status, fields.get("connection", "").lower() != "close"


def request_bytes(method: str, path: str, port: int, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class Series:
    """One kind of request against one server, timed again and again."""

    def __init__(
        self,
        label: str,
        port: int,
        method: str,
        path: str,
        headers: dict[str, str],
        keepalive: bool,
    ) -> None:
        self.label = label
        self.port = port
        self.head = method == "HEAD"
        self.keepalive = keepalive
        self.raw = request_bytes(method, path, port, headers)
        self.times: list[float] = []
        self.statuses: set[int] = set()
        self.sock: socket.socket | None = None

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def once(self) -> None:
        start = time.perf_counter()
        if not self.keepalive:
            with self._connect() as sock:
                sock.sendall(self.raw)
                status, _ = read_answer(sock, self.head)
            self.record(start, status)
            return
        for attempt in (1, 2):
            if self.sock is None:  # the connection is made before timing
                self.sock = self._connect()
            start = time.perf_counter()
            try:
                self.sock.sendall(self.raw)
                status, open_ = read_answer(self.sock, self.head)
                break
            except OSError:
                # The server closed the idle connection (gunicorn keeps one
                # for ``keepalive`` seconds): again on a new one, untimed.
                self.close()
                if attempt == 2:
                    raise
        self.record(start, status)
        if not open_:
            self.close()

    def record(self, start: float, status: int) -> None:
        self.times.append((time.perf_counter() - start) * 1000)
        self.statuses.add(status)

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def p(self, q: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.times)


# The servers --------------------------------------------------------------------


def server_env(workdir: Path, port: int, database: str, redis: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("HUB_")
        and key not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
    }
    env.update(
        {
            "HUB_VAR_DIR": str(workdir / "var"),
            "HUB_BIND": f"127.0.0.1:{port}",
            "HUB_DEBUG": "false",
            "HUB_HTTPS": "false",  # TLS ends before nginx (deploy/local)
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database,
            "REDIS_URL": redis,
            "HUB_LOG_LEVEL": "INFO",  # production: one access line per request
            "HUB_INLINE_UPLOAD_MAX_BYTES": "1024",
            # Every request is still counted (the cost is measured), but
            # thousands of them from one address must not meet a 429.
            "HUB_HF_RATE_ANON": "10000000/5m",
            "HUB_HF_RATE_USER": "10000000/5m",
            "DJANGO_SETTINGS_MODULE": "hub.settings",
            "HF_HUB_DISABLE_XET": "1",
        }
    )
    return env


def gunicorn(app: str, env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "-c",
            "deploy/gunicorn.conf.py",
            app,
        ],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
    )


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip()


def start_nginx(workdir: Path, port: int, file: Path) -> subprocess.Popen[bytes]:
    www = workdir / "nginx-www"
    www.mkdir()
    os.link(file, www / "file")
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    sendfile on;
    tcp_nodelay on;
    server {{ listen 127.0.0.1:{port}; root {www}; }}
}}
"""
    )
    proc = subprocess.Popen(
        [find_nginx() or "nginx", "-c", str(conf), "-p", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    wait_http(f"http://127.0.0.1:{port}/file", proc)
    return proc


def make_safetensors(path: Path, size: int) -> str:
    """A well-formed safetensors file of one F32 tensor (the hub's checks
    pass it, so it can be downloaded); returns its sha256."""
    header = json.dumps(
        {"w": {"dtype": "F32", "shape": [size // 4], "data_offsets": [0, size]}}
    ).encode()
    body = struct.pack("<Q", len(header)) + header + os.urandom(size)
    path.write_bytes(body)
    return hashlib.sha256(body).hexdigest()


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True
    )


def prepare_repos(url: str, token: str, data: Path) -> list[tuple[str, str]]:
    """Public, gated and private repos holding ``data``: [(kind, repo_id)]."""
    from huggingface_hub import HfApi

    api = HfApi(endpoint=url, token=token)
    repos = []
    for kind in ("public", "gated", "private"):
        repo_id = api.create_repo(f"{kind}-model", private=kind == "private").repo_id
        if kind == "gated":
            api.update_repo_settings(repo_id, gated="auto")
        api.upload_file(
            path_or_fileobj=str(data), path_in_repo=data.name, repo_id=repo_id
        )
        repos.append((kind, repo_id))
    return repos


def run_checks(env: dict[str, str], workdir: Path, url: str) -> None:
    """Run a validation worker until the file passed its checks (it is
    refused to others than its maintainers while they run), then stop it:
    it takes no CPU while timing."""
    worker = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "workers",
            "worker",
            "--pool",
            "solo",
            "--queues",
            "default,validation",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=(workdir / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while requests.head(url, timeout=30).status_code != 200:
            if time.monotonic() > deadline:
                raise SystemExit(f"the checks of {url} did not pass in time")
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(30)


# The run ------------------------------------------------------------------------


def build_series(
    hub_port: int,
    minimal_port: int,
    nginx_port: int | None,
    repos: list[tuple[str, str]],
    token: str,
    filename: str,
) -> list[Series]:
    series: list[Series] = []
    for keepalive in (False, True):
        conn = "keep-alive" if keepalive else "new conn"
        for method, extra in (("HEAD", {}), ("GET", {"Range": RANGE})):
            what = "HEAD" if method == "HEAD" else "Range 8B"
            for who, auth in (
                ("anon", {}),
                ("token", {"Authorization": f"Bearer {token}"}),
            ):
                for kind, repo_id in repos:
                    series.append(
                        Series(
                            f"hub {what} {conn} {who} {kind}",
                            hub_port,
                            method,
                            f"/{repo_id}/resolve/main/{filename}",
                            {**extra, **auth},
                            keepalive,
                        )
                    )
            series.append(
                Series(
                    f"django {what} {conn}",
                    minimal_port,
                    method,
                    "/file",
                    extra,
                    keepalive,
                )
            )
            if nginx_port is not None:
                series.append(
                    Series(
                        f"nginx {what} {conn}",
                        nginx_port,
                        method,
                        "/file",
                        extra,
                        keepalive,
                    )
                )
    return series


def run_rounds(series: list[Series], rounds: int) -> None:
    """Each series in turn, ``rounds`` times (after a few unrecorded warm-ups)."""
    for _ in range(3):
        for one in series:
            one.once()
    for one in series:
        one.times.clear()
        one.close()
    for _ in range(rounds):
        for one in series:
            one.once()
    for one in series:
        one.close()


def report(series: list[Series], rounds: int) -> None:
    by_label = {one.label: one for one in series}
    log("")
    log(
        f"resolve request cost, {rounds} requests each "
        "(ms; measured here, taking turns)"
    )
    log(f"  {'series':<40} {'status':>8} {'p50':>7} {'p95':>7}  ratios (p50)")
    for one in series:
        words = one.label.split()
        extra = ""
        if words[0] == "hub":
            base = " ".join(words[1:-2])
            parts = []
            for other in ("django", "nginx"):
                ref = by_label.get(f"{other} {base}")
                if ref is not None:
                    parts.append(f"{one.p50 / ref.p50:5.1f}x {other}")
            extra = ", ".join(parts)
            if (
                words[-1] == "public"
                and words[-2] == "anon"
                and words[1] in ("HEAD", "Range")
            ):
                verdict = "ok" if one.p50 <= TARGET_MS else "OVER"
                extra += f"  (target <= {TARGET_MS} ms: {verdict})"
        statuses = ",".join(str(s) for s in sorted(one.statuses))
        log(
            f"  {one.label:<40} {statuses:>8} {one.p50:7.2f} "
            f"{one.p(0.95):7.2f}  {extra}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="requests per series")
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/11"),
        help="Redis for the hub's cache and broker (a db of its own)",
    )
    parser.add_argument("--no-nginx", action="store_true", help="skip nginx static")
    args = parser.parse_args()
    database = f"mc_bench_cost_{os.getpid()}"
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="mc-request-cost-") as tmp:
        workdir = Path(tmp)
        workdir.chmod(0o755)
        os.environ["HF_HOME"] = str(workdir / "hf-home")
        os.environ["HF_HUB_DISABLE_XET"] = "1"
        data = workdir / "model.safetensors"
        oid = make_safetensors(data, 64 * 1024)
        hub_port, minimal_port = free_port(), free_port()
        env = server_env(workdir, hub_port, f"{PG}/{database}", args.redis)
        psql(f'CREATE DATABASE "{database}"')
        try:
            log("migrating a fresh PostgreSQL database ...")
            manage(env, "migrate", "--noinput", "-v", "0")
            token = manage(
                env, "hub_token", "--user", "bench", "--scope", "write", "--create-user"
            ).splitlines()[-1]
            hub = gunicorn("hub.wsgi:application", env, workdir / "hub.log")
            procs.append(hub)
            wait_http(f"http://127.0.0.1:{hub_port}/api/whoami-v2", hub)
            repos = prepare_repos(f"http://127.0.0.1:{hub_port}", token, data)
            # One content, one Blob: once an anonymous caller gets it from the
            # public repo, its checks have passed in every repo.
            run_checks(
                env,
                workdir,
                f"http://127.0.0.1:{hub_port}/{repos[0][1]}/resolve/main/{data.name}",
            )
            blob = workdir / "var" / "blobs" / oid[:2] / oid[2:4] / oid
            minimal_env = {
                **env,
                "HUB_BIND": f"127.0.0.1:{minimal_port}",
                "BENCH_FILE": str(blob),
                "DJANGO_SETTINGS_MODULE": "",
            }
            minimal = gunicorn(
                "bench.minimal_site:application", minimal_env, workdir / "minimal.log"
            )
            procs.append(minimal)
            wait_http(f"http://127.0.0.1:{minimal_port}/file", minimal)
            nginx_port = None
            if not args.no_nginx and find_nginx():
                nginx_port = free_port()
                procs.append(start_nginx(workdir, nginx_port, blob))
            series = build_series(
                hub_port, minimal_port, nginx_port, repos, token, data.name
            )
            log(f"timing {len(series)} series, {args.requests} requests each ...")
            run_rounds(series, args.requests)
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
            psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        report(series, args.requests)


if __name__ == "__main__":
    main()
