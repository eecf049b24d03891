"""The eval task: claim the next run in fair order, execute it, heartbeat.

Runs on the ``eval`` queue (workers/routing.py), one at a time per worker
process (``--concurrency 1 --prefetch-multiplier 1``). The message carries a
run id only as a wake-up: which run executes is decided by the fair order
in hub.jobs.services.eval_runs.
"""

from __future__ import annotations

import logging
import threading

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection

from hub.jobs.services.eval_runs import (
    eval_run_claim_next,
    eval_run_error,
    eval_run_heartbeat,
)
from workers.evals.runner import EvalInfrastructureError, execute_run

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30


class Heartbeat:
    """Touch the run's heartbeat every few seconds from a side thread."""

    def __init__(self, run_id: int, interval: float = HEARTBEAT_SECONDS) -> None:
        self.run_id = run_id
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    eval_run_heartbeat(run_id=self.run_id)
                except Exception:  # a missed beat is not fatal
                    logger.warning("eval heartbeat of run %s failed", self.run_id)
        finally:
            connection.close()  # this thread's own database connection

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


@shared_task(
    name="evals.run_next",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # The sandbox enforces HUB_EVAL_TIMEOUT_SECONDS on the child; these only
    # catch a worker stuck outside it.
    soft_time_limit=6 * 3600,
    time_limit=6 * 3600 + 60,
)
def run_next(self, run_id: int | None = None) -> str | None:
    """Claim the next eval run in fair order and evaluate it in the sandbox.

    ``run_id`` only says which run caused the wake-up. Returns the final
    status, or None when nothing could be claimed (all taken, or every
    waiting owner at the running limit).
    """
    run = eval_run_claim_next(task_id=self.request.id or "")
    if run is None:
        return None
    try:
        with Heartbeat(run.pk):
            return execute_run(run)
    except EvalInfrastructureError as exc:
        return eval_run_error(run=run, message=str(exc))
    except SoftTimeLimitExceeded:
        return eval_run_error(run=run, message="the eval task took too long")
    except Exception as exc:  # a bug: logged, retried, never a result
        logger.exception("eval run %s failed to execute", run.pk)
        return eval_run_error(run=run, message=f"{type(exc).__name__}: {exc}")
