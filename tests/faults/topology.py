"""The deployed topology of ``deploy/local/up`` as a test harness.

One :class:`Topology` per started topology: its URL, environment and ports,
``ctl`` (stop/start a service), ``manage`` (a management command against
it), ``sql`` (a query on its own PostgreSQL), ``readyz``, the pid of a
supervised process and an S3 client. :func:`started_topology` starts one in
a fresh state directory under /tmp (PostgreSQL runs as its own user and
must reach it) and takes it down afterwards. Used by ``tests/faults`` and
``tests/deploy/test_topology.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
TOPOLOGY = [sys.executable, str(ROOT / "deploy" / "local" / "topology.py")]
MIB = 1024 * 1024
APPLICATION = ("web", "worker-default", "worker-validation", "worker-eval", "beat")
NGINX_MISSING = not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists())

# Fast recovery for tests: a dead worker's run is retried after 10 s, a lost
# message re-sent after 5 s.
FAST_RECOVERY = {
    "HUB_JOB_STALE_AFTER_SECONDS": "10",
    "HUB_JOB_RESEND_AFTER_SECONDS": "5",
    "HUB_RECONCILE_INTERVAL_SECONDS": "2",
}


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout}s")


class Topology:
    def __init__(self, state: Path) -> None:
        self.state = state
        data = json.loads((state / "state.json").read_text())
        self.url: str = data["url"]
        self.env: dict[str, str] = data["env"]
        self.ports: dict[str, int] = data["ports"]
        self._tokens: dict[str, str] = {}

    def token(self, user: str) -> str:
        """A write token of ``user`` (created with the user at first use)."""
        if user not in self._tokens:
            self._tokens[user] = self.manage(
                "hub_token", "--user", user, "--scope", "write", "--create-user"
            )
        return self._tokens[user]

    def api(self, user: str):
        """The real HF client, as ``user``, against this topology."""
        from huggingface_hub import HfApi

        return HfApi(endpoint=self.url, token=self.token(user))

    def ctl(self, *args: str) -> None:
        subprocess.run(
            [*TOPOLOGY, *args, "--state-dir", str(self.state)],
            check=True,
            cwd=ROOT,
            timeout=120,
        )

    def run_manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``manage.py *args`` against this topology, whatever its exit."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("HUB_", "PYTEST", "DJANGO"))
            and k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
        }
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**env, **self.env, "DJANGO_SETTINGS_MODULE": "hub.settings"},
            capture_output=True,
            text=True,
            timeout=300,
        )

    def manage(self, *args: str) -> str:
        """The last line ``manage.py *args`` prints; it must succeed."""
        result = self.run_manage(*args)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    def check_invariants(self, allow: frozenset[tuple[str, str]] = frozenset()) -> dict:
        """``hub_fsck --invariants --json`` is green; its report.

        ``allow``: (check, problem) pairs a fault may leave (the test then
        asserts what they are); any other finding fails. Plain ``hub_fsck
        --json`` where the checkout's hub_fsck has no ``--invariants`` yet.
        """
        args = ["hub_fsck", "--json"]
        if _fsck_has_invariants():
            args.insert(1, "--invariants")
        result = self.run_manage(*args)
        try:
            report = json.loads(result.stdout)
        except ValueError:
            raise AssertionError(
                f"manage.py {' '.join(args)} exited {result.returncode}: "
                f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
            ) from None
        unexpected = [
            f
            for f in report.get("findings", [])
            if (f["check"], f["problem"]) not in allow
        ]
        assert report.get("findings") is not None and not unexpected, (
            f"manage.py {' '.join(args)} found problems: "
            f"{json.dumps(unexpected or report, indent=1)[:4000]}"
        )
        return report

    def assert_recovered(self, timeout: float = 90) -> None:
        """After a fault: /readyz answers 200 and the invariants hold."""
        wait_for(lambda: self.readyz()[0] == 200, timeout, "/readyz to answer 200")
        self.check_invariants()

    def sql(self, query: str, *params: object) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"], connect_timeout=5) as conn:
            return conn.execute(query, params).fetchall()

    def readyz(self) -> tuple[int, dict]:
        try:
            answer = requests.get(f"{self.url}/readyz", timeout=10)
        except requests.RequestException as exc:
            return 0, {"error": str(exc)}
        return answer.status_code, answer.json()

    def pid(self, name: str) -> int:
        return int((self.state / "pids" / f"{name}.pid").read_text())

    def children(self, name: str) -> list[int]:
        """The pids of the child processes of a supervised process
        (gunicorn's workers under its master, Celery's pool processes)."""
        return children_of(self.pid(name))

    def s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.env["HUB_S3_ENDPOINT_URL"],
            aws_access_key_id=self.env["HUB_S3_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["HUB_S3_SECRET_ACCESS_KEY"],
            region_name=self.env["HUB_S3_REGION"],
        )


def children_of(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if int(fields[1]) == parent and fields[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


def descendants_of(parent: int) -> list[int]:
    """Children, grandchildren, ... of a process."""
    found: list[int] = []
    frontier = [parent]
    while frontier:
        below = [pid for p in frontier for pid in children_of(p)]
        found.extend(below)
        frontier = below
    return found


def cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return raw.decode(errors="replace").split("\0")[:-1]


def open_files(pid: int) -> list[str]:
    """The paths a process holds open (none once it is gone)."""
    paths = []
    try:
        entries = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return []
    for entry in entries:
        try:
            paths.append(os.readlink(entry))
        except OSError:
            continue
    return paths


def holder(pids: list[int], match) -> int | None:
    """The first of ``pids`` holding open a path ``match`` accepts."""
    for pid in pids:
        if any(match(path) for path in open_files(pid)):
            return pid
    return None


def _fsck_has_invariants() -> bool:
    source = ROOT / "hub" / "catalog" / "management" / "commands" / "hub_fsck.py"
    return "--invariants" in source.read_text()


def sparse_file(path: Path, size: int, marker: bytes) -> str:
    """A sparse file of ``size`` bytes ending with ``marker``; its sha256."""
    with open(path, "wb") as out:
        out.truncate(size - len(marker))
        out.seek(size - len(marker))
        out.write(marker)
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(8 * MIB):
            digest.update(chunk)
    return digest.hexdigest()


def _kill_application(state: Path) -> None:
    """SIGKILL the supervisor and the application services: the topology is
    thrown away, so their graceful stops (up to 30 s each) buy nothing;
    ``down`` then stops the data services as usual."""
    (state / "stopping").touch()
    for name in ("supervisor", *APPLICATION):
        try:
            os.killpg(int((state / "pids" / f"{name}.pid").read_text()), signal.SIGKILL)
        except (OSError, ValueError):
            continue


@contextmanager
def started_topology(
    *args: str, env: dict[str, str] | None = None
) -> Iterator[Topology]:
    """``deploy/local/up`` in a fresh state directory, taken down after.

    ``args`` go to ``up`` as they are (``--blob-store local``, say);
    ``env`` adds hub settings to :data:`FAST_RECOVERY`. With
    ``HUB_TOPOLOGY_LOGS=DIR`` the services' logs are copied to DIR/<state>
    before the state directory is removed.
    """
    state = Path(tempfile.mkdtemp(prefix="mc-topology-"))
    settings = {**FAST_RECOVERY, **(env or {})}
    env_args = [
        item for key, value in settings.items() for item in ("--env", f"{key}={value}")
    ]
    up = subprocess.run(
        [
            str(ROOT / "deploy" / "local" / "up"),
            "--state-dir",
            str(state),
            *args,
            *env_args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        assert "Model Commons: http://127.0.0.1:" in up.stdout
        yield Topology(state)
    finally:
        _kill_application(state)
        subprocess.run(
            [*TOPOLOGY, "down", "--state-dir", str(state)], cwd=ROOT, timeout=180
        )
        keep = os.environ.get("HUB_TOPOLOGY_LOGS")
        if keep and (state / "logs").is_dir():
            # The services' logs outlive the topology (to read a failure).
            shutil.copytree(state / "logs", Path(keep) / state.name)
        shutil.rmtree(state, ignore_errors=True)
