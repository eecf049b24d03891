"""Counters against their sources, for ``hub_fsck --invariants``.

A denormalized counter (a repo's downloads, a review's helpful votes, a
file's size) is a column kept in step with the rows it counts. A
:class:`Counter` names the column and the expression that recomputes it
from those rows for each row of its table (a correlated subquery); its
check is one query per counter, whatever the number of rows, returning only
the rows that disagree. With ``--repair`` a repairable counter is set to
its recomputation in one UPDATE per row found (the source is the truth: a
counter and its source written in two statements drift when a process dies
between them). Each app describes its own counters and registers a check
built by :func:`counters_check`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, FloatField, Func, QuerySet, Subquery, Value
from django.db.models.functions import Abs, Cast, Coalesce

from hub.storage.fsck import Check, Finding, FsckContext


def _aggregate(rows: QuerySet[Any], function: str, field: str) -> Subquery:
    # A bare aggregate function (not Django's Aggregate): no GROUP BY, one
    # value per outer row, on PostgreSQL and SQLite alike.
    value = Func(F(field), function=function)
    return Subquery(rows.order_by().annotate(value=value).values("value"))


def count_of(rows: QuerySet[Any]) -> Coalesce:
    """How many ``rows`` (filtered on ``OuterRef``s): a correlated COUNT."""
    return Coalesce(_aggregate(rows, "COUNT", "pk"), Value(0))


def sum_of(rows: QuerySet[Any], field: str) -> Coalesce:
    """The sum of ``field`` over ``rows`` (0 without any)."""
    return Coalesce(_aggregate(rows, "SUM", field), Value(0))


def average_of(rows: QuerySet[Any], field: str) -> Coalesce:
    """The average of ``field`` over ``rows`` as a float (0 without any)."""
    average = Cast(_aggregate(rows, "AVG", field), FloatField())
    return Coalesce(average, Value(0.0))


def _slash(names: Sequence[Any]) -> str:
    return "/".join(str(name) for name in names)


@dataclass(frozen=True)
class Counter:
    """``field`` of the rows of ``rows()`` must equal ``source()``.

    ``what`` is the finding's problem code, ``source_words`` say what the
    recomputation is ("its daily download counts sum to"); ``subject`` are
    the lookups that name a row, made into the finding's subject by
    ``label`` (joined with ``/``); ``tolerance`` allows a rounding
    difference (averages); ``repairable`` is false for a counter whose fix
    is not a number (a tree entry's size is part of content-addressed
    history).
    """

    what: str
    rows: Callable[[], QuerySet[Any]]
    field: str
    source: Callable[[], Any]
    source_words: str
    subject: tuple[str, ...]
    label: Callable[[Sequence[Any]], str] = _slash
    tolerance: float = 0
    repairable: bool = True


def _disagreeing(counter: Counter) -> QuerySet[Any]:
    rows = counter.rows().annotate(expected=counter.source())
    if counter.tolerance:
        diff = Abs(F(counter.field) - F("expected"))
        return rows.annotate(diff=diff).filter(diff__gt=counter.tolerance)
    return rows.exclude(**{counter.field: F("expected")})


def _counter_findings(
    ctx: FsckContext, check: str, counter: Counter
) -> Iterator[Finding]:
    ctx.tick(counter.rows().count())
    found = _disagreeing(counter).values_list(
        "pk", counter.field, "expected", *counter.subject
    )
    for pk, value, expected, *names in found.order_by("pk").iterator():
        subject = counter.label(names)
        message = (
            f"{subject}: {counter.field} is {value}, {counter.source_words} {expected}."
        )
        repaired = ""
        if ctx.repair and counter.repairable:
            model = counter.rows().model
            model._default_manager.filter(pk=pk).update(
                **{counter.field: counter.source()}
            )
            repaired = f"{counter.field} set to its recomputation"
        yield Finding(check, counter.what, subject, message, repaired)


def counters_check(name: str, description: str, counters: Sequence[Counter]) -> Check:
    """A check comparing each counter with its recomputation (one query
    each, plus a COUNT each for the number of rows examined)."""

    def run(ctx: FsckContext) -> Iterator[Finding]:
        for counter in counters:
            yield from _counter_findings(ctx, name, counter)

    def total() -> int:
        return sum(counter.rows().count() for counter in counters)

    return Check(name, description, total, run)
