"""The PostgreSQL backend skips the per-request health check only on a
connection that finished a request within the last second (issue 17).

Proven against a real server: the connection's backend is terminated from
another session, so whether a check ran shows as the next query working
(checked, reconnected) or failing (taken as alive).
"""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from django.core.signals import request_finished
from django.db import OperationalError, connections

from hub.core.db.postgresql.base import RECENT_SECONDS, DatabaseWrapper
from tests.databases import on_sqlite

pytestmark = pytest.mark.skipif(on_sqlite(), reason="the PostgreSQL backend's rule")


class _Default:
    """``connections["default"]``, typed as this backend's wrapper."""

    def __getattr__(self, name: str) -> Any:
        return getattr(connections["default"], name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(connections["default"], name, value)


connection: Any = _Default()


def _terminate_this_connection() -> None:
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(autocommit=True, **params) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)


def _start_request() -> None:
    # What close_old_connections does when a request starts.
    connection.close_if_unusable_or_obsolete()
    connection.health_check_enabled = True


def _query() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_connection_idle_longer_than_a_second_is_checked_and_replaced():
    assert isinstance(connections["default"], DatabaseWrapper)
    _query()
    request_finished.send(sender=None)
    connection.answered_at -= RECENT_SECONDS + 0.1
    _terminate_this_connection()
    _start_request()
    assert _query() == 1  # checked, found dead, reconnected


@pytest.mark.django_db(transaction=True)
def test_a_connection_that_just_answered_is_not_checked_and_a_dead_one_fails_once():
    _query()
    request_finished.send(sender=None)
    _terminate_this_connection()
    _start_request()
    with pytest.raises(OperationalError):
        _query()  # no round trip was spent checking it
    # At the request's end Django finds the failed connection unusable and
    # closes it: it is not taken as alive, and the next request gets a new one.
    request_finished.send(sender=None)
    assert connection.connection is None
    assert connection.answered_at == float("-inf")
    _start_request()
    assert _query() == 1
