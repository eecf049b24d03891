"""Eval runs: creation after validation, fair claim, finish, retry, reconcile.

Runs follow the validation machinery: a PostgreSQL row is the truth, a
Celery message (``evals.run_next`` on the ``eval`` queue) only wakes a
worker, claiming is a conditional UPDATE, a heartbeat proves the worker is
alive and the reconciler re-sends or requeues. Unlike validation, a message
does not name the run it executes: the worker claims the next run in fair
order (each owner's oldest run first, round-robin across owners, at most
``HUB_EVAL_MAX_RUNNING_PER_OWNER`` running per owner), so one user pushing
fifty checkpoints cannot starve everybody else.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import posixpath
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from hub.accounts.models import User
from hub.catalog.models import Commit, ModelRepo, TreeEntry
from hub.catalog.permissions import repo_can_write
from hub.core.dispatch import enqueue_on_commit, send_task_now
from hub.core.errors import ApplicationError, PermissionDeniedError, ValidationError
from hub.jobs import evalsuite
from hub.jobs.models import EvalResult, EvalRun, ValidationRun
from hub.storage.selectors import blob_read_bytes

logger = logging.getLogger(__name__)

EVAL_QUEUE = "eval"
EVAL_TASK = "evals.run_next"
LOG_LIMIT = 20_000
MAX_CHECKPOINTS = 20

# Reason codes (stable, machine-readable; messages say the same in words).
REASON_PICKLE = "pickle_weights"
REASON_CUSTOM_CODE = "custom_code"
REASON_NO_WEIGHTS = "no_weights"
REASON_BAD_CONFIG = "invalid_config"
REASON_TOO_LARGE = "too_large"
REASON_INFRA = "infrastructure"
REASON_UNAVAILABLE = "eval_unavailable"


class EvalRequestLimitError(ApplicationError):
    code = "too_many_eval_requests"
    http_status = 429


class EvalsUnavailableError(ApplicationError):
    code = "evals_unavailable"
    http_status = 503


def evals_enabled() -> bool:
    """Whether this hub runs evaluations at all.

    ``HUB_EVAL_ENABLED`` decides when set; by default evaluations are on when
    the eval stack (the ``.[eval]`` extra) is installed. Checked with
    ``find_spec``: the hub process never imports torch.
    """
    configured = getattr(settings, "HUB_EVAL_ENABLED", None)
    if configured is not None:
        return bool(configured)
    return eval_stack_installed()


def eval_stack_installed() -> bool:
    """torch, transformers, tokenizers and safetensors are importable."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("torch", "transformers", "tokenizers", "safetensors")
    )


def max_running_per_owner() -> int:
    return int(getattr(settings, "HUB_EVAL_MAX_RUNNING_PER_OWNER", 1))


def max_requests_per_user() -> int:
    return int(getattr(settings, "HUB_EVAL_MAX_QUEUED_REQUESTS_PER_USER", 10))


# Planning: which checkpoints a commit has, with which evaluator -------------


@dataclass
class CheckpointPlan:
    """What an eval run of one checkpoint will read, or why it cannot run."""

    checkpoint: str
    evaluator: str
    inputs: list[dict[str, Any]]
    inputs_digest: str
    parameter_count: int | None
    skip_reason: str = ""
    skip_message: str = ""


def inputs_digest_of(inputs: list[dict[str, Any]]) -> str:
    """sha256 over the sorted (relative path, sha256) pairs of a run's inputs."""
    h = hashlib.sha256()
    for item in sorted(inputs, key=lambda i: i["path"]):
        h.update(f"{item['path']}\0{item['sha256']}\n".encode())
    return h.hexdigest()


def _relative(path: str, folder: str) -> str | None:
    if not folder:
        return path
    prefix = folder + "/"
    return path[len(prefix) :] if path.startswith(prefix) else None


def _safetensors_parameters(commit: Commit, paths: list[str]) -> int | None:
    """Parameter count of the given files, from their validation metadata."""
    if not paths:
        return None
    total = 0
    found = False
    for run in ValidationRun.objects.filter(
        commit=commit, kind=ValidationRun.Kind.FILE, path__in=paths
    ).only("metadata"):
        counts = (run.metadata or {}).get("parameters") or {}
        if isinstance(counts, dict):
            for n in counts.values():
                if isinstance(n, int):
                    total += n
                    found = True
    return total if found else None


