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

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery

from hub.catalog.models import Commit, Ref, TreeEntry

# Tags describe main's head, as on the Hub.
MAIN = "main"
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
# ``format:`` tags: the file name endings the ``datasets`` library reads
# with each packaged builder.
FORMAT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "parquet": (".parquet",),
    "csv": (".csv", ".tsv"),
    "json": (".json", ".jsonl", ".ndjson"),
    "text": (".txt",),
    "arrow": (".arrow",),
    "imagefolder": (".png", ".jpg", ".jpeg", ".webp"),
    "audiofolder": (".wav", ".mp3", ".flac", ".ogg"),
    "webdataset": (".tar",),
}
# ``modality:`` tags, derived from the formats.
MODALITY_OF_FORMAT = {
    "parquet": "tabular",
    "csv": "tabular",
    "json": "tabular",
    "arrow": "tabular",
    "text": "text",
    "imagefolder": "image",
    "audiofolder": "audio",
}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str) and item]
    return []


def dataset_tags(*, card_data: dict[str, Any], formats: Iterable[str]) -> list[str]:
    """The Hub's tags of a dataset: card fields, formats, modalities, license,
    then the card's own ``tags``."""
    derived = [
        f"{name}:{value}"
        for name in CARD_TAG_FIELDS
        for value in _strings(card_data.get(name))
    ]
    formats = [f for f in FORMAT_SUFFIXES if f in set(formats)]
    derived += [f"format:{name}" for name in formats]
    modalities = [MODALITY_OF_FORMAT[f] for f in formats if f in MODALITY_OF_FORMAT]
    derived += [f"modality:{name}" for name in modalities]
    derived += [f"license:{name}" for name in _strings(card_data.get("license"))]
    derived += _strings(card_data.get("tags"))
    return list(dict.fromkeys(derived))


def _suffix_q(suffixes: Iterable[str]) -> Q:
    q = Q()
    for suffix in suffixes:
        q |= Q(path__iendswith=suffix)
    return q


def _has_format(commit_ref: Any, name: str) -> Exists:
    return Exists(
        TreeEntry.objects.filter(_suffix_q(FORMAT_SUFFIXES[name]), commit_id=commit_ref)
    )


def dataset_formats_by_commit(*, commit_ids: Iterable[int]) -> dict[int, list[str]]:
    """The ``format:`` names of each commit's files (one query, one EXISTS per
    format: a dataset of 10,000 shards is not read file by file)."""
    ids = list(commit_ids)
    if not ids:
        return {}
    flags = {f"has_{n}": _has_format(OuterRef("pk"), n) for n in FORMAT_SUFFIXES}
    rows = Commit.objects.filter(pk__in=ids).annotate(**flags).values("pk", *flags)
    return {row["pk"]: [n for n in FORMAT_SUFFIXES if row[f"has_{n}"]] for row in rows}


def _json_has(field: str, value: str) -> Q:
    """``field`` (a JSON path) holds ``value`` or a list containing it."""
    if connection.features.supports_json_field_contains:
        return Q(**{f"{field}__contains": [value]}) | Q(**{field: value})
    # SQLite has no JSON containment: JSON_EXTRACT gives a list as its JSON
    # text, in which the quoted item is looked for (case-insensitively).
    return Q(**{f"{field}__icontains": json.dumps(value)}) | Q(**{field: value})


def _main_head() -> Subquery:
    heads = Ref.objects.filter(repo=OuterRef(OuterRef("pk")), name=MAIN)
    return Subquery(heads.values("commit_id")[:1])


def dataset_tag_q(tag: str) -> Q:
    """Datasets carrying ``tag`` (see dataset_tags), as a filter on repos."""
    prefix, _, value = tag.partition(":")
    if value and prefix == "format" and value in FORMAT_SUFFIXES:
        return Q(_has_format(_main_head(), value))
    if value and prefix == "modality":
        formats = [f for f, m in MODALITY_OF_FORMAT.items() if m == value]
        q = Q(pk__in=[])
        for name in formats:
            q |= Q(_has_format(_main_head(), name))
        return q
    if value and prefix == "license":
        return Q(license=value)
    if value and prefix == "language":
        return _json_has("language", value)
    if value and prefix in CARD_TAG_FIELDS:
        return _json_has(f"card_data__{prefix}", value)
    return _json_has("tags", tag)
