"""Catalog queries and tags as the Hugging Face protocol lists them, and a
repo's used storage.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    F,
    Func,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)

from hub.accounts.models import ApiToken, Namespace
from hub.catalog.cards import card_strings
from hub.catalog.dataset_tags import (
    dataset_formats_by_commit,
    dataset_tag_q,
    dataset_tags,
)
from hub.catalog.keyset import cursor_decode, cursor_encode, repo_keyset_page
from hub.catalog.models import ModelRepo, TreeEntry
from hub.catalog.search import repo_filter_gated, repo_order
from hub.catalog.visibility import repo_list_visible
from hub.core.errors import ValidationError
from hub.storage.models import Blob

# Sort keys of repo_list_search (the HF Hub's names), all sorted descending,
# onto the catalog's sorts (hub.catalog.search.REPO_SORTS), each walked on
# its own index by keyset pages (hub.catalog.keyset).
REPO_SORT_FIELDS = {
    "trendingScore": "trending",
    "downloads": "downloads",
    "likes": "likes",
    "lastModified": "updated",
    "createdAt": "created",
}


def _tags_from_fields(
    *,
    tags: Iterable[str],
    library_name: str,
    pipeline_tag: str,
    license_id: str,
    datasets: Iterable[str],
    language: Iterable[str],
    base_model: Iterable[str],
) -> list[str]:
    # Same derived tags as the HF Hub, so list_models(filter=...) written for
    # the Hub finds the same models here.
    derived = [library_name, *tags, pipeline_tag, *language]
    derived += [f"dataset:{name}" for name in datasets]
    derived += [f"base_model:{name}" for name in base_model]
    if license_id:
        derived.append(f"license:{license_id}")
    return list(dict.fromkeys(tag for tag in derived if tag))


def repo_tags(*, repo: ModelRepo) -> list[str]:
    """The repo's tags (card tags plus derived ones), from main's denormalized card."""
    return _tags_from_fields(
        tags=card_strings(repo.tags),
        library_name=repo.library_name,
        pipeline_tag=repo.pipeline_tag,
        license_id=repo.license,
        datasets=card_strings(repo.datasets),
        language=card_strings(repo.language),
        base_model=card_strings(repo.base_model),
    )


def repo_tags_listed(
    *, repos: list[ModelRepo], heads: dict[int, Any]
) -> dict[int, list[str]]:
    """Tags of each listed repo (``heads``: repo id → main's head commit).

    A dataset's include the formats of its head's files (one query for all).
    """
    datasets = [r for r in repos if r.repo_type == ModelRepo.RepoType.DATASET]
    formats = dataset_formats_by_commit(
        commit_ids=[heads[r.pk].pk for r in datasets if r.pk in heads]
    )
    tags = {}
    for repo in repos:
        if repo.repo_type == ModelRepo.RepoType.DATASET:
            head = heads.get(repo.pk)
            found = formats.get(head.pk, []) if head is not None else []
            tags[repo.pk] = dataset_tags(card_data=repo.card_data or {}, formats=found)
        else:
            tags[repo.pk] = repo_tags(repo=repo)
    return tags


def commit_tags(*, repo: ModelRepo, commit: Any) -> list[str]:
    """Tags of ``repo`` at ``commit``: from its card, and for a dataset the
    formats of its files."""
    card_data = commit.card_data or {}
    if repo.repo_type != ModelRepo.RepoType.DATASET:
        return card_data_tags(card_data=card_data)
    formats = dataset_formats_by_commit(commit_ids=[commit.pk]).get(commit.pk, [])
    return dataset_tags(card_data=card_data, formats=formats)


def card_data_tags(*, card_data: dict[str, Any]) -> list[str]:
    """Tags derived from a commit's parsed card mapping (validated at commit time)."""

    def text(key: str) -> str:
        value = card_data.get(key)
        return value if isinstance(value, str) else ""

    return _tags_from_fields(
        tags=card_strings(card_data.get("tags")),
        library_name=text("library_name"),
        pipeline_tag=text("pipeline_tag"),
        license_id=text("license"),
        datasets=card_strings(card_data.get("datasets")),
        language=card_strings(card_data.get("language")),
        base_model=card_strings(card_data.get("base_model")),
    )


def _json_list_has(field: str, value: str) -> Q:
    if connection.features.supports_json_field_contains:
        return Q(**{f"{field}__contains": [value]})
    # SQLite has no JSON containment: look for the quoted item in the stored
    # JSON text (Django writes it with json.dumps). Case-insensitive there.
    return Q(**{f"{field}__icontains": json.dumps(value)})


def _tag_q(tag: str) -> Q:
    q = (
        Q(library_name=tag)
        | Q(pipeline_tag=tag)
        | _json_list_has("tags", tag)
        | _json_list_has("language", tag)
    )
    prefix, _, rest = tag.partition(":")
    if rest and prefix == "license":
        q |= Q(license=rest)
    elif rest and prefix == "dataset":
        q |= _json_list_has("datasets", rest)
    elif rest and prefix == "base_model":
        q |= _json_list_has("base_model", rest)
    return q


class _ILike(Func):
    """``text ILIKE pattern``, which the name's trigram GIN index answers
    (Django's ``icontains`` is ``UPPER(name) LIKE``, which no index does)."""

    arg_joiner = " ILIKE "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _AnyOfArray(Func):
    """``column = ANY(ARRAY(subquery))``: the subquery runs once, first, and
    its ids are looked up in the column's index. With ``IN (subquery)`` in an
    OR, PostgreSQL filters every row of the sort index against it instead: a
    name found nowhere read all 1M repos (14 s, issue 17); as a BitmapOr of
    the name's trigram index and this, 0.1 s."""

    arg_joiner = " = ANY(ARRAY"
    template = "(%(expressions)s))"
    output_field = BooleanField()


def _id_contains(text: str) -> Q:
    """Repos whose namespace or name contains ``text`` (case-insensitive)."""
    if connection.vendor != "postgresql":
        return Q(name__icontains=text) | Q(namespace__name__icontains=text)
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = Value(f"%{escaped}%")
    namespaces = Namespace.objects.filter(_ILike(F("name"), pattern)).values("id")
    return Q(_ILike(F("name"), pattern)) | Q(
        _AnyOfArray(F("namespace_id"), Subquery(namespaces))
    )


def repo_list_search(
    *,
    user: Any,
    token: ApiToken | None = None,
    search: str = "",
    author: str = "",
    tags: Iterable[str] = (),
    pipeline_tag: str = "",
    gated: bool | None = None,
    sort: str = "",
    repo_type: str = "model",
) -> QuerySet[ModelRepo]:
    """Visible repos matching a catalog query, ordered by ``sort`` (descending).

    ``search`` is a case-insensitive substring of ``namespace/name``; every
    tag of ``tags`` must be among the repo's tags (see ``repo_tags``).
    Raises ValidationError for an unknown sort key.
    """
    qs = repo_list_visible(user=user, token=token, repo_type=repo_type)
    if author:
        qs = qs.filter(namespace__name__iexact=author)
    if search:
        ns_part, slash, name_part = search.partition("/")
        if slash:
            # "ns/na" matches ids whose namespace ends with "ns" and whose
            # name starts with "na", as a substring of the id would.
            qs = qs.filter(
                namespace__name__iendswith=ns_part, name__istartswith=name_part
            )
        else:
            qs = qs.filter(_id_contains(search))
    tag_q = dataset_tag_q if repo_type == ModelRepo.RepoType.DATASET else _tag_q
    for tag in tags:
        qs = qs.filter(tag_q(tag))
    if pipeline_tag:
        qs = qs.filter(pipeline_tag=pipeline_tag)
    if gated is not None:
        qs = repo_filter_gated(qs, gated)
    return repo_order(qs, repo_list_sort(sort))


def repo_list_sort(sort: str) -> str:
    """The catalog sort (a REPO_SORTS key) of an HF sort name ("" = trending).

    Raises ValidationError for an unknown name.
    """
    key = REPO_SORT_FIELDS.get(sort or "trendingScore")
    if key is None:
        raise ValidationError(
            f"Unknown sort key {sort!r}: use one of {', '.join(REPO_SORT_FIELDS)}."
        )
    return key


def repo_list_page(
    repos: QuerySet[ModelRepo],
    *,
    sort: str,
    cursor: str | None,
    limit: int | None,
    page_size: int,
) -> tuple[list[ModelRepo], str | None]:
    """A page of ``repos`` (from repo_list_search) after ``cursor``, and the
    cursor of the next page (None on the last).

    ``limit`` caps the rows over all pages. Each page is one index range
    (hub.catalog.keyset): the same cost at any depth. Raises
    ValidationError for an unknown sort or a cursor the hub did not give.
    """
    key = repo_list_sort(sort)
    after = cursor_decode(cursor, sort=key) if cursor else None
    size = page_size
    if limit is not None:
        size = max(0, min(size, limit - (after.seen if after else 0)))
    page, position = repo_keyset_page(repos, sort=key, after=after, size=size)
    if position is not None and limit is not None and position.seen >= limit:
        position = None
    return page, cursor_encode(position) if position is not None else None


def repo_used_storage(*, repo: ModelRepo) -> int:
    """Bytes of the distinct blobs referenced anywhere in the repo's history.

    Cached until the repo row changes (every commit saves it): the sum
    scans every tree of the history, and model_info, which every
    snapshot_download calls, shows it.
    """
    from django.core.cache import cache

    key = f"catalog:used-storage:{repo.pk}:{repo.updated_at.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return int(cached)
    referenced = TreeEntry.objects.filter(commit__repo=repo).values("blob_id")
    total = Blob.objects.filter(sha256__in=referenced).aggregate(total=Sum("size"))
    used = int(total["total"] or 0)
    cache.set(key, used, timeout=24 * 3600)
    return used
