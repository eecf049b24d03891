"""Catalog FilterSets, shared by the REST API (/api/v1/models) and the web UI.

A FilterSet narrows a queryset it is given; callers pass the visible set
(``hub.catalog.selectors.repo_list_visible``). Bad values (an unknown
license id, task, sort or license term) are form errors, which the API
answers with a 400.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

import django_filters
from django import forms
from django.apps import apps
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from drf_spectacular.utils import extend_schema_field

from hub.catalog.models import ModelRepo
from hub.catalog.pipeline_tags import PIPELINE_TAGS
from hub.catalog.search import (
    DEFAULT_SORT,
    FACET_FIELDS,
    FACET_LIMITS,
    LICENSE_TERMS,
    REPO_SORTS,
    facet_values_of,
    json_list_contains,
    license_ids_with_terms,
    repo_facet_counts,
    repo_order,
    repo_search,
)
from hub.catalog.selectors import repo_list_visible

# Public repos' facet counts are the same for every caller: they are cached
# this long per query (a new public repo shows up in the counts at most this
# late). Counts of private repos are never cached.
FACET_CACHE_SECONDS = 60
# Values cached per facet, more than shown, so that adding a caller's
# private repos can still reorder the top values.
_CACHED_FACET_LIMITS = {facet: max(100, limit) for facet, limit in FACET_LIMITS.items()}

# Values a repeatable parameter may carry, so a query string cannot make the
# database test thousands of conditions.
MAX_VALUES = 20
MAX_VALUE_LENGTH = 200


class _RepeatedValuesField(forms.Field):
    """Every value of a repeated query parameter (``?tag=a&tag=b``)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        values = [str(v).strip() for v in value]
        return list(dict.fromkeys(v for v in values if v))

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if len(value) > MAX_VALUES:
            raise forms.ValidationError(f"At most {MAX_VALUES} values.")
        if any(len(v) > MAX_VALUE_LENGTH for v in value):
            raise forms.ValidationError(
                f"A value may be at most {MAX_VALUE_LENGTH} characters."
            )


class _LicenseIdsField(_RepeatedValuesField):
    """License ids, each of which must exist in the license catalog."""

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if not value:
            return
        from hub.licenses.models import License

        known = set(License.objects.filter(id__in=value).values_list("id", flat=True))
        unknown = [v for v in value if v not in known]
        if unknown:
            raise forms.ValidationError(
                f"Unknown license id {unknown[0]!r}; see /api/v1/licenses for the "
                "valid ids."
            )


# MultipleChoiceFilter subclasses, so that the OpenAPI schema shows a
# repeatable parameter; the values are free (or checked by the field). The
# schema of each value is on the filter method (_described).
class RepeatedValuesFilter(django_filters.MultipleChoiceFilter):
    """A filter over every value of a repeated parameter; the method decides."""

    field_class = _RepeatedValuesField


class LicenseIdsFilter(django_filters.MultipleChoiceFilter):
    field_class = _LicenseIdsField


class _TaskField(forms.CharField):
    """A pipeline tag. The allowed set is a class attribute: form fields are
    deep-copied per request, and copying 58 choices costs more than the query."""

    allowed = frozenset(PIPELINE_TAGS)

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and value not in self.allowed:
            raise forms.ValidationError(
                f"Unknown task {value!r}: use a pipeline tag such as "
                "'text-generation' (the full list is in the API schema)."
            )


class TaskFilter(django_filters.CharFilter):
    field_class = _TaskField


def _described(text: str) -> Any:
    """Schema of one value of a repeatable parameter (drf-spectacular)."""
    return extend_schema_field({"type": "string", "description": text})


