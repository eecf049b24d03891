"""Eval runs in the database: created when validation succeeds, skipped with
reasons, deduplicated by content, claimed in fair order, retried only for
infrastructure errors, reconciled, re-run by owners only."""

from __future__ import annotations

import json
import struct
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from hub.core.errors import PermissionDeniedError, ValidationError
from hub.jobs import evalsuite
from hub.jobs.models import EvalResult, EvalRun, ValidationRun
from hub.jobs.selectors.evals import (
    card_claimed_results,
    eval_queue_positions,
    eval_queue_visible,
)
from hub.jobs.services import validation_run_claim, validation_run_finish
from hub.jobs.services.eval_runs import (
    eval_run_claim_next,
    eval_run_error,
    eval_run_finish,
)
from hub.jobs.services.evals import EvalRequestLimitError, eval_run_request
from hub.jobs.services.reconcile import eval_runs_reconcile
from tests.factories import commit_files, make_repo, make_user

pytestmark = pytest.mark.django_db


def safetensors_bytes(n: int = 6) -> bytes:
    header = json.dumps(
        {"w": {"dtype": "F32", "shape": [n], "data_offsets": [0, 4 * n]}}
    ).encode()
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + b"\0" * (4 * n)


def causal_files(seed: int = 6, **extra: bytes) -> dict[str, bytes]:
    return {
        "config.json": json.dumps({"architectures": ["GPT2LMHeadModel"]}).encode(),
        "model.safetensors": safetensors_bytes(seed),
        "tokenizer.json": b"{}",
        **extra,
    }


def finish_validation(commit, verdict: str = "passed") -> None:
    """What the validation workers do: claim and pass every queued check."""
    for run in ValidationRun.objects.filter(commit=commit, status="queued"):
        claimed = validation_run_claim(run_id=run.pk, kind=run.kind)
        assert claimed is not None
        metadata = {}
        if run.path.endswith(".safetensors"):
            metadata = {"format": "safetensors", "parameters": {"F32": 6}}
        validation_run_finish(
            run=claimed,
            verdict=verdict,
            findings=[],
            metadata=metadata,
            validator_version="test-1",
        )


def claim_next() -> EvalRun:
    run = eval_run_claim_next()
    assert run is not None
    return run


def finish_eval(run: EvalRun, value: float = 1.5) -> None:
    eval_run_finish(
        run=run,
        status="finished",
        outcome={
            "metrics": {"bits_per_byte": value, "token_perplexity": 9.0},
            "primary": {
                "name": "bits_per_byte",
                "value": value,
                "higher_is_better": False,
            },
            "environment": {"torch": "2.13.0", "threads": 1},
            "settings": {"context_length": 256},
            "duration_seconds": 1.0,
        },
    )


def test_evals_are_queued_only_once_validation_has_succeeded(
    owner, django_capture_on_commit_callbacks
):
    repo = make_repo(owner, "lm")
    commit = commit_files(repo, causal_files(), author=owner)
    assert not EvalRun.objects.filter(commit=commit).exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        finish_validation(commit)
    run = EvalRun.objects.get(commit=commit)
    assert run.status == "queued"
    assert run.evaluator == "causal_lm"
    assert run.suite_version == evalsuite.EVALUATORS["causal_lm"].suite_version
    assert run.owner_id == repo.namespace_id
    assert run.parameter_count == 6
    assert run.size_tier == "xs"
    assert {i["path"] for i in run.inputs} == {
        "config.json",
        "model.safetensors",
        "tokenizer.json",
    }
    assert len(callbacks) == 1  # one wake-up for the eval queue


def test_failed_validation_queues_no_eval(owner):
    repo = make_repo(owner, "bad")
    commit = commit_files(repo, causal_files(), author=owner)
    finish_validation(commit, verdict="failed")
    assert not EvalRun.objects.filter(commit=commit).exists()


def test_pull_request_commits_are_evaluated_too(owner, jun_user):
    from hub.catalog.services.operations import AddFile
    from hub.community.services.pull_requests import pull_request_create_with_commit
    from hub.storage.services import blob_upload_bytes

    repo = make_repo(owner, "prs")
    commit_files(repo, {"README.md": b"hello"}, author=owner)
    operations = [
        AddFile(path, blob_upload_bytes(data=data).sha256)
        for path, data in causal_files().items()
    ]
    _, head = pull_request_create_with_commit(
        repo=repo,
        author=jun_user,
        base_branch="main",
        operations=operations,
        title="Add weights",
    )
    finish_validation(head)
    assert EvalRun.objects.filter(commit=head, status="queued").count() == 1


