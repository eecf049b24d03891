"""End-to-end fixtures: the hub over real HTTP, driven by the real client.

huggingface_hub reads its configuration at import, so the environment is
set here, before any test module imports it: LFS instead of Xet (the hub
does not run a Xet CAS), a private cache, no telemetry.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ["HF_HUB_DISABLE_XET"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
os.environ["HF_HUB_ETAG_TIMEOUT"] = "30"
os.environ.setdefault("HF_HOME", tempfile.mkdtemp(prefix="mc-e2e-hfhome-"))
os.environ.pop("HF_TOKEN", None)

import pytest  # noqa: E402

from tests.databases import child_database_url  # noqa: E402
from tests.factories import make_user_with_token  # noqa: E402


@pytest.fixture(autouse=True)
def _restore_migrated_data(django_db_serialized_rollback):
    """Live-server tests flush the database; put the license catalog back."""


@pytest.fixture
def hub_url(live_server) -> str:
    """Base URL of a live hub (threaded server, real PostgreSQL, real blobs)."""
    return live_server.url


@pytest.fixture
def hf_cache(tmp_path) -> str:
    """A fresh client download cache for one test."""
    return str(tmp_path / "hf-cache")


@pytest.fixture
def maya(transactional_db):
    """A publisher with a write token: (user, token)."""
    return make_user_with_token("maya")


@pytest.fixture
def jun(transactional_db):
    """Another user, with a write token of his own."""
    return make_user_with_token("jun")


@pytest.fixture
def api(hub_url, maya):
    """An HfApi client for maya against the live hub."""
    from huggingface_hub import HfApi

    return HfApi(endpoint=hub_url, token=maya[1])


ROOT = Path(__file__).resolve().parents[2]


class WorkerProcess:
    """A `celery -A workers worker` subprocess on the test database and Redis."""

    def __init__(self, queues: list[str], log_path: Path, extra_env: dict[str, str]):
        from celery import Celery
        from django.conf import settings

        env = {
            **os.environ,
            "DATABASE_URL": child_database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "HUB_BLOB_ROOT": str(settings.HUB_BLOB_ROOT),
            "HUB_BLOB_GC_GRACE_SECONDS": "3600",
            "DJANGO_SETTINGS_MODULE": "hub.settings",
            **extra_env,
        }
        self.queues = queues
        self.log_path = log_path
        self.purged = self._purge(env["CELERY_BROKER_URL"], queues)
        self._log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "workers",
                "worker",
                "--pool",
                "solo",
                "--queues",
                ",".join(queues),
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.client = Celery("test-client", broker=settings.CELERY_BROKER_URL)

    @staticmethod
    def _purge(broker_url: str, queues: list[str]) -> int:
        """Empty the queues first: every commit made by a test without a worker
        leaves its wake-up message behind, and a backlog of thousands of them
        would delay this test's own runs. Returns how many were dropped."""
        from celery import Celery

        purged = 0
        with Celery(broker=broker_url).connection_for_write() as conn:
            channel: Any = conn.default_channel
            for queue in queues:
                purged += channel.queue_purge(queue) or 0
        return purged

    def _resend_this_tests_runs(self) -> None:
        """The purge may have dropped this test's own wake-ups (commits made
        before the worker started): the database is the truth, and it holds
        this test's runs only, so the reconciler sends the queued ones again
        (running ones are left alone)."""
        from hub.jobs.services.reconcile import (
            eval_runs_reconcile,
            validation_runs_reconcile,
        )

        never = 10**9
        if "validation" in self.queues:
            validation_runs_reconcile(queued_after_seconds=0, stale_after_seconds=never)
        if "eval" in self.queues:
            eval_runs_reconcile(queued_after_seconds=0, stale_after_seconds=never)

    def wait_ready(self, timeout: float = 90) -> WorkerProcess:
        """Return once the worker consumes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.assert_alive()
            if " ready." in self.log():
                if self.purged:
                    self._resend_this_tests_runs()
                return self
            time.sleep(0.1)
        raise AssertionError(f"worker not ready in {timeout}s:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def assert_alive(self) -> None:
        assert self.proc.poll() is None, self.log()[-4000:]

    def kill(self) -> None:
        """SIGKILL: the worker gets no chance to clean up or ack."""
        self.proc.kill()
        self.proc.wait(timeout=20)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self._log.close()


@pytest.fixture
def start_worker(tmp_path, transactional_db):
    """Start real Celery workers; all are stopped at the end of the test."""
    workers: list[WorkerProcess] = []

    def start(queues: list[str], **extra_env: str) -> WorkerProcess:
        worker = WorkerProcess(
            queues, tmp_path / f"worker-{len(workers)}.log", extra_env
        )
        workers.append(worker)
        return worker.wait_ready()

    yield start
    for worker in workers:
        worker.stop()


def wait_for(predicate, timeout: float = 60, interval: float = 0.2):
    """Poll ``predicate`` until it returns something truthy; fail on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
