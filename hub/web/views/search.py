"""``/models`` and ``/datasets``: search a catalog with facets, sorts and pages.

The same FilterSets as the REST API (``hub.catalog.filters.ModelRepoFilter``,
``hub.catalog.dataset_filters.DatasetRepoFilter``) narrow the visible set;
the facet counts are computed over the filtered
result, so each count says how many results that value would leave. The
URL is the whole query, so a search can be shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from hub.catalog.dataset_filters import DatasetRepoFilter
from hub.catalog.facets import repo_facets_visible
from hub.catalog.filters import ModelRepoFilter
from hub.catalog.search import DEFAULT_SORT, LICENSE_TERMS, REPO_SORTS
from hub.catalog.visibility import repo_list_visible

PAGE_SIZE = 30

SORT_LABELS = {
    "trending": "Trending",
    "downloads": "Most downloads",
    "likes": "Most likes",
    "updated": "Recently updated",
    "created": "Newest",
    "rating": "Highest rated",
}
# Minimum average ratings offered as filters (``min_rating``).
RATING_FILTERS = (4, 3, 2)
TERM_LABELS = {
    "commercial": "Commercial use",
    "derivatives": "Modifications allowed",
    "no_attribution": "No credit required",
    "no_share_alike": "No share-alike",
    "no_use_restrictions": "No use restrictions",
    "no_acceptance": "No terms to accept",
}
FACET_SHOWN = 12


@dataclass(frozen=True)
class Catalog:
    """One catalog page: its path, FilterSet, facets and the words it uses."""

    path: str
    filterset_class: type[ModelRepoFilter]
    # facet name → (query parameter, heading, whether several values combine)
    facets: dict[str, tuple[str, str, bool]]
    # Parameters the page keeps in its links (anything else is dropped).
    known_params: tuple[str, ...]
    noun: str  # "model", "dataset"


MODELS = Catalog(
    path="/models",
    filterset_class=ModelRepoFilter,
    facets={
        "task": ("task", "Tasks", False),
        "library": ("library", "Libraries", False),
        "license": ("license", "Licenses", True),
        "language": ("language", "Languages", True),
        "tags": ("tag", "Tags", True),
    },
    known_params=(
        "search",
        "author",
        "task",
        "library",
        "license",
        "license_term",
        "tag",
        "language",
        "base_model",
        "gated",
        "min_rating",
        "sort",
    ),
    noun="model",
)


DATASETS = Catalog(
    path="/datasets",
    filterset_class=DatasetRepoFilter,
    facets={
        "task_category": ("task_category", "Task categories", True),
        "file_format": ("file_format", "Formats", True),
        "size_category": ("size_category", "Sizes", True),
        "license": ("license", "Licenses", True),
        "language": ("language", "Languages", True),
        "tags": ("tag", "Tags", True),
    },
    known_params=(
        "search",
        "author",
        "task_category",
        "file_format",
        "size_category",
        "license",
        "license_term",
        "tag",
        "language",
        "gated",
        "min_rating",
        "sort",
    ),
    noun="dataset",
)


def _url(
    catalog: Catalog,
    params: QueryDict,
    changes: dict[str, Any] | None = None,
    *,
    drop: tuple[str, str] | None = None,
) -> str:
    """``/models?…`` (the catalog's path) with ``params`` changed: values
    set, added or dropped."""
    changes = changes or {}
    query: list[tuple[str, str]] = []
    for key in catalog.known_params:
        if key in changes:
            continue
        for value in params.getlist(key):
            if value and (key, value) != drop:
                query.append((key, value))
    for key, value in changes.items():
        if isinstance(value, list):
            query += [(key, v) for v in value]
        elif value:
            query.append((key, value))
    return catalog.path + (f"?{urlencode(query)}" if query else "")


def _facet_links(
    catalog: Catalog, params: QueryDict, counts: dict[str, list[tuple[str, int]]]
) -> list[dict[str, Any]]:
    facets = []
    for facet, (param, title, multi) in catalog.facets.items():
        active = params.getlist(param)
        items = []
        for raw, count in counts.get(facet, [])[:FACET_SHOWN]:
            value = str(raw)
            on = value in active
            if on:
                url = _url(catalog, params, drop=(param, value))
            elif multi:
                url = _url(catalog, params, {param: [*active, value]})
            else:
                url = _url(catalog, params, {param: value})
            items.append({"value": value, "count": count, "url": url, "on": on})
        shown = {i["value"] for i in items}
        # An active value the counts no longer list stays visible to undo it.
        for value in active:
            if value not in shown:
                items.insert(
                    0,
                    {
                        "value": value,
                        "count": 0,
                        "url": _url(catalog, params, drop=(param, value)),
                        "on": True,
                    },
                )
        if items:
            facets.append({"name": facet, "title": title, "items": items})
    return facets


def _chips(catalog: Catalog, params: QueryDict) -> list[dict[str, str]]:
    chips = []
    for key in catalog.known_params:
        if key in ("search", "sort"):
            continue
        for value in params.getlist(key):
            if value:
                label = (
                    TERM_LABELS.get(value, value) if key == "license_term" else value
                )
                chips.append(
                    {
                        "label": f"{key.replace('_', ' ')}: {label}",
                        "url": _url(catalog, params, drop=(key, value)),
                    }
                )
    return chips


def _term_links(catalog: Catalog, params: QueryDict) -> list[dict[str, Any]]:
    """The license-term toggles, each keeping the other filters."""
    active = params.getlist("license_term")
    terms = []
    for term in LICENSE_TERMS:
        on = term in active
        if on:
            url = _url(catalog, params, drop=("license_term", term))
        else:
            url = _url(catalog, params, {"license_term": [*active, term]})
        terms.append({"label": TERM_LABELS.get(term, term), "on": on, "url": url})
    return terms


def _rating_links(catalog: Catalog, params: QueryDict) -> list[dict[str, Any]]:
    """The minimum-rating toggles (one at a time)."""
    current = params.get("min_rating")
    return [
        {
            "label": f"{stars}★ and up",
            "on": current == str(stars),
            "url": _url(catalog, params, {"min_rating": str(stars)})
            if current != str(stars)
            else _url(catalog, params, drop=("min_rating", str(stars))),
        }
        for stars in RATING_FILTERS
    ]


def _page_links(catalog: Catalog, params: QueryDict, page: Page[Any]) -> dict[str, str]:
    return {
        "prev_url": _url(catalog, params, {"page": str(page.previous_page_number())})
        if page.has_previous()
        else "",
        "next_url": _url(catalog, params, {"page": str(page.next_page_number())})
        if page.has_next()
        else "",
    }


def _facet_counts(
    catalog: Catalog,
    filterset: ModelRepoFilter,
    request: HttpRequest,
    paginator: Paginator[Any],
) -> dict[str, list[tuple[str, int]]]:
    """Facet counts of a valid search; sets the paginator's total.

    The total and the facets come from the cached public counts plus the
    caller's private repos (hub.catalog.filters): no COUNT and no GROUP BY
    over the catalog per page view.
    """
    found = repo_facets_visible(
        filterset=filterset,
        user=request.user,
        token=None,
        facets=tuple(catalog.facets),
        total=True,
    )
    paginator.count = found.total or 0
    return {
        facet: [(row["value"], row["count"]) for row in rows[:FACET_SHOWN]]
        for facet, rows in found.facets.items()
    }


@require_safe
def models(request: HttpRequest) -> HttpResponse:
    """Search, filter (with facet counts), sort and page the visible models."""
    return _catalog_page(request, MODELS)


@require_safe
def datasets(request: HttpRequest) -> HttpResponse:
    """Search, filter (with facet counts), sort and page the visible datasets."""
    return _catalog_page(request, DATASETS)


def _catalog_page(request: HttpRequest, catalog: Catalog) -> HttpResponse:
    params = request.GET
    filterset = catalog.filterset_class(
        params, queryset=repo_list_visible(user=request.user)
    )
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    counts = (
        _facet_counts(catalog, filterset, request, paginator)
        if filterset.is_valid()
        else {}
    )
    page = paginator.get_page(params.get("page"))
    context = {
        "nav": f"{catalog.noun}s",
        "noun": catalog.noun,
        "catalog_path": catalog.path,
        "page": page,
        "count": paginator.count,
        "facets": _facet_links(catalog, params, counts),
        "terms": _term_links(catalog, params),
        "chips": _chips(catalog, params),
        "errors": filterset.form.errors if filterset.is_bound else {},
        "search": params.get("search", ""),
        "sort": params.get("sort")
        if params.get("sort") in REPO_SORTS
        else DEFAULT_SORT,
        "sorts": [(key, SORT_LABELS.get(key, key)) for key in REPO_SORTS],
        "hidden": [
            (key, value)
            for key in catalog.known_params
            if key not in ("search", "sort")
            for value in params.getlist(key)
            if value
        ],
        **_page_links(catalog, params, page),
        "clear_url": catalog.path,
        "ratings": _rating_links(catalog, params),
    }
    return render(request, "web/models/list.html", context)