def commit_eval_plans(*, commit: Commit) -> list[CheckpointPlan]:
    """Every checkpoint of a commit (a folder holding ``config.json``) and its plan.

    Weights are safetensors only; a checkpoint with pickle weights and no
    safetensors, or with custom code (``auto_map`` or ``.py`` files), is
    planned as skipped with the reason, never loaded.
    """
    entries = list(
        TreeEntry.objects.filter(commit=commit).only("path", "blob_id", "size")
    )
    folders = sorted(
        posixpath.dirname(e.path)
        for e in entries
        if posixpath.basename(e.path) == "config.json"
        and not posixpath.dirname(e.path).endswith("1_Pooling")
    )[:MAX_CHECKPOINTS]
    plans = []
    for folder in folders:
        local: dict[str, TreeEntry] = {}
        for entry in entries:
            rel = _relative(entry.path, folder)
            if rel is not None:
                local[rel] = entry
        config_entry = local["config.json"]
        weights = sorted(
            rel
            for rel in local
            if "/" not in rel and rel.endswith(evalsuite.SAFETENSORS_SUFFIXES)
        )
        pickles = [
            rel
            for rel in local
            if "/" not in rel and rel.endswith(evalsuite.PICKLE_SUFFIXES)
        ]
        others = [
            rel
            for rel in local
            if "/" not in rel and rel.endswith(evalsuite.OTHER_WEIGHT_SUFFIXES)
        ]
        code = [rel for rel in local if "/" not in rel and rel.endswith(".py")]
        inputs = [
            {"path": rel, "sha256": local[rel].blob_id, "size": local[rel].size}
            for rel in sorted(local)
            if rel in weights or rel in evalsuite.SUPPORT_FILES
        ]
        full_paths = [posixpath.join(folder, w) if folder else w for w in weights]
        plan = CheckpointPlan(
            checkpoint=folder,
            evaluator=evalsuite.FORWARD_PASS,
            inputs=inputs,
            inputs_digest=inputs_digest_of(inputs),
            parameter_count=_safetensors_parameters(commit, full_paths),
        )
        config = None
        if config_entry.size <= evalsuite.MAX_CONFIG_BYTES:
            config = evalsuite.parse_config(
                blob_read_bytes(
                    sha256=config_entry.blob_id, limit=evalsuite.MAX_CONFIG_BYTES
                )
            )
        if config is None:
            plan.skip_reason = REASON_BAD_CONFIG
            plan.skip_message = "config.json is not a JSON object of at most 1 MB."
            plans.append(plan)
            continue
        pipeline_tag = ""
        card_tag = (commit.card_data or {}).get("pipeline_tag")
        if isinstance(card_tag, str):
            pipeline_tag = card_tag
        plan.evaluator = evalsuite.evaluator_for_config(
            config, files=set(local), pipeline_tag=pipeline_tag
        )
        if config.get("auto_map") or code:
            plan.skip_reason = REASON_CUSTOM_CODE
            plan.skip_message = (
                "This checkpoint needs custom code (auto_map or .py files); "
                "evaluations never run uploaded code (trust_remote_code=False)."
            )
        elif not weights and pickles:
            plan.skip_reason = REASON_PICKLE
            plan.skip_message = (
                f"Only pickle weights ({', '.join(sorted(pickles)[:3])}): "
                "evaluations load safetensors only, never pickles. Convert the "
                "weights to safetensors to be evaluated."
            )
        elif not weights:
            found = ", ".join(sorted(others)[:3])
            plan.skip_reason = REASON_NO_WEIGHTS
            plan.skip_message = (
                f"No safetensors weights next to config.json"
                f"{f' (found {found})' if found else ''}; evaluations load "
                "safetensors only."
            )
        plans.append(plan)
    return plans


# Creation -------------------------------------------------------------------


def _suite_version(evaluator: str) -> str:
    return evalsuite.EVALUATORS[evaluator].suite_version


def _existing_result(plan: CheckpointPlan) -> EvalResult | None:
    return EvalResult.objects.filter(
        inputs_digest=plan.inputs_digest,
        evaluator=plan.evaluator,
        suite_version=_suite_version(plan.evaluator),
    ).first()


