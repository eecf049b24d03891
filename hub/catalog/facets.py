"""Facet counts of the catalog (values of license, task, library, language and
tags, most frequent first) and the number of matches.

``repo_catalog_counts`` counts over a queryset the caller already limited to
what the user may see. ``repo_facets_visible`` adds the caching: public
repos' counts are cached per query and refreshed by a worker; the private
repos a caller may see are counted live and added.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.http import QueryDict

from hub.catalog.filters import ModelRepoFilter
from hub.catalog.models import ModelRepo
from hub.catalog.visibility import repo_list_beyond_public, repo_list_visible
from hub.core.dispatch import enqueue_on_commit

# Facets and how many values each returns (most frequent first).
FACET_LIMITS = {
    "license": 100,
    "task": 100,
    "library": 100,
    "language": 100,
    "tags": 30,
}


FACETS = tuple(FACET_LIMITS)


_FACET_COLUMNS = {
    "license": "license",
    "task": "pipeline_tag",
    "library": "library_name",
}


_FACET_LISTS = {"language": "language", "tags": "tags"}


# The columns the facets read, in this order (rows for facet_values_of).
FACET_FIELDS = ("license", "pipeline_tag", "library_name", "language", "tags")


def repo_catalog_counts(
    *,
    queryset: QuerySet[ModelRepo],
    facets: Sequence[str] = FACETS,
    limits: dict[str, int] | None = None,
    total: bool = False,
) -> tuple[int | None, dict[str, list[tuple[str, int]]]]:
    """The number of rows of ``queryset`` (with ``total``) and the value
    counts of ``facets`` over them: (value, count), most frequent first, empty
    values left out, at most ``limits`` (default FACET_LIMITS) per facet.
    Only the rows of ``queryset`` are counted (pass a visible set); nothing
    is cached here.

    On PostgreSQL, one statement: the matching rows' facet columns are read
    once into a materialized CTE and every count is taken from it (a filtered
    query otherwise repeats its index and heap scans once per facet).
    """
    limits = {**FACET_LIMITS, **(limits or {})}
    base = queryset.order_by()
    if not facets and not total:
        return None, {}
    if connection.vendor == "postgresql":
        return _counts_in_one_statement(base, facets, limits, total)
    result: dict[str, list[tuple[str, int]]] = {}
    for facet in facets:
        if facet in _FACET_COLUMNS:
            column = _FACET_COLUMNS[facet]
            rows = (
                base.exclude(**{column: ""})
                .values_list(column)
                .annotate(count=Count("*"))
                .order_by("-count", column)[: limits[facet]]
            )
            result[facet] = [(value, count) for value, count in rows]
        else:
            result[facet] = _json_list_counts(base, _FACET_LISTS[facet], limits[facet])
    return (base.count() if total else None), result


def _counts_in_one_statement(
    base: QuerySet[ModelRepo],
    facets: Sequence[str],
    limits: dict[str, int],
    total: bool,
) -> tuple[int | None, dict[str, list[tuple[str, int]]]]:
    inner, params = base.values_list(*FACET_FIELDS).query.sql_with_params()
    parts: list[str] = []
    arguments: list[Any] = []
    if total:
        parts.append("(SELECT '', NULL, COUNT(*) FROM m)")
    for facet in facets:
        if facet in _FACET_COLUMNS:
            column = _FACET_COLUMNS[facet]
            parts.append(
                f"(SELECT %s, {column}, COUNT(*) FROM m WHERE {column} <> '' "
                f"GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT %s)"
            )
        else:
            column = _FACET_LISTS[facet]
            parts.append(
                "(SELECT %s, e.value, COUNT(*) FROM m CROSS JOIN LATERAL "
                f"jsonb_array_elements_text(CASE WHEN jsonb_typeof(m.{column}) = "
                f"'array' THEN m.{column} ELSE '[]'::jsonb END) AS e(value) "
                "GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT %s)"
            )
        arguments += [facet, limits[facet]]
    sql = (
        f"WITH m ({', '.join(FACET_FIELDS)}) AS MATERIALIZED ({inner}) "
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


def facet_values_of(
    rows: Iterable[tuple[Any, ...]], facets: Sequence[str]
) -> dict[str, Counter[str]]:
    """Count facets in Python over rows of ``FACET_FIELDS`` (for small sets)."""
    counters: dict[str, Counter[str]] = {facet: Counter() for facet in facets}
    positions = {facet: FACET_FIELDS.index(_facet_field(facet)) for facet in facets}
    for row in rows:
        for facet, counter in counters.items():
            value = row[positions[facet]]
            if facet in _FACET_LISTS:
                if isinstance(value, list):
                    counter.update({v for v in value if isinstance(v, str) and v})
            elif value:
                counter[value] += 1
    return counters


def _facet_field(facet: str) -> str:
    return _FACET_COLUMNS.get(facet) or _FACET_LISTS[facet]


def _json_list_counts(
    queryset: QuerySet[ModelRepo], field: str, limit: int
) -> list[tuple[str, int]]:
    values = queryset.values_list(field)
    if connection.vendor == "postgresql":
        inner, params = values.query.sql_with_params()
        sql = (
            f"SELECT e.value, COUNT(*) FROM ({inner}) AS s(items) "
            "CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN "
            "jsonb_typeof(s.items) = 'array' THEN s.items ELSE '[]'::jsonb END) "
            "AS e(value) GROUP BY e.value ORDER BY 2 DESC, 1 LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return [(value, count) for value, count in cursor.fetchall()]
    counter: Counter[str] = Counter()
    for (items,) in values.iterator():
        if isinstance(items, list):
            counter.update({item for item in items if isinstance(item, str) and item})
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]


# Public repos' counts (facets and the total) are the same for every caller,
# so they are cached per query for FACET_CACHE_SECONDS. Once older than
# FACET_FRESH_SECONDS they are still served while a worker recomputes them
# (stale-while-revalidate, one refresh per query at a time): only the first
# request of a query waits for its counts, and beat recomputes the
# catalog-wide ones every minute. Without a cache shared with the workers
# (the embedded per-process one) stale counts are recomputed in the request.
# Counts of private repos are never cached.
FACET_FRESH_SECONDS = 60


FACET_CACHE_SECONDS = 3600


FACETS_REFRESH_TASK = "catalog.refresh_facets"


_FACET_KEY = "catalog:facets:v2"


_TOTAL = "_total"  # the cached count of matching public repos


# One refresh per query at a time: a refresh sent this long ago without an
# answer (a lost message, no worker) may be sent again. The task's own time
# limit is shorter.
_REFRESH_LOCK_SECONDS = 90


# Values cached per facet, more than shown, so that adding a caller's
# private repos can still reorder the top values.
_CACHED_FACET_LIMITS = {facet: max(100, limit) for facet, limit in FACET_LIMITS.items()}


@dataclass(frozen=True)
class CatalogCounts:
    """Counts over a filtered catalog query, as the caller may see it."""

    # Matching repos (None when not asked for).
    total: int | None
    # {facet: [{"value", "count"}, ...]}, most frequent first.
    facets: dict[str, list[dict[str, Any]]]


def repo_facets_visible(
    *,
    filterset: ModelRepoFilter,
    user: Any,
    token: Any,
    facets: Sequence[str],
    total: bool = False,
) -> CatalogCounts:
    """Facet counts (and, with ``total``, the number of matches) of a validated
    catalog query, over what the caller may see.

    Public repos are counted once per query for everyone and cached (see
    FACET_FRESH_SECONDS); the private repos the caller may see are counted
    live, in one query, and added: no private repo is ever cached or counted
    for someone who cannot see it. At most FACET_LIMITS values per facet.
    """
    if not facets and not total:
        return CatalogCounts(total=None, facets={})
    if not filterset.is_valid():
        raise ValueError("repo_facets_visible needs a valid filterset")
    names = [*facets, *([_TOTAL] if total else [])]
    public = _public_counts(filterset, names)
    counts = {facet: Counter(dict(public[facet])) for facet in facets}
    matches = int(public[_TOTAL]) if total else None
    if user is not None and getattr(user, "is_authenticated", False):
        private = filterset.filter_queryset(
            repo_list_beyond_public(user=user, token=token)
        )
        rows = list(private.order_by().values_list(*FACET_FIELDS))
        for facet, counter in facet_values_of(rows, facets).items():
            counts[facet].update(counter)
        if matches is not None:
            matches += len(rows)
    return CatalogCounts(
        total=matches,
        facets={
            facet: [
                {"value": value, "count": count}
                for value, count in sorted(
                    counts[facet].items(), key=lambda item: (-item[1], item[0])
                )[: FACET_LIMITS[facet]]
            ]
            for facet in facets
        },
    )


def repo_facets_refresh(
    *, params: dict[str, list[str]], names: Sequence[str] | None = None
) -> bool:
    """Recompute and cache the public counts of one catalog query.

    ``params`` are the query's filter parameters (as ``_query_params`` gives
    them); ``{}`` is the whole catalog. Run by a worker, for a stale query or
    every minute by beat; ``names`` default to every facet and the total.
    False when the query is no longer valid (a license id left the catalog,
    say): nothing is cached then.
    """
    data = QueryDict(mutable=True)
    for name, values in params.items():
        data.setlist(name, [str(value) for value in values])
    filterset = ModelRepoFilter(data, queryset=repo_list_visible(user=None))
    if not filterset.is_valid():
        return False
    digest = _query_digest(filterset)
    try:
        counted = _compute_public_counts(filterset, names or (*FACETS, _TOTAL))
        _store_counts(digest, counted)
    finally:
        cache.delete(_key(digest, "refreshing"))
    return True


def _key(digest: str, name: str) -> str:
    """Cache key of one count (a facet, _TOTAL, or "refreshing") of a query."""
    return f"{_FACET_KEY}:{digest}:{name}"


def _query_digest(filterset: ModelRepoFilter) -> str:
    query: dict[str, Any] = {"repo_type": filterset.repo_type}
    query |= {
        name: sorted(value) if isinstance(value, list) else value
        for name, value in filterset.form.cleaned_data.items()
        if name != "sort" and value not in (None, "", [])
    }
    # default=str: min_rating is a Decimal.
    encoded = json.dumps(query, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def _query_params(filterset: ModelRepoFilter) -> dict[str, list[str]]:
    """The filter parameters of a query, to rebuild it in a worker."""
    params: dict[str, list[str]] = {}
    for name in filterset.filters:
        kept = [value for value in filterset.data.getlist(name) if value]
        if kept and name != "sort":
            params[name] = kept
    return params


def _compute_public_counts(
    filterset: ModelRepoFilter, names: Sequence[str]
) -> dict[str, Any]:
    public = filterset.filter_queryset(repo_list_visible(user=None))
    matches, counts = repo_catalog_counts(
        queryset=public,
        facets=[name for name in names if name != _TOTAL],
        limits=_CACHED_FACET_LIMITS,
        total=_TOTAL in names,
    )
    result: dict[str, Any] = dict(counts)
    if _TOTAL in names:
        result[_TOTAL] = matches
    return result


def _store_counts(digest: str, counts: dict[str, Any]) -> None:
    now = time.time()
    cache.set_many(
        {
            _key(digest, name): {"at": now, "rows": rows}
            for name, rows in counts.items()
        },
        timeout=FACET_CACHE_SECONDS,
    )


def _public_counts(filterset: ModelRepoFilter, names: Sequence[str]) -> dict[str, Any]:
    digest = _query_digest(filterset)
    keys = {name: _key(digest, name) for name in names}
    cached = cache.get_many(list(keys.values()))
    now = time.time()
    result = {
        name: cached[keys[name]]["rows"] for name in names if keys[name] in cached
    }
    stale = [
        name for name in result if now - cached[keys[name]]["at"] > FACET_FRESH_SECONDS
    ]
    missing = [name for name in names if name not in result]
    if stale and not settings.HUB_SHARED_CACHE:
        missing += stale
        stale = []
    if missing:
        fresh = _compute_public_counts(filterset, missing)
        _store_counts(digest, fresh)
        result.update(fresh)
    if stale and cache.add(_key(digest, "refreshing"), 1, _REFRESH_LOCK_SECONDS):
        enqueue_on_commit(
            FACETS_REFRESH_TASK, _query_params(filterset), stale, queue="default"
        )
    return result
