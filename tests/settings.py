"""Test settings: the real settings, plus a fast hasher and a throw-away blob root.

The database is the one DATABASE_URL names: the machine's PostgreSQL by
default, or SQLite (``DATABASE_URL=sqlite:////abs/path/hub.sqlite3``), the
embedded default, which CI runs the suite on too (scripts/run-tests.sh).
Tests that need a PostgreSQL feature carry ``@pytest.mark.postgres`` and are
skipped on SQLite (tests/conftest.py).
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/model_commons"
)

from hub.settings import *  # noqa: E402,F403
from hub.settings import DATABASES  # noqa: E402

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file beside the configured one, not Django's default in-memory test
    # database: live servers answer from other threads, and the Celery
    # workers of the end-to-end tests from other processes, each with its
    # own connection. pytest-xdist appends _gw<N> to the name per worker.
    _name = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {"NAME": str(_name.with_name(f"test_{_name.name}"))}

# The real Redis as broker; each pytest-xdist worker gets its own database so
# one test process's worker never takes another's messages.
_xdist = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_redis_db = 15 - int(_xdist.removeprefix("gw") or 0) % 8
CELERY_BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL") or (
    f"redis://127.0.0.1:6379/{_redis_db}"
)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUB_BLOB_ROOT = Path(tempfile.mkdtemp(prefix="mc-test-blobs-"))
HUB_BLOB_GC_GRACE_SECONDS = 3600

# Per-process cache: rate-limit counters of one test never meet another's.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
HUB_SHARED_CACHE = False

# Staff in the tests of other features sign in with a password alone; the
# tests of two-factor (tests/accounts/test_two_factor.py) turn the
# requirement, on by default (hub/settings/accounts.py), back on.
HUB_STAFF_REQUIRE_2FA = False
