"""Validation-run state machine: creation on commit, claim, finish, retry, reconcile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hub.jobs.models import BlobVerdict, ValidationRun
from hub.jobs.selectors import checks_summary, failing_check_messages
from hub.jobs.services import (
    validation_run_claim,
    validation_run_error,
    validation_run_finish,
)
from hub.jobs.services.reconcile import validation_runs_reconcile
from hub.storage.models import Blob
from tests.factories import commit_files, make_repo

UNSAFE = [
    {
        "severity": "unsafe",
        "code": "pickle.dangerous_import",
        "message": "imports os.system",
    }
]


@pytest.fixture
def repo(owner):
    return make_repo(owner, "checked")


def claim(run_id: int, kind: str = "file") -> ValidationRun:
    run = validation_run_claim(run_id=run_id, kind=kind)
    assert run is not None
    return run


def file_run(commit, path):
    return ValidationRun.objects.get(commit=commit, kind="file", path=path)


@pytest.mark.django_db
def test_a_commit_gets_one_run_per_file_and_one_for_the_repo(
    repo, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        commit = commit_files(repo, {"a.txt": b"a", "w.bin": b"w"}, author=owner)
    runs = ValidationRun.objects.filter(commit=commit)
    assert sorted((r.kind, r.path) for r in runs) == [
        ("file", ".gitattributes"),
        ("file", "a.txt"),
        ("file", "w.bin"),
        ("repo", ""),
    ]
    assert all(r.status == "queued" for r in runs)
    assert len(callbacks) == 4  # each run is sent once the commit is visible


@pytest.mark.django_db
def test_unchanged_files_inherit_the_parents_verdict_without_a_job(repo, owner):
    first = commit_files(repo, {"w.bin": b"weights"}, author=owner)
    run = claim(file_run(first, "w.bin").pk)
    validation_run_finish(
        run=run,
        verdict="passed",
        findings=[],
        metadata={"format": "x"},
        validator_version="v1",
    )
    second = commit_files(repo, {"other.txt": b"o"}, author=owner)
    inherited = file_run(second, "w.bin")
    assert inherited.status == "succeeded" and inherited.reused
    assert inherited.metadata == {"format": "x"}
    assert file_run(second, "other.txt").status == "queued"


@pytest.mark.django_db
def test_claim_is_exclusive_and_checks_the_kind(repo, owner):
    commit = commit_files(repo, {"w.bin": b"w"}, author=owner)
    run = file_run(commit, "w.bin")
    assert validation_run_claim(run_id=run.pk, kind="repo") is None
    claimed = validation_run_claim(run_id=run.pk, kind="file", task_id="t1")
    assert claimed is not None
    assert claimed.attempts == 1
    assert validation_run_claim(run_id=run.pk, kind="file") is None  # redelivery


@pytest.mark.django_db
def test_unsafe_verdict_quarantines_the_blob_and_is_cached(repo, owner):
    commit = commit_files(repo, {"model.bin": b"evil"}, author=owner)
    run = claim(file_run(commit, "model.bin").pk)
    assert validation_run_finish(
        run=run,
        verdict="quarantine",
        findings=UNSAFE,
        metadata={},
        validator_version="pickle/1",
    )
    run.refresh_from_db()
    assert run.status == "failed" and run.verdict == "quarantine"
    blob = Blob.objects.get(pk=run.blob_id)
    assert blob.is_quarantined and "os.system" in blob.quarantine_reason
    assert BlobVerdict.objects.filter(blob=blob, validator_version="pickle/1").exists()
    # A second delivery finishing the same run changes nothing.
    assert not validation_run_finish(
        run=run, verdict="passed", findings=[], metadata={}, validator_version="x"
    )
    summary = checks_summary(commit=commit)
    assert summary.state == "failure"
    assert failing_check_messages(commit=commit) == ["model.bin: imports os.system"]


@pytest.mark.django_db
def test_infrastructure_errors_retry_then_give_up_as_errored(repo, owner, settings):
    settings.HUB_JOB_MAX_ATTEMPTS = 2
    commit = commit_files(repo, {"w.bin": b"w"}, author=owner)
    run_id = file_run(commit, "w.bin").pk
    run = claim(run_id)
    assert validation_run_error(run=run, message="disk gone") == "queued"
    run = claim(run_id)
    assert validation_run_error(run=run, message="disk gone") == "errored"
    run.refresh_from_db()
    assert run.verdict == "" and run.attempts == 2 and "disk gone" in run.log


@pytest.mark.django_db
def test_reconciler_requeues_stale_runs_and_resends_forgotten_ones(
    repo, owner, settings
):
    settings.HUB_JOB_MAX_ATTEMPTS = 3
    commit = commit_files(repo, {"w.bin": b"w", "x.bin": b"x"}, author=owner)
    stale = claim(file_run(commit, "w.bin").pk)
    ValidationRun.objects.filter(pk=stale.pk).update(
        heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    ValidationRun.objects.filter(status="queued").update(
        enqueued_at=timezone.now() - timedelta(hours=1)
    )
    counts = validation_runs_reconcile(queued_after_seconds=60, stale_after_seconds=60)
    assert counts["requeued"] == 1
    assert counts["resent"] >= 2  # the forgotten ones (the broker is real Redis)
    stale.refresh_from_db()
    assert stale.status == "queued"


@pytest.mark.django_db
def test_a_run_of_a_dead_worker_is_errored_after_its_last_attempt(
    repo, owner, settings
):
    settings.HUB_JOB_MAX_ATTEMPTS = 1
    commit = commit_files(repo, {"w.bin": b"w"}, author=owner)
    run = claim(file_run(commit, "w.bin").pk)
    ValidationRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    counts = validation_runs_reconcile(stale_after_seconds=60)
    run.refresh_from_db()
    assert counts["errored"] == 1
    assert run.status == "errored" and run.verdict == ""
