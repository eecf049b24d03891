"""The reconciler: one sweep over validation runs and eval runs.

A run is a row and a message only wakes a worker, so the reconciler (beat,
every minute) repairs what a lost message or a dead worker leaves behind
(``jobs_reconcile``):
running runs without a heartbeat for ``stale_after`` seconds are requeued
while attempts remain, else given up; queued runs not sent for
``queued_after`` seconds are sent again (the broker may have been down).
Safe to run often.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, Q
from django.db.models.functions import Now
from django.utils import timezone

from hub.core.dispatch import send_task_now
from hub.jobs.models import EvalRun, ValidationRun
from hub.jobs.services import VALIDATION_QUEUE, task_for, validation_run_error
from hub.jobs.services.eval_runs import eval_run_error
from hub.jobs.services.evals import EVAL_QUEUE, EVAL_TASK


@dataclass(frozen=True)
class RunKind:
    """How the sweep treats one kind of run.

    ``error(run=, message=)`` retries or gives up and returns the new
    status; ``gave_up`` is that status when attempts ran out; ``keys`` name
    the counts (resent, requeued, gave up); ``resend_limit`` bounds the
    runs re-sent per sweep (None: all).
    """

    model: Any
    queue: str
    task_of: Callable[[Any], str]
    error: Callable[..., str]
    gave_up: str
    keys: tuple[str, str, str]
    stale_setting: str
    resend_limit: int | None
    fields: tuple[str, ...] = ()


VALIDATION = RunKind(
    model=ValidationRun,
    queue=VALIDATION_QUEUE,
    task_of=task_for,
    error=validation_run_error,
    gave_up=ValidationRun.Status.ERRORED,
    keys=("resent", "requeued", "errored"),
    stale_setting="HUB_JOB_STALE_AFTER_SECONDS",
    resend_limit=None,
    fields=("kind",),
)
EVAL = RunKind(
    model=EvalRun,
    queue=EVAL_QUEUE,
    task_of=lambda run: EVAL_TASK,
    error=eval_run_error,
    gave_up=EvalRun.Status.FAILED,
    keys=("eval_resent", "eval_requeued", "eval_failed"),
    stale_setting="HUB_EVAL_STALE_AFTER_SECONDS",
    resend_limit=200,
)


def _stale_after(kind: RunKind) -> Any:
    return getattr(settings, kind.stale_setting, settings.HUB_JOB_STALE_AFTER_SECONDS)


def _sweep_stale(
    kind: RunKind, *, now: datetime, stale_after: int, counts: dict[str, int]
) -> None:
    model = kind.model
    # Heartbeats are written with the database's clock and judged by it:
    # a worker or a beat whose clock is off neither hides a dead run nor
    # condemns a live one.
    stale = model.objects.filter(
        status=model.Status.RUNNING,
        heartbeat_at__lt=ExpressionWrapper(
            Now() - timedelta(seconds=stale_after), output_field=DateTimeField()
        ),
    ).values_list("pk", flat=True)
    _, requeued, gave_up = kind.keys
    for run_id in list(stale):
        with transaction.atomic():
            run = model.objects.select_for_update().get(pk=run_id)
            if run.status != model.Status.RUNNING:
                continue
            status = kind.error(run=run, message="worker stopped responding")
            counts[gave_up if status == kind.gave_up else requeued] += 1


def _resend_forgotten(
    kind: RunKind, *, now: datetime, queued_after: int, counts: dict[str, int]
) -> None:
    model = kind.model
    forgotten = model.objects.filter(status=model.Status.QUEUED).filter(
        Q(enqueued_at__isnull=True)
        | Q(enqueued_at__lt=now - timedelta(seconds=queued_after))
    )
    runs = forgotten.only("pk", *kind.fields)
    if kind.resend_limit is not None:
        runs = runs[: kind.resend_limit]
    for run in list(runs):
        model.objects.filter(pk=run.pk).update(enqueued_at=now)
        if send_task_now(kind.task_of(run), run.pk, queue=kind.queue):
            counts[kind.keys[0]] += 1


def runs_reconcile(
    kind: RunKind,
    *,
    queued_after_seconds: int | None = None,
    stale_after_seconds: int | None = None,
) -> dict[str, int]:
    """Requeue or give up on runs of dead workers; re-send forgotten runs."""
    queued_after = (
        queued_after_seconds
        if queued_after_seconds is not None
        else settings.HUB_JOB_RESEND_AFTER_SECONDS
    )
    stale_after = (
        stale_after_seconds if stale_after_seconds is not None else _stale_after(kind)
    )
    now = timezone.now()
    counts = dict.fromkeys(kind.keys, 0)
    _sweep_stale(kind, now=now, stale_after=stale_after, counts=counts)
    _resend_forgotten(kind, now=now, queued_after=queued_after, counts=counts)
    return counts


def validation_runs_reconcile(
    *, queued_after_seconds: int | None = None, stale_after_seconds: int | None = None
) -> dict[str, int]:
    """``runs_reconcile`` of validation runs (given up: ``errored``)."""
    return runs_reconcile(
        VALIDATION,
        queued_after_seconds=queued_after_seconds,
        stale_after_seconds=stale_after_seconds,
    )


def eval_runs_reconcile(
    *, queued_after_seconds: int | None = None, stale_after_seconds: int | None = None
) -> dict[str, int]:
    """``runs_reconcile`` of eval runs (given up: ``failed``)."""
    return runs_reconcile(
        EVAL,
        queued_after_seconds=queued_after_seconds,
        stale_after_seconds=stale_after_seconds,
    )


def jobs_reconcile() -> dict[str, int]:
    """One sweep over both kinds of run, with the configured delays."""
    counts: dict[str, int] = {}
    for kind in (VALIDATION, EVAL):
        counts.update(runs_reconcile(kind))
    return counts
