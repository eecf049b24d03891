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

import importlib.util
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hub.accounts.models import User
from hub.catalog.models import Commit, ModelRepo
from hub.catalog.permissions import repo_can_write
from hub.core.dispatch import enqueue_on_commit
from hub.core.errors import ApplicationError, PermissionDeniedError, ValidationError
from hub.jobs import evalsuite
from hub.jobs.models import EvalResult, EvalRun, ValidationRun
from hub.jobs.selectors import checks_summary
from hub.jobs.services.eval_data import DataPlan, DataRequest, eval_data_plan
from hub.jobs.services.eval_plans import CheckpointPlan, commit_eval_plans

EVAL_QUEUE = "eval"
EVAL_TASK = "evals.run_next"


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


# Creation -------------------------------------------------------------------


def _suite_version(evaluator: str, data: DataPlan | None = None) -> str:
    info = evalsuite.EVALUATORS[evaluator]
    return info.suite_version if data is None else info.suite_version_on(data.digest)


def _existing_result(
    plan: CheckpointPlan, data: DataPlan | None = None
) -> EvalResult | None:
    return EvalResult.objects.filter(
        inputs_digest=plan.inputs_digest,
        evaluator=plan.evaluator,
        suite_version=_suite_version(plan.evaluator, data),
    ).first()


def _run_from_plan(
    *,
    commit: Commit,
    plan: CheckpointPlan,
    requested_by: User | None = None,
    force: bool = False,
    data: DataPlan | None = None,
) -> EvalRun:
    now = timezone.now()
    tier = evalsuite.size_tier_of(plan.parameter_count)
    on_data: dict[str, Any] = {}
    if data is not None:
        on_data = {
            "dataset_repo": data.repo,
            "dataset_name": data.repo.full_name,
            "dataset_commit": data.commit.oid,
            "dataset_split": data.split,
            "data": data.data,
        }
    run = EvalRun(
        commit=commit,
        owner_id=commit.repo.namespace_id,
        requested_by=requested_by,
        checkpoint=plan.checkpoint,
        evaluator=plan.evaluator,
        suite_version=_suite_version(plan.evaluator, data),
        inputs_digest=plan.inputs_digest,
        inputs=plan.inputs,
        parameter_count=plan.parameter_count,
        size_tier=tier.name,
        force=force,
        **on_data,
    )
    if plan.skip_reason:
        run.status = EvalRun.Status.SKIPPED
        run.reason = plan.skip_reason
        run.message = plan.skip_message
        run.finished_at = now
        return run
    existing = None if force else _existing_result(plan, data)
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
    two transactions cannot both miss (or both see) the last one. The commit
    row alone (not the joined repo row, which a landing commit holds while it
    updates it) and FOR NO KEY UPDATE: a commit landing on top of this one
    checks its parent key FOR KEY SHARE when it commits, which FOR UPDATE
    would block, deadlocking the two (a 500 for the committer).
    """
    commit = (
        Commit.objects.select_for_update(of=("self",), no_key=True)
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


def _checks_allow_request(
    *, repo: ModelRepo, commit: Commit, user: Any, token: Any
) -> None:
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


def _requestable_plans(commit: Commit, data: DataPlan | None) -> list[CheckpointPlan]:
    plans = [p for p in commit_eval_plans(commit=commit) if not p.skip_reason]
    if data is not None:
        plans = [p for p in plans if evalsuite.EVALUATORS[p.evaluator].accepts_hub_data]
        if not plans:
            raise ValidationError(
                "Evaluation on a dataset's text needs a causal language model "
                "checkpoint (architectures ending in ForCausalLM or LMHeadModel)."
            )
    if not plans:
        raise ValidationError("This commit has no checkpoint that can be evaluated.")
    return plans


@transaction.atomic
def eval_run_request(
    *,
    repo: ModelRepo,
    commit: Commit,
    user: Any,
    token: Any = None,
    data: DataRequest | None = None,
) -> list[EvalRun]:
    """An owner asks for evaluations of a commit: a forced re-run on the
    shipped data, or (``data``) a run on a text split of a dataset repo,
    which re-uses an identical earlier result.

    Checkpoints with a queued or running run on the same data keep it.
    Raises PermissionDeniedError for non-maintainers, EvalsUnavailableError
    when this hub does not run evaluations, EvalRequestLimitError past the
    per-user limit of queued requests, ValidationError when the commit's
    validation has not succeeded or it has nothing to evaluate; for
    ``data``, what ``eval_data_plan`` raises (a dataset the caller cannot
    see is a 404, as if it did not exist).
    """
    _checks_allow_request(repo=repo, commit=commit, user=user, token=token)
    data_plan = (
        None if data is None else eval_data_plan(request=data, user=user, token=token)
    )
    plans = _requestable_plans(commit, data_plan)
    pending = EvalRun.objects.filter(
        requested_by=user, status__in=EvalRun.ACTIVE
    ).count()
    same_data = {
        "dataset_name": data_plan.repo.full_name if data_plan else "",
        "dataset_commit": data_plan.commit.oid if data_plan else "",
        "dataset_split": data_plan.split if data_plan else "",
    }
    active_runs = EvalRun.objects.filter(
        commit=commit, status__in=EvalRun.ACTIVE, **same_data
    )
    active = set(active_runs.values_list("checkpoint", "evaluator"))
    todo = [p for p in plans if (p.checkpoint, p.evaluator) not in active]
    if pending + len(todo) > max_requests_per_user():
        raise EvalRequestLimitError(
            f"You have {pending} evaluation requests waiting; at most "
            f"{max_requests_per_user()} may wait at once. Try again when they "
            "have run."
        )
    created = _save_requested(
        [
            _run_from_plan(
                commit=commit,
                plan=plan,
                requested_by=user,
                force=data_plan is None,
                data=data_plan,
            )
            for plan in todo
        ]
    )
    return [*created, *active_runs.exclude(pk__in=[r.pk for r in created])]


def _save_requested(runs: list[EvalRun]) -> list[EvalRun]:
    """Save requested runs, waking a worker for each queued one; a run a
    concurrent request queued first is left out."""
    created = []
    for run in runs:
        try:
            with transaction.atomic():
                run.save()
        except IntegrityError:
            continue
        if run.status == EvalRun.Status.QUEUED:
            enqueue_on_commit(EVAL_TASK, run.pk, queue=EVAL_QUEUE)
        created.append(run)
    return created
