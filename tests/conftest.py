"""Shared fixtures: named actors and a clean blob store per test."""

from __future__ import annotations

import shutil

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _clean_blob_root():
    """Each test starts with an empty blob store (the DB is rolled back too)."""
    root = settings.HUB_BLOB_ROOT
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    yield
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def owner(db):
    from tests.factories import make_user

    return make_user("owner")


@pytest.fixture
def stranger(db):
    from tests.factories import make_user

    return make_user("stranger")