def test_pickle_only_and_custom_code_checkpoints_are_skipped_with_a_reason(owner):
    repo = make_repo(owner, "unsafe")
    files = {
        "config.json": json.dumps({"architectures": ["GPT2LMHeadModel"]}).encode(),
        "pytorch_model.bin": b"\x80\x02}q\x00.",
        "coded/config.json": json.dumps(
            {"architectures": ["MyModel"], "auto_map": {"AutoModel": "m.MyModel"}}
        ).encode(),
        "coded/model.safetensors": safetensors_bytes(),
        "gguf/config.json": b"{}",
        "gguf/model.gguf": b"GGUF",
    }
    commit = commit_files(repo, files, author=owner)
    finish_validation(commit, verdict="warning")
    runs = {r.checkpoint: r for r in EvalRun.objects.filter(commit=commit)}
    assert runs[""].status == "skipped" and runs[""].reason == "pickle_weights"
    assert "never pickles" in runs[""].message
    assert runs["coded"].status == "skipped" and runs["coded"].reason == "custom_code"
    assert runs["gguf"].status == "skipped" and runs["gguf"].reason == "no_weights"


def test_identical_weights_reuse_the_result_without_a_new_job(owner, jun_user):
    first = make_repo(owner, "original")
    commit = commit_files(first, causal_files(), author=owner)
    finish_validation(commit)
    run = eval_run_claim_next()
    assert run is not None
    finish_eval(run)
    copy = make_repo(jun_user, "copy")
    other = commit_files(copy, causal_files(), author=jun_user)
    finish_validation(other)
    reused = EvalRun.objects.get(commit=other)
    run.refresh_from_db()
    assert reused.status == "finished"
    assert reused.reused is True
    assert reused.result_id == run.result_id
    assert EvalResult.objects.count() == 1


def test_a_readme_change_reuses_but_new_weights_are_evaluated_again(owner):
    repo = make_repo(owner, "evolving")
    first = commit_files(repo, causal_files(), author=owner)
    finish_validation(first)
    finish_eval(claim_next())
    readme = commit_files(repo, {"README.md": b"# notes"}, author=owner)
    finish_validation(readme)
    assert EvalRun.objects.get(commit=readme).reused
    retrained = commit_files(
        repo, {"model.safetensors": safetensors_bytes(8)}, author=owner
    )
    finish_validation(retrained)
    assert EvalRun.objects.get(commit=retrained).status == "queued"


@pytest.fixture
def jun_user(db):
    return make_user("jun")


def _queued_runs(user, count: int, prefix: str) -> list[EvalRun]:
    runs = []
    for i in range(count):
        repo = make_repo(user, f"{prefix}{i}")
        commit = commit_files(repo, causal_files(seed=10 + i), author=user)
        finish_validation(commit)
        runs.append(EvalRun.objects.get(commit=commit))
    return runs


@override_settings(HUB_EVAL_MAX_RUNNING_PER_OWNER=5)
def test_queue_order_is_fair_across_owners(owner, jun_user):
    busy = _queued_runs(owner, 3, "flood")
    late = _queued_runs(jun_user, 1, "late")
    positions = eval_queue_positions()
    # Jun's one run waits behind the owner's first run only, not all three.
    assert positions[busy[0].pk] == 1
    assert positions[late[0].pk] == 2
    assert positions[busy[1].pk] == 3
    claimed = [eval_run_claim_next() for _ in range(4)]
    assert [r.pk for r in claimed if r] == [
        busy[0].pk,
        late[0].pk,
        busy[1].pk,
        busy[2].pk,
    ]


def test_an_owner_at_the_running_limit_is_passed_over(owner, jun_user):
    mine = _queued_runs(owner, 2, "mine")
    theirs = _queued_runs(jun_user, 1, "theirs")
    assert claim_next().pk == mine[0].pk
    # The owner already runs one (limit 1): Jun goes next, then nobody.
    assert claim_next().pk == theirs[0].pk
    assert eval_run_claim_next() is None
    finish_eval(EvalRun.objects.get(pk=mine[0].pk))
    assert claim_next().pk == mine[1].pk


def test_infrastructure_errors_retry_then_fail_with_the_reason(owner):
    (run,) = _queued_runs(owner, 1, "flaky")
    for attempt in range(1, 4):
        claimed = eval_run_claim_next()
        assert claimed is not None and claimed.attempts == attempt
        status = eval_run_error(run=claimed, message="blob store unreachable")
    assert status == "failed"
    run.refresh_from_db()
    assert run.reason == "infrastructure"
    assert "blob store unreachable" in run.message
    assert "[attempt 3]" in run.log