def _choices(values: Any) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class ModelRepoFilter(django_filters.FilterSet):
    """Search, filter and sort the model catalog (always ordered: see ``sort``)."""

    search = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=200,
        help_text="Full-text query over repo id, description and card text "
        "(web-search syntax: quotes, 'or', '-word'); names also match by "
        "similarity.",
    )
    author = django_filters.CharFilter(
        label="Author",
        method="filter_author",
        max_length=96,
        help_text="Namespace (user or org).",
    )
    task = TaskFilter(
        method="filter_task", label="Task", help_text="Pipeline tag of the card."
    )
    library = django_filters.CharFilter(
        label="Library",
        field_name="library_name",
        max_length=64,
        help_text="library_name of the card.",
    )
    license = LicenseIdsFilter(
        label="License",
        method="filter_license",
        help_text="License id; repeat for any of several.",
    )
    license_term = django_filters.MultipleChoiceFilter(
        label="License term",
        choices=_choices(LICENSE_TERMS),
        method="filter_license_term",
        help_text="Required license term; repeat to require several. "
        "'commercial': commercial use allowed.",
    )
    tag = RepeatedValuesFilter(
        label="Tag",
        method="filter_tag",
        help_text="Card tag; repeat: every tag must match.",
    )
    language = RepeatedValuesFilter(
        label="Language",
        method="filter_language",
        help_text="Language code; repeat: every language must match.",
    )
    base_model = django_filters.CharFilter(
        label="Base model",
        method="filter_base_model",
        max_length=200,
        help_text="Base model repo id.",
    )
    gated = django_filters.ChoiceFilter(
        label="Gated",
        choices=_choices(("true", "false")),
        method="filter_gated",
        help_text="Only gated (true) or only open (false) models.",
    )
    has_eval_results = django_filters.ChoiceFilter(
        label="Has eval results",
        choices=_choices(("true", "false")),
        method="filter_has_eval_results",
        help_text="Only models with (true) or without (false) a result computed "
        "by this hub's evaluations.",
    )
    min_rating = django_filters.NumberFilter(
        label="Minimum rating",
        method="filter_min_rating",
        min_value=1,
        max_value=5,
        help_text="Only models whose average review rating is at least this "
        "(1-5); unrated models are left out.",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort",
        choices=_choices(REPO_SORTS),
        method="filter_sort",
        help_text=f"Descending order (default {DEFAULT_SORT}); ties by newest id.",
    )

    class Meta:
        model = ModelRepo
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[ModelRepo]) -> QuerySet[ModelRepo]:
        queryset = super().filter_queryset(queryset)
        return repo_order(queryset, self.form.cleaned_data.get("sort") or DEFAULT_SORT)

    def filter_search(
        self, queryset: QuerySet[ModelRepo], name: str, value: str
    ) -> QuerySet[ModelRepo]:
        return repo_search(queryset, value)

    @extend_schema_field({"type": "string", "enum": list(PIPELINE_TAGS)})
    def filter_task(
        self, queryset: QuerySet[ModelRepo], name: str, value: str
    ) -> QuerySet[ModelRepo]:
        return queryset.filter(pipeline_tag=value)

    def filter_author(
        self, queryset: QuerySet[ModelRepo], name: str, value: str
    ) -> QuerySet[ModelRepo]:
        return queryset.filter(namespace__name__iexact=value.strip())

    @_described("License id; repeat for any of several.")
    def filter_license(
        self, queryset: QuerySet[ModelRepo], name: str, value: list[str]
    ) -> QuerySet[ModelRepo]:
        return queryset.filter(license__in=value)

    def filter_license_term(
        self, queryset: QuerySet[ModelRepo], name: str, value: list[str]
    ) -> QuerySet[ModelRepo]:
        return queryset.filter(license__in=license_ids_with_terms(value))

    @_described("Card tag; repeat: every tag must match.")
    def filter_tag(
        self, queryset: QuerySet[ModelRepo], name: str, value: list[str]
    ) -> QuerySet[ModelRepo]:
        return queryset.filter(json_list_contains("tags", value))

    @_described("Language code; repeat: every language must match.")
    def filter_language(
        self, queryset: QuerySet[ModelRepo], name: str, value: list[str]
    ) -> QuerySet[ModelRepo]:
        return queryset.filter(json_list_contains("language", value))

    def filter_base_model(
        self, queryset: QuerySet[ModelRepo], name: str, value: str
    ) -> QuerySet[ModelRepo]:
        return queryset.filter(json_list_contains("base_model", [value.strip()]))

    def filter_gated(
        self, queryset: QuerySet[ModelRepo], name: str, value: str
    ) -> QuerySet[ModelRepo]:
        # Open: not gated by the owner, and no license terms to accept
        # (hub.catalog.permissions.repo_gate_mode).
        off = Q(gated=ModelRepo.Gated.OFF) & ~Q(
            license__in=license_ids_with_terms(["needs_acceptance"])
        )
        return queryset.exclude(off) if value == "true" else queryset.filter(off)

    def filter_has_eval_results(
        self, queryset: QuerySet[ModelRepo], name: str, value: str
    ) -> QuerySet[ModelRepo]:
        # jobs depends on catalog, not the reverse: the model is looked up by
        # label (issue 7 asks for this filter next to the catalog's others).
        eval_run = apps.get_model("jobs", "EvalRun")
        finished = Exists(
            eval_run.objects.filter(commit__repo_id=OuterRef("pk"), status="finished")
        )
        return queryset.filter(finished if value == "true" else ~finished)

    def filter_min_rating(
        self, queryset: QuerySet[ModelRepo], name: str, value: Any
    ) -> QuerySet[ModelRepo]:
        return queryset.filter(rating_count__gt=0, rating_avg__gte=float(value))

    def filter_sort(
        self, queryset: QuerySet[ModelRepo], name: str, value: str
    ) -> QuerySet[ModelRepo]:
        return queryset  # applied last, in filter_queryset, also when absent


