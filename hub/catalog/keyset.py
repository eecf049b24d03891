"""Keyset pages of the catalog: each page is one range of a sort index.

An OFFSET page reads and throws away every row before it, so walking a
catalog of a million models by OFFSET costs quadratic time in all (the
last page alone reads the whole sort index). A keyset page starts after the
last row shown, ``(sort value, id) < (value, pk)``, which PostgreSQL and
SQLite answer by seeking the ``(key desc, id desc)`` index: the same cost
at any depth, and neither repeats nor skips a row that existed when the
walk started, whatever is inserted or deleted meanwhile.

The position travels to the client as an opaque cursor, signed with the
hub's secret key: a cursor the hub did not give out is refused with a
clear message rather than read (issue 17).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import BooleanField, F, Field, Func, QuerySet, Value

from hub.catalog.search import REPO_SORTS, sort_key_expression
from hub.core.errors import ValidationError

_DATETIME_SORTS = {"created", "updated"}
_FLOAT_SORTS = {"trending", "rating"}
_SALT = "hub.catalog.keyset"

# Longer cursors are refused before their signature is checked.
CURSOR_MAX_CHARS = 400


class _Row(Func):
    """A row value ``(a, b)``; compared as a whole, never read back."""

    template = "(%(expressions)s)"
    output_field = Field()


class RowCompare(Func):
    """``(key, id) < (value, pk)`` (or ``>``): one index range on the sort index."""

    template = "(%(expressions)s)"
    output_field = BooleanField()

    def __init__(self, key: Any, value: Any, pk: int, *, op: str) -> None:
        super().__init__(_Row(key, F("pk")), _Row(Value(value), Value(pk)))
        self.arg_joiner = f" {op} "


@dataclass(frozen=True)
class RepoPosition:
    """The last row of a page: its sort key, sort value and id; ``seen``
    counts the rows given out before (for a ``limit`` over all pages)."""

    sort: str
    value: Any
    pk: int
    seen: int = 0


def repo_keyset_page(
    queryset: QuerySet[Any], *, sort: str, after: RepoPosition | None, size: int
) -> tuple[list[Any], RepoPosition | None]:
    """One page of ``queryset`` in ``sort`` order (descending, id last),
    after the position ``after``; returns the rows and the position of the
    next page (None on the last one).

    Works on model querysets and ``values()`` querysets alike; runs one
    query of ``size + 1`` rows.
    """
    key = sort_key_expression(sort)
    queryset = queryset.annotate(_keyset_value=key)
    if after is not None:
        queryset = queryset.filter(RowCompare(key, after.value, after.pk, op="<"))
    ordered = queryset.order_by(F("_keyset_value").desc(), F("pk").desc())
    rows = list(ordered[: size + 1]) if size > 0 else []
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    last = rows[-1]
    value, pk = (
        (last["_keyset_value"], last["id"])
        if isinstance(last, dict)
        else (last._keyset_value, last.pk)
    )
    seen = (after.seen if after is not None else 0) + size
    return rows, RepoPosition(sort, value, pk, seen)


def cursor_encode(position: RepoPosition) -> str:
    """The opaque, signed cursor of ``position``."""
    value = position.value
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = [position.sort, value, position.pk, position.seen]
    return signing.dumps(raw, salt=_SALT, compress=True)


def cursor_decode(text: str, *, sort: str, name: str = "cursor") -> RepoPosition:
    """The position of a cursor given out by ``cursor_encode`` for ``sort``.

    Raises ValidationError naming the parameter ``name`` for anything else:
    garbage, a forged or altered cursor, or one of another sort order.
    """
    problem = (
        f"'{name}' must be the cursor of a next link this hub gave out, "
        "for the same sort; start again from the first page."
    )
    if len(text) > CURSOR_MAX_CHARS:
        raise ValidationError(problem)
    try:
        raw = signing.loads(text, salt=_SALT)
        kind, value, pk, seen = raw
        if kind != sort or kind not in REPO_SORTS:
            raise ValueError(kind)
        if not isinstance(pk, int) or not isinstance(seen, int):
            raise TypeError(pk)
        if kind in _DATETIME_SORTS:
            value = datetime.fromisoformat(value)
        elif kind in _FLOAT_SORTS:
            value = float(value)
        elif isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(value)
    except (signing.BadSignature, ValueError, TypeError):
        raise ValidationError(problem) from None
    return RepoPosition(kind, value, pk, seen)
