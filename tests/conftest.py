"""Shared fixtures: named actors, a clean blob store and cache per test.

The suite runs on PostgreSQL and on SQLite (tests/settings.py); a test that
needs a PostgreSQL feature is marked ``@pytest.mark.postgres`` and skipped,
with that reason, on SQLite.
"""

from __future__ import annotations

import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

from tests import flush
from tests.databases import on_sqlite

flush.install()


def _restoring(item) -> None:
    """Every transactional test restores the migrated data.

    A transactional test's teardown flushes the database. Without
    ``serialized_rollback`` the flush then recreates content types and
    permissions under new ids, and the next test that restores the migrated
    data (with their old ids) fails on their unique names; with it, the flush
    leaves the tables empty and every such test starts from the same data.
    """
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if marker is None:
        if "live_server" not in fixtures and "transactional_db" not in fixtures:
            return
        kwargs = {"transaction": True}
    elif marker.args or not marker.kwargs.get("transaction"):
        return
    else:
        kwargs = dict(marker.kwargs)
    if not kwargs.get("serialized_rollback"):
        kwargs["serialized_rollback"] = True
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        _restoring(item)
    if not on_sqlite():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (marked postgres)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _clean_blob_root():
    """Each test starts with an empty blob store (the DB is rolled back too)."""
    root = settings.HUB_BLOB_ROOT
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    yield
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clean_cache():
    """Each test starts with an empty cache: cached catalog counts (and rate
    limit counters) of an earlier test's rolled-back rows must not leak."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(db):
    from tests.factories import make_user

    return make_user("owner")


@pytest.fixture
def stranger(db):
    from tests.factories import make_user

    return make_user("stranger")