def repo_facets_visible(
    *, filterset: ModelRepoFilter, user: Any, token: Any, facets: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """Facet counts of a validated catalog query, over what the caller may see.

    Public repos are counted with one GROUP BY query per facet, and those
    counts (the same for every caller) are cached for FACET_CACHE_SECONDS
    per query. The private repos the caller may see are counted live, in one
    query, and added: no private repo is ever cached or counted for someone
    who cannot see it. Returns ``{facet: [{"value", "count"}, ...]}``, most
    frequent first, at most FACET_LIMITS values each.
    """
    if not facets:
        return {}
    if not filterset.is_valid():
        raise ValueError("repo_facets_visible needs a valid filterset")
    query = {
        name: sorted(value) if isinstance(value, list) else value
        for name, value in filterset.form.cleaned_data.items()
        if name != "sort" and value not in (None, "", [])
    }
    digest = hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest()
    keys = {facet: f"catalog:facets:v1:{digest}:{facet}" for facet in facets}
    cached = cache.get_many(list(keys.values()))
    counts: dict[str, Counter[str]] = {}
    missing = [facet for facet in facets if keys[facet] not in cached]
    if missing:
        public = filterset.filter_queryset(repo_list_visible(user=None))
        fresh = repo_facet_counts(
            queryset=public, facets=missing, limits=_CACHED_FACET_LIMITS
        )
        cache.set_many(
            {keys[facet]: rows for facet, rows in fresh.items()},
            timeout=FACET_CACHE_SECONDS,
        )
        cached.update({keys[facet]: rows for facet, rows in fresh.items()})
    for facet in facets:
        counts[facet] = Counter(dict(cached[keys[facet]]))
    if user is not None and getattr(user, "is_authenticated", False):
        private = filterset.filter_queryset(
            repo_list_visible(user=user, token=token).filter(is_private=True)
        )
        rows = private.order_by().values_list(*FACET_FIELDS)
        for facet, counter in facet_values_of(rows, facets).items():
            counts[facet].update(counter)
    return {
        facet: [
            {"value": value, "count": count}
            for value, count in sorted(
                counts[facet].items(), key=lambda item: (-item[1], item[0])
            )[: FACET_LIMITS[facet]]
        ]
        for facet in facets
    }
