"""Invariant: every commit has exactly one final run per check; runs still
queued or running are fine within the grace period, not past it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from hub.jobs.models import EvalRun, ValidationRun
from hub.jobs.services.evals import evals_enabled
from tests.factories import commit_files
from tests.invariants.helpers import finish_runs, invariants, problems

FILE = ValidationRun.Kind.FILE


def messages(report: dict) -> list[str]:
    return sorted(f["message"] for f in report["findings"])


def file_run(hub, path: str):
    return ValidationRun.objects.filter(commit=hub.commit, kind=FILE, path=path)


def test_a_run_stuck_running_past_the_grace_is_named_a_young_one_is_not(hub):
    long_ago = timezone.now() - timedelta(hours=2)
    file_run(hub, "notes.txt").update(
        status="running", started_at=long_ago, heartbeat_at=long_ago
    )
    file_run(hub, "README.md").update(
        status="running", started_at=long_ago, heartbeat_at=timezone.now()
    )
    report, status = invariants()
    assert status == 1
    assert problems(report) == {("runs", "stale_run", hub.at)}
    assert messages(report) == [
        f"{hub.at}: the check of notes.txt is running longer than the grace "
        "period (3600 s)."
    ]


def test_a_run_queued_past_the_grace_is_named(hub):
    long_ago = timezone.now() - timedelta(hours=2)
    ValidationRun.objects.filter(commit=hub.commit, kind="repo").update(
        status="queued", created_at=long_ago, enqueued_at=timezone.now()
    )
    report, status = invariants()
    assert status == 1
    assert messages(report) == [
        f"{hub.at}: the check of the repository is queued longer than the grace "
        "period (3600 s)."
    ]


def test_two_final_evaluations_of_one_checkpoint_are_named_a_rerun_is_not(hub):
    def final(force: bool) -> EvalRun:
        return EvalRun.objects.create(
            commit=hub.commit,
            owner=hub.repo.namespace,
            checkpoint="",
            evaluator="lm",
            suite_version="1",
            status=EvalRun.Status.FINISHED,
            force=force,
        )

    final(force=False)
    final(force=True)  # an owner's re-run: a second final run on purpose
    report, status = invariants()
    assert (status, report["findings"]) == (0, [])
    final(force=False)
    report, status = invariants()
    assert status == 1
    assert messages(report) == [f"{hub.at}: 2 final evaluations of . (lm)."]


def test_a_check_without_its_run_and_a_run_without_its_file_are_named(hub):
    ValidationRun.objects.filter(commit=hub.commit, kind="repo").delete()
    file_run(hub, "notes.txt").update(path="ghost.txt")
    report, status = invariants()
    assert status == 1
    assert problems(report) == {
        ("runs", "missing_run", hub.at),
        ("runs", "unexpected_run", hub.at),
    }
    assert messages(report) == [
        f"{hub.at}: a check of ghost.txt, not in its tree.",
        f"{hub.at}: no check of notes.txt.",
        f"{hub.at}: no repository check.",
    ]


def test_a_validated_checkpoint_without_its_evaluation_is_named(hub, settings):
    settings.HUB_EVAL_ENABLED = True
    assert evals_enabled()
    commit = commit_files(hub.repo, {"config.json": b'{"model_type": "bert"}'})
    finish_runs()  # validation succeeds: the checkpoint's evaluation is planned
    assert EvalRun.objects.filter(commit=commit).count() == 1
    assert invariants()[1] == 0
    EvalRun.objects.filter(commit=commit).delete()
    report, status = invariants()
    at = f"{hub.repo.full_name}@{commit.oid}"
    assert status == 1
    assert messages(report) == [f"{at}: no evaluation of config.json."]
