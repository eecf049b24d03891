"""Counting catalog facets: which values a catalog's facets read, and the
counts over a queryset (``hub.catalog.facets`` adds the caching).

A catalog (models, datasets) describes its facets in a ``FacetSpec``: a
facet reads one column (license), a JSON list of the card (tags,
task_categories), or a set of named conditions (a dataset's file formats).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, QuerySet

from hub.catalog.dataset_filters import FORMAT_CONDITIONS
from hub.catalog.models import ModelRepo


@dataclass(frozen=True)
class FacetSpec:
    """The facets of one catalog and how many values each returns."""

    limits: dict[str, int]
    # facet → a column holding one value
    columns: dict[str, str] = field(default_factory=dict)
    # facet → a JSON list (a field, or a key path into card_data)
    lists: dict[str, str] = field(default_factory=dict)
    # facet → {value: condition over the outer repo}
    flags: dict[str, dict[str, Callable[[], Exists]]] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.limits)

    def fields(self) -> list[tuple[str, str, str]]:
        """(facet, value or "", row field) for every field a row carries."""
        rows = [(f, "", c) for f, c in self.columns.items()]
        rows += [(f, "", c) for f, c in self.lists.items()]
        rows += [
            (f, value, f"_facet_{f}_{value}")
            for f, conditions in self.flags.items()
            for value in conditions
        ]
        return rows

    def rows(self, queryset: QuerySet[ModelRepo]) -> QuerySet[Any]:
        """The queryset as rows of ``fields()`` (flags annotated)."""
        annotations = {
            f"_facet_{f}_{value}": condition()
            for f, conditions in self.flags.items()
            for value, condition in conditions.items()
        }
        names = [name for _, _, name in self.fields()]
        return queryset.order_by().annotate(**annotations).values_list(*names)


MODEL_FACETS = FacetSpec(
    limits={"license": 100, "task": 100, "library": 100, "language": 100, "tags": 30},
    columns={"license": "license", "task": "pipeline_tag", "library": "library_name"},
    lists={"language": "language", "tags": "tags"},
)


DATASET_FACETS = FacetSpec(
    limits={
        "task_category": 100,
        "license": 100,
        "language": 100,
        "size_category": 30,
        "file_format": 30,
        "tags": 30,
    },
    columns={"license": "license"},
    lists={
        "task_category": "card_data__task_categories",
        "language": "language",
        "size_category": "card_data__size_categories",
        "tags": "tags",
    },
    flags={"file_format": FORMAT_CONDITIONS},
)


FACET_SPECS = {"model": MODEL_FACETS, "dataset": DATASET_FACETS}


def facet_spec(repo_type: str) -> FacetSpec:
    return FACET_SPECS[repo_type]


def repo_catalog_counts(
    *,
    queryset: QuerySet[ModelRepo],
    facets: Sequence[str] | None = None,
    limits: dict[str, int] | None = None,
    total: bool = False,
    spec: FacetSpec = MODEL_FACETS,
) -> tuple[int | None, dict[str, list[tuple[str, int]]]]:
    """The number of rows of ``queryset`` (with ``total``) and the value
    counts of ``facets`` (default: all of ``spec``'s) over them: (value,
    count), most frequent first, empty values left out, at most ``limits``
    (default the spec's) per facet. Only the rows of ``queryset`` are
    counted (pass a visible set); nothing is cached here.

    On PostgreSQL, one statement: the matching rows' facet fields are read
    once into a materialized CTE and every count is taken from it (a filtered
    query otherwise repeats its index and heap scans once per facet).
    """
    facets = spec.names if facets is None else facets
    limits = {**spec.limits, **(limits or {})}
    base = queryset.order_by()
    if not facets and not total:
        return None, {}
    if connection.vendor == "postgresql":
        return _counts_in_one_statement(base, spec, facets, limits, total)
    result: dict[str, list[tuple[str, int]]] = {}
    for facet in facets:
        if facet in spec.columns:
            column = spec.columns[facet]
            rows = (
                base.exclude(**{column: ""})
                .values_list(column)
                .annotate(count=Count("*"))
                .order_by("-count", column)[: limits[facet]]
            )
            result[facet] = [(value, count) for value, count in rows]
        else:
            counter = facet_values_of(spec.rows(base), spec, [facet])[facet]
            result[facet] = _top(counter, limits[facet])
    return (base.count() if total else None), result


def _top(counter: Counter[str], limit: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _counts_in_one_statement(
    base: QuerySet[ModelRepo],
    spec: FacetSpec,
    facets: Sequence[str],
    limits: dict[str, int],
    total: bool,
) -> tuple[int | None, dict[str, list[tuple[str, int]]]]:
    inner, params = spec.rows(base).query.sql_with_params()
    fields = spec.fields()
    columns = [f"c{i}" for i in range(len(fields))]
    position = {(f, value): columns[i] for i, (f, value, _) in enumerate(fields)}
    parts, arguments = _facet_selects(spec, facets, limits, position)
    if total:
        parts.insert(0, "(SELECT '', NULL, COUNT(*) FROM m)")
    sql = (
        f"WITH m ({', '.join(columns)}) AS MATERIALIZED ({inner}) "
        + " UNION ALL ".join(parts)
    )
    matches: int | None = None
    result: dict[str, list[tuple[str, int]]] = {facet: [] for facet in facets}
    # No savepoint: SET LOCAL only needs a transaction, and errors propagate.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # One scan over many rows: compiling it (JIT) costs more than it
        # saves (~40 ms at 100k repos).
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, [*params, *arguments])
        for facet, value, count in cursor.fetchall():
            if facet == "":
                matches = count
            else:
                result[facet].append((value, count))
    return matches, result


def _facet_selects(
    spec: FacetSpec,
    facets: Sequence[str],
    limits: dict[str, int],
    position: dict[tuple[str, str], str],
) -> tuple[list[str], list[Any]]:
    """One SELECT (facet, value, count) over the CTE ``m`` per facet."""
    parts: list[str] = []
    arguments: list[Any] = []
    for facet in facets:
        if facet in spec.columns:
            column = position[(facet, "")]
            parts.append(
                f"(SELECT %s, {column}, COUNT(*) FROM m WHERE {column} <> '' "
                f"GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT %s)"
            )
        elif facet in spec.lists:
            column = position[(facet, "")]
            parts.append(
                "(SELECT %s, e.value, COUNT(*) FROM m CROSS JOIN LATERAL "
                f"jsonb_array_elements_text(CASE jsonb_typeof(m.{column}) "
                f"WHEN 'array' THEN m.{column} WHEN 'string' THEN "
                f"jsonb_build_array(m.{column}) ELSE '[]'::jsonb END) AS e(value) "
                "GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT %s)"
            )
        else:
            values = list(spec.flags[facet])
            pairs = ", ".join(
                f"(%s::text, m.{position[(facet, value)]})" for value in values
            )
            parts.append(
                f"(SELECT %s, f.value, COUNT(*) FROM m CROSS JOIN LATERAL "
                f"(VALUES {pairs}) AS f(value, hit) WHERE f.hit "
                "GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT %s)"
            )
            arguments += [facet, *values, limits[facet]]
            continue
        arguments += [facet, limits[facet]]
    return parts, arguments


def facet_values_of(
    rows: Iterable[tuple[Any, ...]], spec: FacetSpec, facets: Sequence[str]
) -> dict[str, Counter[str]]:
    """Count facets in Python over rows of ``spec.rows()`` (for small sets)."""
    counters: dict[str, Counter[str]] = {facet: Counter() for facet in facets}
    fields = list(enumerate(spec.fields()))
    for row in rows:
        for i, (facet, flag_value, _) in fields:
            if facet not in counters:
                continue
            value = row[i]
            if facet in spec.flags:
                if value:
                    counters[facet][flag_value] += 1
            elif facet in spec.lists:
                # A card may give one value as a plain string.
                values = [value] if isinstance(value, str) else value
                if isinstance(values, list):
                    counters[facet].update(
                        {v for v in values if isinstance(v, str) and v}
                    )
            elif value:
                counters[facet][value] += 1
    return counters
