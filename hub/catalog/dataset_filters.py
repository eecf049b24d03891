"""The dataset catalog's FilterSet (/api/v1/datasets and /datasets).

Datasets share the model catalog's search, author, license, language, tag,
gating, rating and sort filters (``ModelRepoFilter``) and drop the
model-only ones (task, library, base model, eval results). Their own facets
read the card (``card_data``: ``task_categories``, ``size_categories``) and
the files of main's head (``file_format``).

No column or index backs the card-data filters: datasets are a small part
of the catalog and every filter is also narrowed by ``repo_type``, so the
planner reads the few dataset rows by the type's partial index and tests
the JSON there (see docs/ARCHITECTURE.md, "Dataset catalog").
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from hub.catalog.filters import (
    ModelRepoFilter,
    RepeatedValuesFilter,
    _described,
    _RepeatedValuesField,
)
from hub.catalog.models import ModelRepo, Ref
from hub.catalog.search import json_list_or_value_has

# File formats a dataset is found by, from the extensions of the files of
# main's head (the names the `datasets` library's packaged builders read).
DATASET_FORMATS: dict[str, tuple[str, ...]] = {
    "parquet": (".parquet",),
    "csv": (".csv", ".tsv"),
    "json": (".json", ".jsonl", ".ndjson"),
    "text": (".txt",),
    "arrow": (".arrow",),
}


def _all_held(field: str, values: list[str]) -> Q:
    """Every one of ``values`` is in the card's ``field`` (a list, or one
    value as a plain string)."""
    held = Q()
    for value in values:
        held &= json_list_or_value_has(field, value)
    return held


def dataset_has_format(fmt: str) -> Exists:
    """Whether the outer repo's main holds a file of format ``fmt``."""
    extensions = Q()
    for extension in DATASET_FORMATS[fmt]:
        extensions |= Q(commit__entries__path__iendswith=extension)
    return Exists(
        Ref.objects.filter(
            repo=OuterRef("pk"), kind=Ref.Kind.BRANCH, name="main"
        ).filter(extensions)
    )


# facet value → the condition a repo meets to be counted under it.
FORMAT_CONDITIONS: dict[str, Callable[[], Exists]] = {
    fmt: functools.partial(dataset_has_format, fmt) for fmt in DATASET_FORMATS
}


class _FormatsField(_RepeatedValuesField):
    def validate(self, value: list[str]) -> None:
        super().validate(value)
        unknown = [fmt for fmt in value if fmt not in DATASET_FORMATS]
        if unknown:
            raise forms.ValidationError(
                "Unknown format %(value)r: use one of "
                + ", ".join(DATASET_FORMATS)
                + ".",
                params={"value": unknown[0]},
            )


class FormatsFilter(RepeatedValuesFilter):
    field_class = _FormatsField


class DatasetRepoFilter(ModelRepoFilter):
    """Search, filter and sort the dataset catalog (always ordered)."""

    repo_type = "dataset"

    # Model-only filters: None removes the inherited declaration
    # (django-filter's metaclass; mypy sees a narrowed attribute).
    task = None  # type: ignore[assignment]
    library = None
    base_model = None
    has_eval_results = None

    task_category = RepeatedValuesFilter(
        label="Task category",
        method="filter_task_category",
        help_text="task_categories of the card; repeat: every one must match.",
    )
    size_category = RepeatedValuesFilter(
        label="Size category",
        method="filter_size_category",
        help_text="size_categories of the card (such as 'n<1K'); repeat: "
        "every one must match.",
    )
    # Not "format": DRF reads ?format= as the renderer to use.
    file_format = FormatsFilter(
        label="File format",
        method="filter_file_format",
        help_text="A file format on main ("
        + ", ".join(DATASET_FORMATS)
        + "); repeat: every one must be there.",
    )

    @_described("A task category, such as 'text-classification'.")
    def filter_task_category(
        self, queryset: QuerySet[ModelRepo], name: str, value: list[str]
    ) -> QuerySet[ModelRepo]:
        return queryset.filter(_all_held("card_data__task_categories", value))

    @_described("A size category, such as '1K<n<10K'.")
    def filter_size_category(
        self, queryset: QuerySet[ModelRepo], name: str, value: list[str]
    ) -> QuerySet[ModelRepo]:
        return queryset.filter(_all_held("card_data__size_categories", value))

    @_described("A file format: " + ", ".join(DATASET_FORMATS) + ".")
    def filter_file_format(
        self, queryset: QuerySet[ModelRepo], name: str, value: list[str]
    ) -> QuerySet[ModelRepo]:
        for fmt in value:
            queryset = queryset.filter(dataset_has_format(fmt))
        return queryset
