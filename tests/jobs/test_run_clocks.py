"""Stale-run detection is judged by the database's clock, and a working
check keeps beating: a worker or reconciler whose clock is minutes off
never takes a healthy run from its worker (issue 17, clock skew)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from hub.jobs.models import ValidationRun
from hub.jobs.services import validation_run_claim, validation_run_heartbeat
from hub.jobs.services.reconcile import validation_runs_reconcile
from tests.factories import commit_files, make_repo
from workers.heartbeat import Heartbeat, beat_interval

SKEW = timedelta(minutes=10)


@pytest.fixture
def running(owner):
    commit = commit_files(make_repo(owner, "clocks"), {"w.bin": b"w"}, author=owner)
    return ValidationRun.objects.get(commit=commit, kind="file", path="w.bin")


def skew_clock(monkeypatch, by: timedelta) -> None:
    """This process's wall clock ``by`` off (the database's is not)."""
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + by)


@pytest.mark.django_db
def test_a_run_claimed_by_a_worker_whose_clock_is_behind_is_not_stale(
    running, monkeypatch
):
    skew_clock(monkeypatch, -SKEW)
    assert validation_run_claim(run_id=running.pk, kind="file") is not None
    monkeypatch.undo()

    counts = validation_runs_reconcile(stale_after_seconds=60)

    running.refresh_from_db()
    assert counts["requeued"] == 0 and running.status == "running"


@pytest.mark.django_db
def test_a_reconciler_whose_clock_is_ahead_keeps_live_runs_and_finds_dead_ones(
    running, monkeypatch
):
    assert validation_run_claim(run_id=running.pk, kind="file") is not None
    skew_clock(monkeypatch, SKEW)

    assert validation_runs_reconcile(stale_after_seconds=60)["requeued"] == 0
    ValidationRun.objects.filter(pk=running.pk).update(
        heartbeat_at=timezone.now() - SKEW - timedelta(hours=1)
    )
    assert validation_runs_reconcile(stale_after_seconds=60)["requeued"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_working_check_beats_often_enough_to_stay_alive(running):
    assert validation_run_claim(run_id=running.pk, kind="file") is not None
    ValidationRun.objects.filter(pk=running.pk).update(
        heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    interval = beat_interval(1.5)
    assert interval == pytest.approx(0.5)
    assert beat_interval(900) == 30
    done = threading.Event()

    def beat() -> None:
        validation_run_heartbeat(run_id=running.pk)
        done.set()

    with Heartbeat(beat, interval):
        assert done.wait(5)
        time.sleep(interval)

    assert validation_runs_reconcile(stale_after_seconds=60)["requeued"] == 0
    running.refresh_from_db()
    assert running.status == "running"
