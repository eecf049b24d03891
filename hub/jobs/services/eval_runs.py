"""Eval runs at work: fair claim, heartbeat, finish (storing the result) and
infrastructure errors (retry or give up)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, Now, RowNumber
from django.utils import timezone

from hub.core.dispatch import enqueue_on_commit
from hub.jobs.models import EvalResult, EvalRun
from hub.jobs.services.eval_plans import REASON_INFRA
from hub.jobs.services.evals import EVAL_QUEUE, EVAL_TASK, max_running_per_owner
from hub.jobs.services.runs import LOG_LIMIT, max_attempts


def eval_queue_ordered() -> QuerySet[EvalRun]:
    """Queued runs in fair order: round-robin across owners, oldest first.

    A run's turn is its rank among its owner's queued runs plus the number
    of the owner's runs already running, so an owner whose first run is
    executing waits behind everybody else's first run.
    """
    running = (
        EvalRun.objects.filter(owner_id=OuterRef("owner_id"), status="running")
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        EvalRun.objects.filter(status=EvalRun.Status.QUEUED)
        .annotate(
            owner_rank=Window(
                RowNumber(),
                partition_by=[F("owner_id")],
                order_by=[F("created_at").asc(), F("id").asc()],
            ),
            owner_running=Coalesce(Subquery(running), Value(0)),
        )
        .annotate(turn=F("owner_rank") + F("owner_running"))
        .order_by("turn", "created_at", "id")
    )


def eval_run_claim_next(*, task_id: str = "") -> EvalRun | None:
    """Claim the next queued run in fair order; None when nothing may run now.

    Owners already at their running limit are passed over. A conditional
    UPDATE claims the run, so two workers never take the same one.
    """
    limit = max_running_per_owner()
    busy = (
        EvalRun.objects.filter(status=EvalRun.Status.RUNNING)
        .values("owner_id")
        .annotate(n=Count("id"))
        .filter(n__gte=limit)
        .values_list("owner_id", flat=True)
    )
    candidates = list(
        eval_queue_ordered()
        .exclude(owner_id__in=list(busy))
        .values_list("pk", flat=True)[:20]
    )
    for run_id in candidates:
        # The database's clock: see validation_run_claim.
        claimed = EvalRun.objects.filter(
            pk=run_id, status=EvalRun.Status.QUEUED
        ).update(
            status=EvalRun.Status.RUNNING,
            started_at=Now(),
            heartbeat_at=Now(),
            attempts=F("attempts") + 1,
            celery_task_id=task_id[:64],
        )
        if claimed:
            return EvalRun.objects.select_related("commit__repo").get(pk=run_id)
    return None


def eval_run_heartbeat(*, run_id: int) -> None:
    """Tell the reconciler the run is alive (the database's clock)."""
    EvalRun.objects.filter(pk=run_id, status=EvalRun.Status.RUNNING).update(
        heartbeat_at=Now()
    )


def eval_result_get(*, run: EvalRun) -> EvalResult | None:
    """The stored result for this run's files, evaluator and suite, if any."""
    return EvalResult.objects.filter(
        inputs_digest=run.inputs_digest,
        evaluator=run.evaluator,
        suite_version=run.suite_version,
    ).first()


def _result_store(
    current: EvalRun, outcome: dict[str, Any], message: str
) -> tuple[EvalResult, str]:
    """Upsert the result of a finished run on (inputs, evaluator, suite); a
    re-run replaces the numbers and the message says whether it reproduced
    the previous primary value. Returns the result and the message."""
    primary = outcome["primary"]
    values = {
        "metrics": outcome["metrics"],
        "primary_metric": primary["name"],
        "primary_value": float(primary["value"]),
        "higher_is_better": bool(primary["higher_is_better"]),
        "details": outcome.get("details") or {},
        "environment": outcome.get("environment") or {},
        "settings": outcome.get("settings") or {},
        "parameter_count": outcome.get("parameter_count") or current.parameter_count,
        "size_tier": current.size_tier,
        "duration_seconds": float(outcome.get("duration_seconds") or 0),
    }
    result = (
        EvalResult.objects.select_for_update()
        .filter(
            inputs_digest=current.inputs_digest,
            evaluator=current.evaluator,
            suite_version=current.suite_version,
        )
        .first()
    )
    if result is None:
        result = EvalResult.objects.create(
            inputs_digest=current.inputs_digest,
            evaluator=current.evaluator,
            suite_version=current.suite_version,
            **values,
        )
    else:
        previous = result.primary_value
        values["details"] = {**values["details"], "previous_value": previous}
        for key, value in values.items():
            setattr(result, key, value)
        result.save()
        if previous:
            drift = abs(result.primary_value - previous) / abs(previous)
            note = (
                "Re-run reproduced the previous result"
                if drift <= 1e-6
                else f"Re-run differs from the previous result by {drift:.2e} "
                "(relative)"
            )
            message = f"{message} {note}.".strip()
    return result, message


@transaction.atomic
def eval_run_finish(
    *,
    run: EvalRun,
    status: str,
    reason: str = "",
    message: str = "",
    log: str = "",
    outcome: dict[str, Any] | None = None,
    reuse: EvalResult | None = None,
) -> bool:
    """Record the end of a running run; for ``finished`` store its result.

    ``outcome`` (finished runs) holds ``metrics``, ``primary`` (name, value,
    higher_is_better), ``details``, ``environment``, ``settings`` and
    ``duration_seconds``. The result is upserted on (inputs, evaluator,
    suite): a re-run replaces the numbers and notes the previous primary
    value. Idempotent: a run that is no longer running is left alone and
    False returned.
    """
    if status not in EvalRun.FINAL:
        raise ValueError(f"not a final status: {status!r}")
    current = EvalRun.objects.select_for_update().filter(pk=run.pk).first()
    if current is None or current.status != EvalRun.Status.RUNNING:
        return False
    result = reuse
    if status == EvalRun.Status.FINISHED and result is None:
        if outcome is None:
            raise ValueError("a finished run needs its outcome")
        result, message = _result_store(current, outcome, message)
    current.status = status
    current.reason = reason[:32]
    current.message = message
    current.log = log[-LOG_LIMIT:]
    current.result = result if status == EvalRun.Status.FINISHED else None
    current.reused = reuse is not None
    current.finished_at = timezone.now()
    current.save(
        update_fields=[
            "status",
            "reason",
            "message",
            "log",
            "result",
            "reused",
            "finished_at",
        ]
    )
    return True


@transaction.atomic
def eval_run_error(*, run: EvalRun, message: str, log: str = "") -> str:
    """An infrastructure failure (not the model's): retry or give up.

    Back to ``queued`` while attempts remain, else ``failed`` with reason
    ``infrastructure``. Returns the new status.
    """
    current = EvalRun.objects.select_for_update().get(pk=run.pk)
    if current.status != EvalRun.Status.RUNNING:
        return current.status
    line = f"[attempt {current.attempts}] {message}\n"
    current.log = (current.log + line + log)[-LOG_LIMIT:]
    if current.attempts >= max_attempts():
        current.status = EvalRun.Status.FAILED
        current.reason = REASON_INFRA
        current.message = (
            f"The evaluation could not run after {current.attempts} attempts "
            f"(infrastructure, not the model): {message}"
        )
        current.finished_at = timezone.now()
        current.save(
            update_fields=["status", "reason", "message", "finished_at", "log"]
        )
        return current.status
    current.status = EvalRun.Status.QUEUED
    current.enqueued_at = timezone.now()
    current.save(update_fields=["status", "enqueued_at", "log"])
    enqueue_on_commit(EVAL_TASK, current.pk, queue=EVAL_QUEUE)
    return current.status