def _run_from_plan(
    *,
    commit: Commit,
    plan: CheckpointPlan,
    requested_by: User | None = None,
    force: bool = False,
) -> EvalRun:
    now = timezone.now()
    tier = evalsuite.size_tier_of(plan.parameter_count)
    run = EvalRun(
        commit=commit,
        owner_id=commit.repo.namespace_id,
        requested_by=requested_by,
        checkpoint=plan.checkpoint,
        evaluator=plan.evaluator,
        suite_version=_suite_version(plan.evaluator),
        inputs_digest=plan.inputs_digest,
        inputs=plan.inputs,
        parameter_count=plan.parameter_count,
        size_tier=tier.name,
        force=force,
    )
    if plan.skip_reason:
        run.status = EvalRun.Status.SKIPPED
        run.reason = plan.skip_reason
        run.message = plan.skip_message
        run.finished_at = now
        return run
    existing = None if force else _existing_result(plan)
    if existing is not None:
        run.status = EvalRun.Status.FINISHED
        run.result = existing
        run.reused = True
        run.started_at = now
        run.finished_at = now
        run.message = "Identical files were evaluated before: result re-used."
        return run
    run.enqueued_at = now
    return run


@transaction.atomic
def eval_runs_create(*, commit: Commit) -> list[EvalRun]:
    """Create the eval runs of a commit whose validation succeeded.

    One run per checkpoint; skipped runs carry their reason, runs whose
    files were evaluated before re-use that result, the rest are queued and
    a worker is woken after the transaction commits. Idempotent per commit.
    """
    if not evals_enabled():
        return []
    if EvalRun.objects.filter(commit=commit).exists():
        return list(EvalRun.objects.filter(commit=commit))
    runs = [
        _run_from_plan(commit=commit, plan=plan)
        for plan in commit_eval_plans(commit=commit)
    ]
    created = EvalRun.objects.bulk_create(runs)
    for run in created:
        if run.status == EvalRun.Status.QUEUED:
            enqueue_on_commit(EVAL_TASK, run.pk, queue=EVAL_QUEUE)
    return created


def eval_runs_after_validation(*, commit_id: int) -> list[EvalRun]:
    """Called when a validation run of the commit finishes: once every check
    has finished and the commit's validation succeeded, create its eval runs.

    Locks the commit row so that two checks finishing at the same moment in
    two transactions cannot both miss (or both see) the last one.
    """
    from hub.jobs.selectors import checks_summary

    commit = (
        Commit.objects.select_for_update()
        .select_related("repo")
        .filter(pk=commit_id)
        .first()
    )
    if commit is None or not evals_enabled():
        return []
    # Cheap test first (this runs once per finished check): only the last
    # check of the commit goes on to summarise all of them.
    if ValidationRun.objects.filter(
        commit=commit, status__in=(ValidationRun.Status.QUEUED, "running")
    ).exists():
        return []
    if checks_summary(commit=commit).state != "success":
        return []
    return eval_runs_create(commit=commit)


@transaction.atomic
def eval_run_request(
    *, repo: ModelRepo, commit: Commit, user: Any, token: Any = None
) -> list[EvalRun]:
    """An owner asks for a re-run of a commit's evaluations (forced: no re-use).

    Checkpoints with a queued or running run keep it. Raises
    PermissionDeniedError for non-maintainers, EvalsUnavailableError when
    this hub does not run evaluations, EvalRequestLimitError past the
    per-user limit of queued requests, ValidationError when the commit's
    validation has not succeeded or it has nothing to evaluate.
    """
    from hub.jobs.selectors import checks_summary

    if not evals_enabled():
        raise EvalsUnavailableError(
            "Evaluations are not available on this hub (the eval extra is not "
            "installed or HUB_EVAL_ENABLED is off)."
        )
    if not repo_can_write(user=user, repo=repo, token=token):
        raise PermissionDeniedError(
            f"Only maintainers of {repo.full_name} may request evaluations."
        )
    if checks_summary(commit=commit).state != "success":
        raise ValidationError(
            "This commit's validation has not succeeded: evaluations run only "
            "on validated commits."
        )
    pending = EvalRun.objects.filter(
        requested_by=user, status__in=EvalRun.ACTIVE
    ).count()
    plans = [p for p in commit_eval_plans(commit=commit) if not p.skip_reason]
    if not plans:
        raise ValidationError("This commit has no checkpoint that can be evaluated.")
    active = set(
        EvalRun.objects.filter(commit=commit, status__in=EvalRun.ACTIVE).values_list(
            "checkpoint", "evaluator"
        )
    )
    todo = [p for p in plans if (p.checkpoint, p.evaluator) not in active]
    if pending + len(todo) > max_requests_per_user():
        raise EvalRequestLimitError(
            f"You have {pending} evaluation requests waiting; at most "
            f"{max_requests_per_user()} may wait at once. Try again when they "
            "have run."
        )
    created = []
    for plan in todo:
        run = _run_from_plan(commit=commit, plan=plan, requested_by=user, force=True)
        try:
            with transaction.atomic():
                run.save()
        except IntegrityError:  # a concurrent request queued it first
            continue
        enqueue_on_commit(EVAL_TASK, run.pk, queue=EVAL_QUEUE)
        created.append(run)
    return [
        *created,
        *EvalRun.objects.filter(commit=commit, status__in=EvalRun.ACTIVE).exclude(
            pk__in=[r.pk for r in created]
        ),
    ]


