"""Enqueue Celery tasks by name, after the current transaction commits.

hub/ never imports workers/: tasks are sent by their stable names through a
small client app configured from the same settings. Sending after commit
means a worker never sees a run id whose row is not visible yet; if the
broker is down at that moment the row stays ``queued`` and the periodic
reconciler sends it again (PostgreSQL is the truth, the broker a wake-up).
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from celery import Celery
from django.db import transaction

logger = logging.getLogger(__name__)


@cache
def _client() -> Celery:
    app = Celery("model_commons_client")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    return app


def send_task_now(name: str, *args: Any, queue: str | None = None) -> bool:
    """Send a task immediately; False (logged) when the broker is unreachable."""
    try:
        _client().send_task(name, args=args, queue=queue, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: the reconciler retries
        logger.warning("could not enqueue %s%r; the reconciler will", name, args)
        return False
    return True


def enqueue_on_commit(name: str, *args: Any, queue: str | None = None) -> None:
    """Send task ``name`` with ``args`` once the surrounding transaction commits."""
    transaction.on_commit(lambda: send_task_now(name, *args, queue=queue))
