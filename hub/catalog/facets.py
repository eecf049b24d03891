"""Facet counts of a catalog (for models: values of license, task, library,
language and tags, most frequent first) and the number of matches.

``repo_catalog_counts`` (hub.catalog.facet_counts) counts over a queryset
the caller already limited to what the user may see; each catalog's
FilterSet names its type, whose FacetSpec says what its facets read.
``repo_facets_visible`` adds the caching: public
repos' counts are cached per query and refreshed by a worker; the private
repos a caller may see are counted live and added.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict

from hub.catalog.dataset_filters import DatasetRepoFilter
from hub.catalog.facet_counts import (
    MODEL_FACETS,
    FacetSpec,
    facet_spec,
    facet_values_of,
    repo_catalog_counts,
)
from hub.catalog.filters import ModelRepoFilter
from hub.catalog.visibility import repo_list_beyond_public, repo_list_visible
from hub.core.dispatch import enqueue_on_commit

# The model catalog's facet names (the spec of each catalog is in
# hub.catalog.facet_counts).
FACETS = MODEL_FACETS.names


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
def _cached_limits(spec: FacetSpec) -> dict[str, int]:
    return {facet: max(100, limit) for facet, limit in spec.limits.items()}


# The FilterSet of each catalog, by repo type (to rebuild a query in a worker).
CATALOG_FILTERS: dict[str, type[ModelRepoFilter]] = {
    "model": ModelRepoFilter,
    "dataset": DatasetRepoFilter,
}


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
    for someone who cannot see it. At most the spec's limit of values per
    facet (the catalog's FacetSpec, by ``filterset.repo_type``).
    """
    spec = facet_spec(filterset.repo_type)
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
        rows = list(spec.rows(private))
        for facet, counter in facet_values_of(rows, spec, facets).items():
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
                )[: spec.limits[facet]]
            ]
            for facet in facets
        },
    )


def repo_facets_refresh(
    *, params: dict[str, list[str]], names: Sequence[str] | None = None
) -> bool:
    """Recompute and cache the public counts of one catalog query.

    ``params`` are the query's filter parameters (as ``_query_params`` gives
    them, with ``repo_type`` for a catalog other than the models'); ``{}`` is
    the whole model catalog. Run by a worker, for a stale query or
    every minute by beat; ``names`` default to every facet and the total.
    False when the query is no longer valid (a license id left the catalog,
    say): nothing is cached then.
    """
    params = dict(params)
    repo_type = (params.pop("repo_type", None) or ["model"])[0]
    if repo_type not in CATALOG_FILTERS:
        return False
    data = QueryDict(mutable=True)
    for name, values in params.items():
        data.setlist(name, [str(value) for value in values])
    filterset = CATALOG_FILTERS[repo_type](data, queryset=repo_list_visible(user=None))
    if not filterset.is_valid():
        return False
    digest = _query_digest(filterset)
    try:
        every = (*facet_spec(repo_type).names, _TOTAL)
        counted = _compute_public_counts(filterset, names or every)
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
    if filterset.repo_type != "model":
        params["repo_type"] = [filterset.repo_type]
    for name in filterset.filters:
        kept = [value for value in filterset.data.getlist(name) if value]
        if kept and name != "sort":
            params[name] = kept
    return params


def _compute_public_counts(
    filterset: ModelRepoFilter, names: Sequence[str]
) -> dict[str, Any]:
    public = filterset.filter_queryset(repo_list_visible(user=None))
    spec = facet_spec(filterset.repo_type)
    matches, counts = repo_catalog_counts(
        queryset=public,
        facets=[name for name in names if name != _TOTAL],
        limits=_cached_limits(spec),
        total=_TOTAL in names,
        spec=spec,
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
