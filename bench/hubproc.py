"""A throw-away hub for benchmarks: its own database, blobs, server, workers.

``Hub(workdir, embedded=True)`` runs as the README's first command does: a
SQLite database and the filesystem broker under ``workdir`` (no server
needed). ``embedded=False`` uses a fresh PostgreSQL database and Redis (as
the deployed topology does). Both start ``manage.py runserver`` and the
Celery workers named by ``workers``: (queues, extra celery arguments).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    def __init__(
        self,
        workdir: Path,
        *,
        embedded: bool = False,
        redis: str = "redis://127.0.0.1:6379/11",
        workers: tuple[tuple[str, tuple[str, ...]], ...] = (("validation", ()),),
        env: dict[str, str] | None = None,
    ) -> None:
        self.embedded = embedded
        self.db = f"mc_bench_{os.getpid()}_{free_port()}"
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        base = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
        }
        self.env = {
            **base,
            "HUB_BLOB_ROOT": str(workdir / "blobs"),
            "HUB_VAR_DIR": str(workdir / "var"),
            "HUB_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "hub.settings",
            **(env or {}),
        }
        if not embedded:
            self.env["DATABASE_URL"] = f"{PG}/{self.db}"
            self.env["CELERY_BROKER_URL"] = redis
        self.procs: list[subprocess.Popen[bytes]] = []

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def psql(self, sql: str) -> None:
        subprocess.run(
            ["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True
        )

    def token(self, user: str = "bench") -> str:
        """A write token for ``user`` (created on first use)."""
        out = self.run("hub_token", "--user", user, "--scope", "write", "--create-user")
        return out.strip().splitlines()[-1]

    def start(self) -> None:
        if not self.embedded:
            self.psql(f'CREATE DATABASE "{self.db}"')
        self.run("migrate", "--noinput")
        logs = self.workdir / "logs"
        logs.mkdir(exist_ok=True)
        self._spawn(
            [
                sys.executable,
                "manage.py",
                "runserver",
                f"127.0.0.1:{self.port}",
                "--noreload",
            ],
            logs / "server.log",
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
                    f"{queues.replace(',', '-')}@bench",
                    *extra,
                ],
                logs / f"{queues}.log",
            )
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/api/v1/licenses", timeout=10)
                return
            except (requests.ConnectionError, requests.Timeout):
                # Not listening yet, or still importing on a busy machine.
                time.sleep(0.3)
        sys.exit("the hub did not start")

    def _spawn(self, command: list[str], logfile: Path) -> None:
        handle = open(logfile, "wb")  # noqa: SIM115 - lives as long as the process
        self.procs.append(
            subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=handle, stderr=handle
            )
        )

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if not self.embedded:
            self.psql(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
