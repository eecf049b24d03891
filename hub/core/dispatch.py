"""Enqueue Celery tasks by name, after the current transaction commits.

hub/ never imports workers/: tasks are sent by their stable names through a
small client app configured from the same settings. Sending after commit
means a worker never sees a run id whose row is not visible yet; if the
broker is down at that moment the row stays ``queued`` and the periodic
reconciler sends it again (PostgreSQL is the truth, the broker a wake-up).
"""

from __future__ import annotations

import logging
import time
from functools import cache
from typing import Any

from celery import Celery
from django.db import transaction

logger = logging.getLogger(__name__)

# Once the broker failed to take a task, sends are skipped (False at once) for
# this long: a commit of many files must not wait on an unreachable broker
# once per file. The reconciler sends what was skipped.
BROKER_RETRY_AFTER_SECONDS = 5.0


class _Sender:
    """The client app, and until when the broker counts as down."""

    def __init__(self) -> None:
        self.app = Celery("model_commons_client")
        self.app.config_from_object("django.conf:settings", namespace="CELERY")
        # One connection attempt per send: kombu's default retries (after
        # 2 s, then 4 s) held every task of a commit 6 s while Redis was down.
        options = dict(self.app.conf.broker_transport_options or {})
        options["max_retries"] = 0
        self.app.conf.broker_transport_options = options
        self.down_until = 0.0


@cache
def _client() -> _Sender:
    return _Sender()


def send_task_now(name: str, *args: Any, queue: str | None = None) -> bool:
    """Send a task immediately; False (logged) when the broker is unreachable
    or failed less than BROKER_RETRY_AFTER_SECONDS ago."""
    sender = _client()
    if time.monotonic() < sender.down_until:
        logger.warning(
            "broker down: not enqueuing %s%r; the reconciler will", name, args
        )
        return False
    try:
        sender.app.send_task(name, args=args, queue=queue, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: the reconciler retries
        sender.down_until = time.monotonic() + BROKER_RETRY_AFTER_SECONDS
        logger.warning("could not enqueue %s%r; the reconciler will", name, args)
        return False
    return True


def enqueue_on_commit(name: str, *args: Any, queue: str | None = None) -> None:
    """Send task ``name`` with ``args`` once the surrounding transaction commits."""
    transaction.on_commit(lambda: send_task_now(name, *args, queue=queue))