def test_reconciler_requeues_runs_of_dead_workers_and_resends_forgotten_ones(owner):
    (run,) = _queued_runs(owner, 1, "lost")
    claimed = claim_next()
    EvalRun.objects.filter(pk=claimed.pk).update(
        heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    counts = eval_runs_reconcile(stale_after_seconds=60, queued_after_seconds=3600)
    assert counts["eval_requeued"] == 1
    run.refresh_from_db()
    assert run.status == "queued"
    EvalRun.objects.filter(pk=run.pk).update(
        enqueued_at=timezone.now() - timedelta(hours=1)
    )
    counts = eval_runs_reconcile(stale_after_seconds=60, queued_after_seconds=60)
    assert counts["eval_resent"] == 1


def test_a_finish_after_the_run_was_taken_away_changes_nothing(owner):
    (run,) = _queued_runs(owner, 1, "late-finish")
    claimed = claim_next()
    eval_run_error(run=claimed, message="worker stopped responding")
    assert not eval_run_finish(run=claimed, status="failed", reason="x")
    run.refresh_from_db()
    assert run.status == "queued" and run.reason == ""


def test_only_maintainers_may_request_a_rerun(owner, jun_user):
    repo = make_repo(owner, "rerun")
    commit = commit_files(repo, causal_files(), author=owner)
    finish_validation(commit)
    finish_eval(claim_next(), value=1.5)
    with pytest.raises(PermissionDeniedError):
        eval_run_request(repo=repo, commit=commit, user=jun_user)
    (run,) = eval_run_request(repo=repo, commit=commit, user=owner)
    assert run.status == "queued" and run.force and run.requested_by == owner
    claimed = claim_next()
    finish_eval(claimed, value=1.5)
    claimed.refresh_from_db()
    assert "reproduced the previous result" in claimed.message
    assert EvalResult.objects.count() == 1


def test_rerun_requests_are_limited_per_user(owner, settings):
    settings.HUB_EVAL_MAX_QUEUED_REQUESTS_PER_USER = 1
    repos = []
    for name in ("one", "two"):
        repo = make_repo(owner, name)
        commit = commit_files(repo, causal_files(seed=len(name) + 20), author=owner)
        finish_validation(commit)
        repos.append((repo, commit))
    EvalRun.objects.update(status="skipped")  # the automatic runs are done
    eval_run_request(repo=repos[0][0], commit=repos[0][1], user=owner)
    with pytest.raises(EvalRequestLimitError) as error:
        eval_run_request(repo=repos[1][0], commit=repos[1][1], user=owner)
    assert error.value.http_status == 429


def test_rerun_of_an_unvalidated_commit_is_refused(owner):
    repo = make_repo(owner, "pending")
    commit = commit_files(repo, causal_files(), author=owner)
    with pytest.raises(ValidationError):
        eval_run_request(repo=repo, commit=commit, user=owner)
    assert not EvalRun.objects.exists()


def test_no_evals_are_created_when_evals_are_disabled(owner, settings):
    settings.HUB_EVAL_ENABLED = False
    repo = make_repo(owner, "off")
    commit = commit_files(repo, causal_files(), author=owner)
    finish_validation(commit)
    assert not EvalRun.objects.exists()


def test_the_queue_shows_public_runs_to_everyone_and_private_ones_to_members(
    owner, jun_user
):
    public = _queued_runs(owner, 1, "open")[0]
    secret_repo = make_repo(owner, "secret", is_private=True)
    commit = commit_files(secret_repo, causal_files(seed=99), author=owner)
    finish_validation(commit)
    secret = EvalRun.objects.get(commit=commit)
    seen_by_stranger = [r.pk for r in eval_queue_visible(user=jun_user)]
    assert seen_by_stranger == [public.pk]
    seen_by_owner = {
        r.pk: getattr(r, "position", None) for r in eval_queue_visible(user=owner)
    }
    assert seen_by_owner == {public.pk: 1, secret.pk: 2}


def test_claimed_results_never_count_as_verified():
    card = {
        "model-index": [
            {
                "name": "m",
                "results": [
                    {
                        "task": {"type": "text-generation"},
                        "dataset": {"name": "wikitext"},
                        "metrics": [
                            {"type": "perplexity", "value": "12.5", "verified": True},
                            {"type": "broken", "value": "n/a"},
                        ],
                    }
                ],
            }
        ]
    }
    rows = card_claimed_results(card_data=card)
    assert rows == [
        {
            "task": "text-generation",
            "dataset": "wikitext",
            "metric": "perplexity",
            "name": "perplexity",
            "value": 12.5,
        }
    ]
