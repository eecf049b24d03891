"""The eval task: claim the next run in fair order, execute it, heartbeat.

Runs on the ``eval`` queue (workers/routing.py), one at a time per worker
process (``--concurrency 1 --prefetch-multiplier 1``). The message carries a
run id only as a wake-up: which run executes is decided by the fair order
in hub.jobs.services.eval_runs.
"""

from __future__ import annotations

import logging
from functools import partial

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from hub.jobs.services.eval_runs import (
    eval_run_claim_next,
    eval_run_error,
    eval_run_heartbeat,
)
from workers.evals.runner import EvalInfrastructureError, execute_run
from workers.heartbeat import Heartbeat, beat_interval

logger = logging.getLogger(__name__)


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
        stale_after = getattr(
            settings,
            "HUB_EVAL_STALE_AFTER_SECONDS",
            settings.HUB_JOB_STALE_AFTER_SECONDS,
        )
        beat = partial(eval_run_heartbeat, run_id=run.pk)
        with Heartbeat(beat, beat_interval(stale_after)):
            return execute_run(run)
    except EvalInfrastructureError as exc:
        return eval_run_error(run=run, message=str(exc))
    except SoftTimeLimitExceeded:
        return eval_run_error(run=run, message="the eval task took too long")
    except Exception as exc:  # a bug: logged, retried, never a result
        logger.exception("eval run %s failed to execute", run.pk)
        return eval_run_error(run=run, message=f"{type(exc).__name__}: {exc}")
