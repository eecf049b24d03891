"""Which database the suite runs on, and how a child process reaches it."""

from __future__ import annotations

from django.conf import settings


def on_sqlite() -> bool:
    """True when the suite runs on SQLite, the embedded default."""
    return bool(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"))


def child_database_url() -> str:
    """DATABASE_URL of the test database, for processes a test starts (Celery
    workers, management commands): they must use the database the test does."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] or ""
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    return (
        f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )
