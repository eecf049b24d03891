"""A real Celery worker on the real Redis broker runs the hub's jobs."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from hub.storage.models import Blob
from hub.storage.services import blob_store, blob_upload_bytes


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_garbage_collection_runs_in_a_real_worker_on_redis(start_worker):
    worker = start_worker(queues=["default"])
    orphan = blob_upload_bytes(data=b"nobody references me")
    Blob.objects.filter(pk=orphan.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    worker.client.send_task("storage.collect_garbage", queue="default")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not Blob.objects.filter(pk=orphan.pk).exists():
            break
        worker.assert_alive()
        time.sleep(0.3)
    assert not Blob.objects.filter(pk=orphan.pk).exists()
    assert not blob_store().exists(orphan.sha256)
