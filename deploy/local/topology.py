"""The production topology on one machine, from Debian and PyPI packages.

``deploy/local/up`` runs ``topology.py up``: under one state directory it
starts its own PostgreSQL cluster (initdb/pg_ctl), Redis (redis-server), an
S3-compatible server (moto's standalone server, from the dev extra), then
gunicorn with deploy/gunicorn.conf.py, Celery workers for the ``default``,
``validation`` and ``eval`` queues, Celery beat and nginx with
deploy/nginx/hub.conf.template in front, and prints the URL. Nothing of the
machine's own PostgreSQL or Redis is touched; every port is a free one
unless given.

A small supervisor (``topology.py supervise``, started by ``up``) restarts
the application processes when they exit, as Compose or Kubernetes would;
the data services are restarted only on request (``stop``/``start``), so an
outage lasts until its operator ends it.

    deploy/local/up [--state-dir DIR] [--port 8080] [--blob-store s3|local]
                    [--s3-port PORT] [--env NAME=VALUE ...]
    deploy/local/down [--state-dir DIR]
    .venv/bin/python deploy/local/topology.py status|stop NAME|start NAME

``<state>/hub.env`` holds the hub's environment (source it to run
``manage.py`` against this topology).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DEFAULT_STATE = ROOT / "var" / "local-topology"
BUCKET = "hub-blobs"

DATA_SERVICES = ("postgres", "redis", "s3")
APP_SERVICES = (
    "web",
    "worker-default",
    "worker-validation",
    "worker-eval",
    "beat",
    "nginx",
)


def log(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_binary(name: str, *extra: str) -> str:
    for candidate in (shutil.which(name), *extra):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit(f"{name} is not installed (apt-get install {name})")


class State:
    """Paths, ports and the hub's environment of one topology."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.logs = self.root / "logs"
        self.pids = self.root / "pids"
        self.file = self.root / "state.json"
        self.data: dict[str, Any] = (
            json.loads(self.file.read_text()) if self.file.exists() else {}
        )

    def save(self) -> None:
        self.file.write_text(json.dumps(self.data, indent=2))

    @property
    def ports(self) -> dict[str, int]:
        return self.data["ports"]

    @property
    def env(self) -> dict[str, str]:
        return self.data["env"]

    def process_env(self) -> dict[str, str]:
        keep = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("HUB_", "AWS_", "PROMETHEUS_"))
            and key
            not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY")
        }
        keep["DJANGO_SETTINGS_MODULE"] = "hub.settings"
        keep["PYTHONUNBUFFERED"] = "1"
        return {**keep, **self.env}

    def pid_of(self, name: str) -> int | None:
        path = self.pids / f"{name}.pid"
        try:
            return int(path.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) is not alive.
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def as_postgres(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: drop to the postgres user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


# Data services ---------------------------------------------------------------


def start_postgres(state: State) -> None:
    pgdata = state.root / "postgres"
    port = state.ports["postgres"]
    initdb = find_binary("initdb", "/usr/local/bin/initdb")
    pg_ctl = find_binary("pg_ctl", "/usr/local/bin/pg_ctl")
    if not (pgdata / "PG_VERSION").exists():
        pgdata.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(pgdata, "postgres", "postgres")
        subprocess.run(
            as_postgres(
                [
                    initdb,
                    "-D",
                    str(pgdata),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    options = (
        f"-p {port} -c listen_addresses=127.0.0.1 -k {pgdata} "
        "-c fsync=on -c max_connections=100"
    )
    subprocess.run(
        as_postgres(
            [
                pg_ctl,
                "-D",
                str(pgdata),
                "-o",
                options,
                "-l",
                str(pgdata / "postgres.log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def stop_postgres(state: State) -> None:
    pgdata = state.root / "postgres"
    if (pgdata / "postmaster.pid").exists():
        pg_ctl = find_binary("pg_ctl", "/usr/local/bin/pg_ctl")
        subprocess.run(
            as_postgres([pg_ctl, "-D", str(pgdata), "-m", "fast", "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )


def spawn(state: State, name: str, command: list[str], **kwargs: Any) -> int:
    """Start a detached process group; its pid goes to <state>/pids."""
    log_file = open(state.logs / f"{name}.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        command,
        cwd=kwargs.pop("cwd", ROOT),
        env=kwargs.pop("env", state.process_env()),
        stdout=log_file,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        **kwargs,
    )
    log_file.close()
    (state.pids / f"{name}.pid").write_text(str(proc.pid))
    return proc.pid


def start_redis(state: State) -> None:
    folder = state.root / "redis"
    folder.mkdir(exist_ok=True)
    spawn(
        state,
        "redis",
        [
            find_binary("redis-server", "/usr/bin/redis-server"),
            "--port",
            str(state.ports["redis"]),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(folder),
            # Queued messages survive a restart; the database stays the
            # truth either way (the reconciler re-sends what is lost).
            "--appendonly",
            "yes",
            "--save",
            "",
        ],
    )
    wait_port(state.ports["redis"], "redis")


def start_s3(state: State) -> None:
    spawn(
        state,
        "s3",
        [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(state.ports["s3"])],
    )
    wait_http(f"http://127.0.0.1:{state.ports['s3']}/moto-api/", "s3")


def stop_pid(state: State, name: str, timeout: float = 30) -> None:
    pid = state.pid_of(name)
    if not alive(pid):
        return
    assert pid is not None
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        reap()
        time.sleep(0.1)
    if alive(pid):
        os.killpg(pid, signal.SIGKILL)


def reap() -> None:
    """Collect exited children so they do not linger as zombies."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def start_service(state: State, name: str) -> None:
    if name == "postgres":
        start_postgres(state)
    elif name == "redis":
        start_redis(state)
    elif name == "s3":
        start_s3(state)
    else:
        start_app_service(state, name)


def stop_service(state: State, name: str) -> None:
    if name == "postgres":
        stop_postgres(state)
    else:
        stop_pid(state, name)


# Application services ----------------------------------------------------------


def celery(*args: str) -> list[str]:
    return [str(BIN / "celery"), "-A", "workers", *args]


def app_command(state: State, name: str) -> list[str]:
    worker = ["worker", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]
    if name == "web":
        return [
            str(BIN / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "hub.wsgi:application",
        ]
    if name == "worker-default":
        return celery(*worker, "-Q", "default", "-n", "default@%h", "-c", "1")
    if name == "worker-validation":
        return celery(*worker, "-Q", "validation", "-n", "validation@%h", "-c", "2")
    if name == "worker-eval":
        return celery(
            *worker,
            "-Q",
            "eval",
            "-n",
            "eval@%h",
            "-c",
            "1",
            "--prefetch-multiplier",
            "1",
        )
    if name == "beat":
        return celery(
            "beat", "--loglevel", "INFO", "-s", str(state.root / "celerybeat-schedule")
        )
    if name == "nginx":
        return [
            find_binary("nginx", "/usr/sbin/nginx"),
            "-c",
            str(state.root / "nginx.conf"),
            "-p",
            str(state.root),
        ]
    raise SystemExit(f"unknown service {name!r}")


def start_app_service(state: State, name: str) -> int:
    return spawn(state, name, app_command(state, name))


def render_nginx(state: State) -> None:
    template = (ROOT / "deploy" / "nginx" / "hub.conf.template").read_text()
    server = string.Template(template).safe_substitute(
        HUB_LISTEN=f"127.0.0.1:{state.ports['nginx']}",
        HUB_UPSTREAM=f"127.0.0.1:{state.ports['web']}",
        HUB_STATIC_ROOT=state.env["HUB_STATIC_ROOT"],
        HUB_BLOB_ROOT=state.env["HUB_BLOB_ROOT"],
    )
    temp = state.root / "nginx"
    temp.mkdir(exist_ok=True)
    # Debian's nginx runs its workers as www-data; here they must read the
    # state directory, which belongs to whoever ran up.
    user = "user root root;" if os.geteuid() == 0 else ""
    (state.root / "nginx.conf").write_text(
        f"""{user}
daemon off;
worker_processes 2;
pid {state.root}/nginx.pid;
error_log {state.logs}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{server}
}}
"""
    )


def supervise(state: State) -> None:
    """Start the application services and restart any that exits."""
    stopping = state.root / "stopping"

    def shutdown(*_: Any) -> None:
        stopping.touch()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    for name in APP_SERVICES:
        start_app_service(state, name)
    held = state.root / "held"
    held.mkdir(exist_ok=True)
    while not stopping.exists():
        reap()
        for name in APP_SERVICES:
            if (held / name).exists() or alive(state.pid_of(name)):
                continue
            log(f"{time.strftime('%H:%M:%S')} {name} exited; restarting it")
            start_app_service(state, name)
        time.sleep(0.5)
    for name in reversed(APP_SERVICES):
        stop_pid(state, name)
    reap()


# Waiting ---------------------------------------------------------------------


def wait_port(port: int, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(1)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"{what} did not listen on {port} within {timeout}s")


def wait_http(url: str, what: str, timeout: float = 60, status: int = 200) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310
                if answer.status == status:
                    return
                last = str(answer.status)
        except urllib.error.HTTPError as exc:
            last = f"{exc.code} {exc.read()[:300]!r}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.25)
    raise SystemExit(f"{what} not ready within {timeout}s ({url}: {last})")


# Commands ------------------------------------------------------------------------


def command_up(args: argparse.Namespace) -> None:
    state = State(Path(args.state_dir))
    if state.file.exists() and alive(state.pid_of("supervisor")):
        raise SystemExit(f"already running: {state.data['url']} (deploy/local/down)")
    if state.data.get("env", {}).get("HUB_BLOB_STORE"):
        # moto keeps objects in memory: what the database of a previous run
        # references is gone, so a stopped S3 topology starts afresh.
        log(f"the S3 server of {state.root} kept nothing: starting afresh")
        stop_postgres(state)
        shutil.rmtree(state.root)
        state = State(state.root)
    state.root.mkdir(parents=True, exist_ok=True)
    # PostgreSQL runs as its own user when up runs as root: it must be able
    # to reach its data directory inside the state directory.
    state.root.chmod(0o755)
    for folder in (state.logs, state.pids):
        folder.mkdir(exist_ok=True)
    (state.root / "stopping").unlink(missing_ok=True)
    if not state.data:
        nginx_port = args.port or free_port()
        ports = {
            "nginx": nginx_port,
            "web": free_port(),
            "postgres": free_port(),
            "redis": free_port(),
            # A fixed S3 port lets a test put a proxy in front of it (its
            # endpoints then given with --env HUB_S3_*ENDPOINT_URL=...).
            "s3": args.s3_port or free_port(),
        }
        url = f"http://127.0.0.1:{nginx_port}"
        env = {
            "HUB_DEBUG": "false",
            "HUB_HTTPS": "false",  # plain HTTP on the loopback here
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": f"{url},http://localhost:{nginx_port}",
            "HUB_PUBLIC_URL": url,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{ports['postgres']}/hub",
            "REDIS_URL": f"redis://127.0.0.1:{ports['redis']}/0",
            "HUB_VAR_DIR": str(state.root / "var"),
            "HUB_STATIC_ROOT": str(state.root / "static"),
            "HUB_BLOB_ROOT": str(state.root / "blobs"),
            "HUB_BLOB_ACCEL_REDIRECT_PREFIX": "/_blobs/",
            "HUB_BIND": f"127.0.0.1:{ports['web']}",
            "PROMETHEUS_MULTIPROC_DIR": str(state.root / "prometheus"),
            "HUB_LOG_FORMAT": "json",
        }
        if args.blob_store == "s3":
            env.update(
                {
                    "HUB_BLOB_STORE": f"s3://{BUCKET}",
                    # Workers and the hub reach S3 here; clients get URLs
                    # on the public spelling (another name, same server).
                    "HUB_S3_ENDPOINT_URL": f"http://127.0.0.1:{ports['s3']}",
                    "HUB_S3_PUBLIC_ENDPOINT_URL": f"http://localhost:{ports['s3']}",
                    "HUB_S3_ACCESS_KEY_ID": "local",
                    "HUB_S3_SECRET_ACCESS_KEY": secrets.token_urlsafe(24),
                    "HUB_S3_REGION": "us-east-1",
                }
            )
        for item in args.env or []:
            key, _, value = item.partition("=")
            env[key] = value
        state.data = {"url": url, "ports": ports, "env": env}
        state.save()
        (state.root / "hub.env").write_text(
            "".join(f"{key}={value}\n" for key, value in env.items())
        )
    for name in ("var", "static", "blobs", "prometheus"):
        (state.root / name).mkdir(exist_ok=True)

    started = time.monotonic()
    log(f"state: {state.root}")
    log("starting PostgreSQL, Redis and the S3 server ...")
    start_postgres(state)
    start_redis(state)
    start_s3(state)
    create_database(state)
    if "HUB_BLOB_STORE" in state.env:
        create_bucket(state)
    log("migrating and collecting static files ...")
    manage(state, "migrate", "--noinput", "-v", "0")
    manage(state, "collectstatic", "--noinput", "-v", "0")
    render_nginx(state)
    log("starting nginx, gunicorn, the workers and beat ...")
    spawn(
        state,
        "supervisor",
        [PYTHON, __file__, "supervise", "--state-dir", str(state.root)],
    )
    wait_http(f"{state.data['url']}/readyz", "the hub", timeout=120)
    log(f"ready in {time.monotonic() - started:.0f}s")
    log(f"Model Commons: {state.data['url']}/")
    log(f"environment: {state.root / 'hub.env'}  (deploy/local/down stops it)")


def create_database(state: State) -> None:
    import psycopg

    dsn = f"postgresql://postgres@127.0.0.1:{state.ports['postgres']}/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'hub'"
        ).fetchone()
        if not exists:
            conn.execute("CREATE DATABASE hub")


def create_bucket(state: State) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=state.env["HUB_S3_ENDPOINT_URL"],
        aws_access_key_id=state.env["HUB_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=state.env["HUB_S3_SECRET_ACCESS_KEY"],
        region_name=state.env["HUB_S3_REGION"],
    )
    try:
        client.head_bucket(Bucket=BUCKET)
    except Exception:  # noqa: BLE001 - missing: create it
        client.create_bucket(Bucket=BUCKET)


def manage(state: State, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=state.process_env(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout.strip()


def command_down(args: argparse.Namespace) -> None:
    state = State(Path(args.state_dir))
    if not state.data:
        log(f"nothing to stop in {state.root}")
        return
    (state.root / "stopping").touch()
    stop_pid(state, "supervisor", timeout=60)
    for name in APP_SERVICES:  # in case the supervisor was gone already
        stop_pid(state, name)
    stop_pid(state, "s3")
    stop_pid(state, "redis")
    stop_postgres(state)
    log(f"stopped {state.data['url']}")


def command_status(args: argparse.Namespace) -> None:
    state = State(Path(args.state_dir))
    for name in ("supervisor", *DATA_SERVICES[1:], *APP_SERVICES):
        log(f"{name:<18} {'up' if alive(state.pid_of(name)) else 'down'}")
    pg = (state.root / "postgres" / "postmaster.pid").exists()
    log(f"{'postgres':<18} {'up' if pg else 'down'}")


def command_stop(args: argparse.Namespace) -> None:
    state = State(Path(args.state_dir))
    if args.name in APP_SERVICES:
        (state.root / "held" / args.name).touch()  # the supervisor leaves it
    stop_service(state, args.name)


def command_start(args: argparse.Namespace) -> None:
    state = State(Path(args.state_dir))
    if args.name in APP_SERVICES:
        (state.root / "held" / args.name).unlink(missing_ok=True)
        return  # the supervisor starts it again
    start_service(state, args.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--state-dir", default=str(DEFAULT_STATE))
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up")
    up.add_argument("--port", type=int, default=0, help="nginx port (default: free)")
    up.add_argument("--blob-store", choices=("s3", "local"), default="s3")
    up.add_argument("--s3-port", type=int, default=0, help="S3 port (default: free)")
    up.add_argument("--env", action="append", help="NAME=VALUE for the hub")
    sub.add_parser("down")
    sub.add_parser("status")
    sub.add_parser("supervise")
    for verb in ("stop", "start"):
        one = sub.add_parser(verb)
        one.add_argument("name", choices=(*DATA_SERVICES, *APP_SERVICES))
    # --state-dir is accepted after the command too.
    for action in sub.choices.values():
        action.add_argument("--state-dir", dest="state_dir_sub", default=None)
    args = parser.parse_args()
    if getattr(args, "state_dir_sub", None):
        args.state_dir = args.state_dir_sub
    {
        "up": command_up,
        "down": command_down,
        "status": command_status,
        "stop": command_stop,
        "start": command_start,
        "supervise": lambda a: supervise(State(Path(a.state_dir))),
    }[args.command](args)


if __name__ == "__main__":
    main()
