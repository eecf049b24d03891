"""Readiness: can this process serve requests right now?

Each check answers quickly (short timeouts) and never raises; /readyz
reports every check with its error so an operator sees what is down.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

# Modules the validation workers need; a web image without them could
# accept uploads that no worker can ever check.
SCANNER_MODULES = ("picklescan.scanner", "workers.validators.registry")

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


def check_blob_store() -> None:
    from hub.storage.services import blob_store

    blob_store().ping()


def check_scanners() -> None:
    for name in SCANNER_MODULES:
        importlib.import_module(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "migrations": check_migrations,
    "broker": check_broker,
    "blob_store": check_blob_store,
    "scanners": check_scanners,
}


def readiness() -> list[CheckResult]:
    """Run every check; a failed check is reported, never raised."""
    results: list[CheckResult] = []
    for name, check in CHECKS.items():
        if name == "migrations" and results and not results[0].ok:
            results.append(CheckResult(name, False, 0.0, "database unavailable"))
            continue
        start = time.perf_counter()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - reported to the operator
            message = f"{type(exc).__name__}: {exc}".strip()[:300]
            results.append(
                CheckResult(name, False, time.perf_counter() - start, message)
            )
        else:
            results.append(CheckResult(name, True, time.perf_counter() - start))
    return results
