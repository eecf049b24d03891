"""The worker-side runner without a child: tier limits, re-use, missing bytes,
and how each sandbox outcome becomes a run status with a reason."""

from __future__ import annotations

import pytest

from hub.jobs.models import EvalRun
from hub.storage.services import blob_store
from tests.factories import commit_files, make_repo
from tests.jobs.test_eval_runs import (
    causal_files,
    claim_next,
    finish_eval,
    finish_validation,
)
from workers.evals.runner import (
    EvalInfrastructureError,
    eval_limits,
    execute_run,
    record_outcome,
)
from workers.evals.sandbox import SandboxOutcome

pytestmark = pytest.mark.django_db


def queued_run(owner, name: str, seed: int = 6) -> EvalRun:
    repo = make_repo(owner, name)
    commit = commit_files(repo, causal_files(seed=seed), author=owner)
    finish_validation(commit)
    return claim_next()


def test_models_over_the_workers_tier_are_skipped_not_failed(owner, settings):
    settings.HUB_EVAL_MAX_TIER = "xs"
    run = queued_run(owner, "big")
    EvalRun.objects.filter(pk=run.pk).update(size_tier="m", parameter_count=700_000_000)
    run.refresh_from_db()
    assert execute_run(run) == "skipped"
    run.refresh_from_db()
    assert run.reason == "too_large"
    assert "700,000,000 parameters" in run.message


def test_a_result_that_appeared_meanwhile_is_reused_without_running(owner):
    first = queued_run(owner, "first")
    second_repo = make_repo(owner, "second")
    second_commit = commit_files(second_repo, causal_files(), author=owner)
    finish_validation(second_commit)  # queued: the first has no result yet
    finish_eval(first)
    second = claim_next()
    assert second.commit_id == second_commit.pk
    assert execute_run(second) == "finished"
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.reused and second.result_id == first.result_id


def test_missing_stored_bytes_are_an_infrastructure_error(owner):
    run = queued_run(owner, "gone")
    weights = next(i for i in run.inputs if i["path"] == "model.safetensors")
    blob_store().delete(weights["sha256"])
    with pytest.raises(EvalInfrastructureError):
        execute_run(run)


@pytest.mark.parametrize(
    ("kind", "status", "reason"),
    [
        ("timeout", "timeout", "wall_clock"),
        ("cpu_time", "timeout", "cpu_time"),
        ("memory_limit", "failed", "memory_limit"),
        ("invalid_result", "failed", "invalid_result"),
        ("crashed", "failed", "child_crashed"),
        ("unavailable", "failed", "sandbox_unavailable"),
    ],
)
def test_sandbox_outcomes_become_statuses_with_reasons_and_log_tails(
    owner, kind, status, reason
):
    run = queued_run(owner, f"outcome-{kind.replace('_', '-')}")
    outcome = SandboxOutcome(
        kind=kind,
        error=f"the {kind} explanation",
        log_tail="line 1\nline 2: the last thing the child said",
        isolation={"network": "none (new network namespace)"},
    )
    assert record_outcome(run, outcome, eval_limits(weights_bytes=24)) == status
    run.refresh_from_db()
    assert (run.status, run.reason) == (status, reason)
    assert run.message == f"the {kind} explanation"
    assert "the last thing the child said" in run.log
    assert run.result is None


def test_address_space_limit_grows_with_the_weights():
    small = eval_limits(weights_bytes=10 << 20)
    large = eval_limits(weights_bytes=2 << 30)
    assert large.address_space_bytes - small.address_space_bytes == 4 * (
        (2 << 30) - (10 << 20)
    )
