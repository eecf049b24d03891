"""Catalog FilterSets, shared by the REST API (/api/v1/models) and the web UI.

A FilterSet narrows a queryset it is given; callers pass the visible set
(``hub.catalog.visibility.repo_list_visible``). Bad values (an unknown
license id, task, sort or license term) are form errors, which the API
answers with a 400.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, QuerySet
from django.http import QueryDict
from drf_spectacular.utils import extend_schema_field

from hub.catalog.models import ModelRepo
from hub.catalog.pipeline_tags import PIPELINE_TAGS
from hub.catalog.search import (
    DEFAULT_SORT,
    LICENSE_TERMS,
    REPO_SORTS,
    json_list_contains,
    license_ids_with_terms,
    repo_filter_gated,
    repo_order,
    repo_search,
)
from hub.licenses.models import License

# Values a repeatable parameter may carry, so a query string cannot make the
# database test thousands of conditions.
MAX_VALUES = 20


MAX_VALUE_LENGTH = 200


# Conditions on a repo that an app above the catalog owns, by filter name:
# the parameter is declared here with the catalog's others, the app fills in
# its condition in its AppConfig.ready() (jobs: ``has_eval_results``).
RepoCondition = Callable[[], Exists]


_REPO_CONDITIONS: dict[str, RepoCondition] = {}


def repo_condition_register(name: str, condition: RepoCondition) -> None:
    """Register the condition of the true/false filter ``name``: a callable
    returning an ``Exists`` over the outer repo (``OuterRef("pk")``)."""
    _REPO_CONDITIONS[name] = condition


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
        known = set(License.objects.filter(id__in=value).values_list("id", flat=True))
        unknown = [v for v in value if v not in known]
        if unknown:
            # The value goes in params: the message is %-formatted later, and
            # a value may hold a "%" of its own.
            raise forms.ValidationError(
                "Unknown license id %(value)r; see /api/v1/licenses for the valid ids.",
                params={"value": unknown[0]},
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
                "Unknown task %(value)r: use a pipeline tag such as "
                "'text-generation' (the full list is in the API schema).",
                params={"value": value},
            )


class TaskFilter(django_filters.CharFilter):
    field_class = _TaskField


def _described(text: str) -> Any:
    """Schema of one value of a repeatable parameter (drf-spectacular)."""
    return extend_schema_field({"type": "string", "description": text})


def _choices(values: Any) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class CatalogFilterSet(django_filters.FilterSet):
    """A FilterSet that is cheap to make once per request.

    django-filter deep-copies every declared filter (labels, help texts,
    choices) and builds a new form class for each instance: a quarter of a
    catalog request's Python time. A filter keeps no per-request state but
    its ``parent`` and ``model``, so each one is copied shallowly here; the
    form class is built once per FilterSet class (Django's Form still copies
    its fields for each form).
    """

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Any] | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            if filter_.method is not None:
                # Binds the method wrapper to this copy (and so to this
                # FilterSet), not to the shared declared filter.
                filter_.method = filter_.method
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self) -> type[forms.Form]:
        built = type(self).__dict__.get("_form_class")
        if built is None:
            built = super().get_form_class()
            type(self)._form_class = built
        return built


class ModelRepoFilter(CatalogFilterSet):
    """Search, filter and sort the model catalog (always ordered: see ``sort``).

    Only repos of ``repo_type`` are in it; a subclass for another type's
    catalog sets its own (and its own facets).
    """

    repo_type = "model"

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
        method="filter_registered",
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
        queryset = super().filter_queryset(queryset).filter(repo_type=self.repo_type)
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
        return repo_filter_gated(queryset, value == "true")

    def filter_registered(
        self, queryset: QuerySet[ModelRepo], name: str, value: str
    ) -> QuerySet[ModelRepo]:
        """A true/false filter whose condition an app above registered."""
        condition = _REPO_CONDITIONS[name]()
        return queryset.filter(condition if value == "true" else ~condition)

    def filter_min_rating(
        self, queryset: QuerySet[ModelRepo], name: str, value: Any
    ) -> QuerySet[ModelRepo]:
        return queryset.filter(rating_count__gt=0, rating_avg__gte=float(value))

    def filter_sort(
        self, queryset: QuerySet[ModelRepo], name: str, value: str
    ) -> QuerySet[ModelRepo]:
        return queryset  # applied last, in filter_queryset, also when absent
