"""Readiness: can this process serve requests right now?

The checks are listed in settings.HUB_READINESS_CHECKS (dotted paths, like
MIDDLEWARE), each living in the app that owns what it checks (the blob
store's in hub.storage.readiness, the scanners' in workers.readiness); a
check is a function that raises when something is down, and reports under
its name without the ``check_`` prefix. Each answers quickly (short
timeouts); /readyz reports every check with its error so an operator sees
what is down. The infrastructure checks (database, migrations, broker)
live here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

_migrations_applied = False


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    seconds: float
    error: str = ""

    def as_dict(self) -> dict[str, object]:
        answer: dict[str, object] = {
            "ok": self.ok,
            "ms": round(self.seconds * 1000, 1),
        }
        if self.error:
            answer["error"] = self.error
        return answer


def check_database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        # A broken connection must not be reused by the next request.
        connection.close()
        raise


def check_migrations() -> None:
    """Every migration is applied (remembered once true: they do not revert)."""
    global _migrations_applied
    if _migrations_applied:
        return
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        connection.close()
        raise
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        raise RuntimeError(f"{len(plan)} migrations not applied ({names})")
    _migrations_applied = True


def check_broker() -> None:
    url = str(settings.CELERY_BROKER_URL)
    if url.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
        return
    from kombu import Connection

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    with Connection(url, transport_options=options, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def check_name(path: str) -> str:
    """The name a check reports under: its function's, less ``check_``."""
    name = path.rsplit(".", 1)[-1]
    return name.removeprefix("check_")


def _load(path: str) -> Callable[[], None]:
    check: Callable[[], None] = import_string(path)
    return check


def readiness() -> list[CheckResult]:
    """Run every check; a failed check is reported, never raised."""
    results: list[CheckResult] = []
    for path in settings.HUB_READINESS_CHECKS:
        name = check_name(path)
        if name == "migrations" and results and not results[0].ok:
            results.append(CheckResult(name, False, 0.0, "database unavailable"))
            continue
        start = time.perf_counter()
        try:
            # Loaded inside the try: a check whose module cannot be imported
            # (a missing dependency) is reported as failing, not raised.
            _load(path)()
        except Exception as exc:  # noqa: BLE001 - reported to the operator
            message = f"{type(exc).__name__}: {exc}".strip()[:300]
            results.append(
                CheckResult(name, False, time.perf_counter() - start, message)
            )
        else:
            results.append(CheckResult(name, True, time.perf_counter() - start))
    return results
