"""A real Celery worker on the real Redis broker runs the hub's jobs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from hub.storage.models import Blob
from hub.storage.services import blob_store, blob_upload_bytes

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def worker(tmp_path):
    """A `celery -A workers worker` process on the test database and Redis."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "CELERY_BROKER_URL": REDIS_URL,
        "HUB_BLOB_ROOT": str(settings.HUB_BLOB_ROOT),
        "HUB_BLOB_GC_GRACE_SECONDS": "3600",
        "DJANGO_SETTINGS_MODULE": "hub.settings",
    }
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    proc = subprocess.Popen(
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
            queue,
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    client = Celery("test-client", broker=REDIS_URL)
    try:
        yield client, queue, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_garbage_collection_runs_in_a_real_worker_on_redis(worker):
    client, queue, proc = worker
    orphan = blob_upload_bytes(data=b"nobody references me")
    Blob.objects.filter(pk=orphan.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    client.send_task("storage.collect_garbage", queue=queue)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not Blob.objects.filter(pk=orphan.pk).exists():
            break
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        time.sleep(0.3)
    assert not Blob.objects.filter(pk=orphan.pk).exists()
    assert not blob_store().exists(orphan.sha256)
