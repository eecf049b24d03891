"""A dataset's tags as the Hugging Face Hub derives them (issue 18), and the
queries that find datasets by them.

The Hub tags a dataset from its card (``task_categories:text-classification``,
``language:en``, ``license:mit``, ``size_categories:1K<n<10K``, ...) and from
the data files of its head (``format:parquet``, ``modality:tabular``), and
``list_datasets(filter=...)`` matches those tags. Here the card part comes
from main's denormalized card and the file part from main's head tree, so a
filter needs no column of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q

from hub.catalog.cards import card_strings
from hub.catalog.dataset_filters import DATASET_FORMATS, dataset_has_format
from hub.catalog.models import Commit, TreeEntry
from hub.catalog.search import json_list_or_value_has

# Card fields the Hub turns into ``field:value`` tags, in the Hub's order.
CARD_TAG_FIELDS: tuple[str, ...] = (
    "task_categories",
    "task_ids",
    "annotations_creators",
    "language_creators",
    "language",
    "multilinguality",
    "size_categories",
    "source_datasets",
)
# ``modality:`` tags, derived from the formats (dataset_filters'
# DATASET_FORMATS: the one list of formats, shared with the catalog facets).
MODALITY_OF_FORMAT = {
    "parquet": "tabular",
    "csv": "tabular",
    "json": "tabular",
    "arrow": "tabular",
    "text": "text",
}


def dataset_tags(*, card_data: dict[str, Any], formats: Iterable[str]) -> list[str]:
    """The Hub's tags of a dataset: card fields, formats, modalities, license,
    then the card's own ``tags``."""
    derived = [
        f"{name}:{value}"
        for name in CARD_TAG_FIELDS
        for value in card_strings(card_data.get(name))
    ]
    formats = [f for f in DATASET_FORMATS if f in set(formats)]
    derived += [f"format:{name}" for name in formats]
    modalities = [MODALITY_OF_FORMAT[f] for f in formats if f in MODALITY_OF_FORMAT]
    derived += [f"modality:{name}" for name in modalities]
    derived += [f"license:{name}" for name in card_strings(card_data.get("license"))]
    derived += card_strings(card_data.get("tags"))
    return list(dict.fromkeys(derived))


def _suffix_q(suffixes: Iterable[str]) -> Q:
    q = Q()
    for suffix in suffixes:
        q |= Q(path__iendswith=suffix)
    return q


def _commit_has_format(name: str) -> Exists:
    return Exists(
        TreeEntry.objects.filter(
            _suffix_q(DATASET_FORMATS[name]), commit_id=OuterRef("pk")
        )
    )


def dataset_formats_by_commit(*, commit_ids: Iterable[int]) -> dict[int, list[str]]:
    """The ``format:`` names of each commit's files (one query, one EXISTS per
    format: a dataset of 10,000 shards is not read file by file)."""
    ids = list(commit_ids)
    if not ids:
        return {}
    flags = {f"has_{n}": _commit_has_format(n) for n in DATASET_FORMATS}
    rows = Commit.objects.filter(pk__in=ids).annotate(**flags).values("pk", *flags)
    return {row["pk"]: [n for n in DATASET_FORMATS if row[f"has_{n}"]] for row in rows}


def dataset_tag_q(tag: str) -> Q:
    """Datasets carrying ``tag`` (see dataset_tags), as a filter on repos."""
    prefix, _, value = tag.partition(":")
    if value and prefix == "format" and value in DATASET_FORMATS:
        return Q(dataset_has_format(value))
    if value and prefix == "modality":
        formats = [f for f, m in MODALITY_OF_FORMAT.items() if m == value]
        q = Q(pk__in=[])
        for name in formats:
            q |= Q(dataset_has_format(name))
        return q
    if value and prefix == "license":
        return Q(license=value)
    if value and prefix == "language":
        return json_list_or_value_has("language", value)
    if value and prefix in CARD_TAG_FIELDS:
        return json_list_or_value_has(f"card_data__{prefix}", value)
    return json_list_or_value_has("tags", tag)
