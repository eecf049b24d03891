"""A cheaper flush (PostgreSQL) and restore for transactional tests.

Every transactional test (live servers, worker processes, real clients)
ends with Django's flush. On PostgreSQL that is one TRUNCATE of all the
hub's tables: a new file for each table and each of its indexes, about
0.5-1 s per test and the largest fixed cost of the suite. :func:`sql_flush`
locks every table against writes (as TRUNCATE does, so a live server's
thread still writing waits for it) and deletes their rows: a test's few
rows cost little to delete, an empty table nothing, and Django's foreign
keys are deferred to the commit, by which every row is gone. A table with
triggers of its own is truncated (the audit log's trigger refuses DELETE,
not TRUNCATE). The result is the same empty database. A flush that
deadlocks with such a thread runs again (its statements are idempotent). SQLite's flush
already deletes rows and is left as it is.

Each transactional test then restores the migrated data (content types,
permissions, licenses: ``serialized_rollback``, see tests/conftest.py).
Django parses that JSON again and saves it row by row every time;
:func:`restore` parses it once and writes it with a DELETE and one INSERT per
model.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core import serializers
from django.db import IntegrityError, OperationalError, transaction
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.postgresql import base as postgresql
from django.db.models import Model


def triggered_tables(ops: BaseDatabaseOperations) -> set[str]:
    """PostgreSQL tables with triggers of their own (not foreign key ones)."""
    with ops.connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
        )
        return {row[0] for row in cursor.fetchall()}


def _wrap(original: Callable[..., list[str]]) -> Callable[..., list[str]]:
    def sql_flush(
        self: BaseDatabaseOperations,
        style: Any,
        tables: list[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if reset_sequences or allow_cascade or not tables:
            return original(
                self,
                style,
                tables,
                reset_sequences=reset_sequences,
                allow_cascade=allow_cascade,
            )
        # First every table locked against writes: a live server's thread
        # still writing after its answer (a download counted) waits for the
        # flush, then finds its rows' parents gone, as after a TRUNCATE.
        names = ", ".join(self.quote_name(table) for table in tables)
        truncate = triggered_tables(self) & set(tables)
        return [
            f"LOCK TABLE {names} IN EXCLUSIVE MODE",
            *(
                f"DELETE FROM {self.quote_name(table)}"
                for table in tables
                if table not in truncate
            ),
            *(original(self, style, sorted(truncate)) if truncate else []),
        ]

    return sql_flush


_PARSED: dict[tuple[str, str], dict[type[Model], list[Model]]] = {}


def _parsed(alias: str, data: str) -> dict[type[Model], list[Model]] | None:
    """The serialized rows by model, in their order (None: not plain rows)."""
    key = (alias, data)
    if key not in _PARSED:
        rows: dict[type[Model], list[Model]] = {}
        for item in serializers.deserialize("json", data, using=alias):
            if item.m2m_data or item.deferred_fields:
                return None
            rows.setdefault(type(item.object), []).append(item.object)
        _PARSED[key] = rows
    return _PARSED[key]


_deserialize = BaseDatabaseCreation.deserialize_db_from_string


def restore(self: BaseDatabaseCreation, data: str) -> None:
    """Insert the serialized migrated data again, one INSERT per model."""
    rows = _parsed(self.connection.alias, data)
    if rows is None:
        _deserialize(self, data)
        return
    quote = self.connection.ops.quote_name
    with transaction.atomic(using=self.connection.alias):
        with self.connection.constraint_checks_disabled():
            for model, objects in rows.items():
                # Django's restore overwrites rows already there (the first
                # transactional test finds the migrated data in place).
                with self.connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
                model._base_manager.using(self.connection.alias).bulk_create(objects)
        self.connection.check_constraints(
            table_names=[model._meta.db_table for model in rows]
        )


def _retrying(original: Callable[..., None]) -> Callable[..., None]:
    def execute_sql_flush(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
        # A live server's thread still writing when the test ends may
        # deadlock with the flush's locks: the flush's statements are
        # idempotent, so it runs again.
        for attempt in range(4):
            try:
                original(self, sql_list)
                return
            except (OperationalError, IntegrityError):
                if attempt == 3:
                    raise
                time.sleep(0.2 * (attempt + 1))

    return execute_sql_flush


def install() -> None:
    """Use the cheaper flush (PostgreSQL) and restore for this test process."""
    BaseDatabaseCreation.deserialize_db_from_string = restore  # type: ignore[method-assign]
    ops = postgresql.DatabaseWrapper.ops_class
    ops.sql_flush = _wrap(ops.sql_flush)  # type: ignore[method-assign]
    ops.execute_sql_flush = _retrying(ops.execute_sql_flush)  # type: ignore[method-assign]
