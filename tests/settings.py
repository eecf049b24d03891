"""Test settings: the real settings, plus a fast hasher and a throw-away blob root.

The database is the real PostgreSQL (DATABASE_URL, default the machine's
local server); nothing here swaps it for SQLite.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/model_commons"
)

from hub.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUB_BLOB_ROOT = Path(tempfile.mkdtemp(prefix="mc-test-blobs-"))
HUB_BLOB_GC_GRACE_SECONDS = 3600
