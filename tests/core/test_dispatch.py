"""Sending tasks while the broker is unreachable (found by the fault suite:
tests/faults/test_data_outages.py): a commit enqueues one task per file, and
each send waited 6 s on kombu's connection retries, so a commit of a few
files took tens of seconds while Redis was down. A send now tries once, and
after a failure the sends of the next few seconds are skipped at once; the
reconciler sends them later (PostgreSQL keeps the runs queued)."""

from __future__ import annotations

import socket
import time

import pytest

from hub.core import dispatch


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def unreachable_broker(settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    dispatch._client.cache_clear()
    yield
    dispatch._client.cache_clear()


def test_sends_to_an_unreachable_broker_fail_at_once_and_are_left_to_the_reconciler(
    unreachable_broker, caplog
):
    started = time.monotonic()
    sent = [
        dispatch.send_task_now("validation.check_file", run, queue="validation")
        for run in range(20)
    ]
    took = time.monotonic() - started
    assert sent == [False] * 20
    assert took < 3, f"20 sends took {took:.1f}s with the broker down"
    assert "could not enqueue validation.check_file(0,)" in caplog.text
    assert "not enqueuing validation.check_file(19,)" in caplog.text


def test_after_the_pause_a_send_tries_the_broker_again(unreachable_broker, caplog):
    assert dispatch.send_task_now("validation.check_file", 1) is False
    dispatch._client().down_until = time.monotonic() - 1  # the pause is over
    caplog.clear()
    assert dispatch.send_task_now("validation.check_file", 2) is False
    assert "could not enqueue validation.check_file(2,)" in caplog.text