# Claim, heartbeat, finish ---------------------------------------------------


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
    now = timezone.now()
    for run_id in candidates:
        claimed = EvalRun.objects.filter(
            pk=run_id, status=EvalRun.Status.QUEUED
        ).update(
            status=EvalRun.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            celery_task_id=task_id[:64],
        )
        if claimed:
            return EvalRun.objects.select_related("commit__repo").get(pk=run_id)
    return None


def eval_run_heartbeat(*, run_id: int) -> None:
    """Tell the reconciler the run is alive."""
    EvalRun.objects.filter(pk=run_id, status=EvalRun.Status.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def eval_result_get(*, run: EvalRun) -> EvalResult | None:
    """The stored result for this run's files, evaluator and suite, if any."""
    return EvalResult.objects.filter(
        inputs_digest=run.inputs_digest,
        evaluator=run.evaluator,
        suite_version=run.suite_version,
    ).first()


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
        primary = outcome["primary"]
        values = {
            "metrics": outcome["metrics"],
            "primary_metric": primary["name"],
            "primary_value": float(primary["value"]),
            "higher_is_better": bool(primary["higher_is_better"]),
            "details": outcome.get("details") or {},
            "environment": outcome.get("environment") or {},
            "settings": outcome.get("settings") or {},
            "parameter_count": outcome.get("parameter_count")
            or current.parameter_count,
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


def _max_attempts() -> int:
    return int(getattr(settings, "HUB_JOB_MAX_ATTEMPTS", 3))


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
    if current.attempts >= _max_attempts():
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


def eval_runs_reconcile(
    *, queued_after_seconds: int | None = None, stale_after_seconds: int | None = None
) -> dict[str, int]:
    """Requeue or give up on runs of dead workers; wake workers for waiting runs.

    Safe to run often (beat, every minute, with the validation reconciler).
    """
    queued_after = (
        queued_after_seconds
        if queued_after_seconds is not None
        else settings.HUB_JOB_RESEND_AFTER_SECONDS
    )
    stale_after = (
        stale_after_seconds
        if stale_after_seconds is not None
        else getattr(
            settings,
            "HUB_EVAL_STALE_AFTER_SECONDS",
            settings.HUB_JOB_STALE_AFTER_SECONDS,
        )
    )
    now = timezone.now()
    counts = {"eval_resent": 0, "eval_requeued": 0, "eval_failed": 0}
    stale = EvalRun.objects.filter(
        status=EvalRun.Status.RUNNING,
        heartbeat_at__lt=now - timedelta(seconds=stale_after),
    ).values_list("pk", flat=True)
    for run_id in list(stale):
        with transaction.atomic():
            run = EvalRun.objects.select_for_update().get(pk=run_id)
            if run.status != EvalRun.Status.RUNNING:
                continue
            status = eval_run_error(run=run, message="worker stopped responding")
            key = "eval_failed" if status == EvalRun.Status.FAILED else "eval_requeued"
            counts[key] += 1
    forgotten = EvalRun.objects.filter(status=EvalRun.Status.QUEUED).filter(
        Q(enqueued_at__isnull=True)
        | Q(enqueued_at__lt=now - timedelta(seconds=queued_after))
    )
    for run_id in list(forgotten.values_list("pk", flat=True)[:200]):
        EvalRun.objects.filter(pk=run_id).update(enqueued_at=now)
        if send_task_now(EVAL_TASK, run_id, queue=EVAL_QUEUE):
            counts["eval_resent"] += 1
    return counts
