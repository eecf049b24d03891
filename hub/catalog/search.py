"""Catalog search: the full-text document, text queries and sorts.

PostgreSQL: each repo carries a ``search_vector`` (repo id weighted A,
description B, card text C) behind a GIN index, queried with
``websearch_to_tsquery``; names also match by trigram word similarity
(``pg_trgm``, GIN index), so "lama" finds "llama-7b". Other databases (the
embedded SQLite) fall back to case-insensitive substring matches over the
id and description.

Every function here narrows a queryset the caller already limited to what
the user may see (``hub.catalog.visibility.repo_list_visible``); nothing in
this module widens it, so facet counts never include a hidden repo.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import BooleanField, Expression, F, Func, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from hub.catalog.cards import card_split
from hub.catalog.models import ModelRepo
from hub.licenses.models import License

# Text search configuration of the document and of queries (stemming, stop
# words). Card text is mostly English prose.
SEARCH_CONFIG = "english"


# Characters of card text that go into the document (to_tsvector cost and
# the 1 MB tsvector limit).
CARD_TEXT_MAX_CHARS = 100_000


DESCRIPTION_MAX_CHARS = 300


# Longer queries are cut: nobody types more, and a huge query is only load.
QUERY_MAX_CHARS = 200


# Sort keys of the catalog, all descending with the primary key as
# tiebreaker (an index per key exists, see ModelRepo.Meta.indexes).
REPO_SORTS: dict[str, Any] = {
    "trending": F("trending_score"),
    "downloads": F("downloads"),
    "likes": F("likes"),
    "updated": Coalesce(F("last_commit_at"), F("created_at")),
    "created": F("created_at"),
    # Average of the visible reviews (hub.reviews); unrated repos sort last.
    "rating": F("rating_avg"),
}


DEFAULT_SORT = "trending"


# License terms a caller can require; each maps onto the License flags
# (an unknown flag, None, never matches).
LICENSE_TERMS: dict[str, Q] = {
    "commercial": Q(allows_commercial_use=True),
    "derivatives": Q(allows_derivatives=True),
    "no_attribution": Q(requires_attribution=False),
    "no_share_alike": Q(requires_share_alike=False),
    "no_use_restrictions": Q(has_use_restrictions=False),
    "no_acceptance": Q(requires_acceptance=False),
}


# Internal terms, not offered as filters (the gated filter uses this one).
_INTERNAL_TERMS: dict[str, Q] = {"needs_acceptance": Q(requires_acceptance=True)}


_SEPARATORS_RE = re.compile(r"[-_./]+")


# A separator between two word characters: "llama-2", "meta-llama/x". A
# leading "-" is websearch's NOT and stays.
_INNER_SEPARATOR_RE = re.compile(r"(?<=\w)[-_./]+(?=\w)")


_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


_EMPHASIS_RE = re.compile(r"(\*\*|__|\*|`)")


_SPACES_RE = re.compile(r"\s+")


_SKIPPED_LINE_RE = re.compile(r"^(#|<|\||>|!\[|\[!\[|[-*+] |\d+[.)] |[-*_=]{3,}\s*$)")


def card_description(body: str) -> str:
    """The first prose paragraph of a README body, as plain text.

    Headings, HTML, tables, quotes, lists, badges, rules and code blocks are
    skipped; links keep their text. At most DESCRIPTION_MAX_CHARS.
    """
    paragraph: list[str] = []
    in_fence = in_comment = False
    for raw in body.splitlines():
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            if paragraph:
                break
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if in_comment:
            in_comment = "-->" not in line
            continue
        if line.startswith("<!--"):
            in_comment = "-->" not in line
            if paragraph:
                break
            continue
        if not line or _SKIPPED_LINE_RE.match(line):
            if paragraph:
                break
            continue
        paragraph.append(line)
    text = _LINK_RE.sub(r"\1", " ".join(paragraph))
    text = _SPACES_RE.sub(" ", _EMPHASIS_RE.sub("", text)).strip()
    if len(text) > DESCRIPTION_MAX_CHARS:
        cut = text[: DESCRIPTION_MAX_CHARS - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
    return text


def readme_body(text: str) -> str:
    """A README without its front matter."""
    return card_split(text)[1]


def repo_id_text(namespace: str, name: str) -> str:
    """The words of a repo id: as written, and split at '-', '_', '.', '/'.

    The parser reads "org/name" as a file path and "llama-2-7b" as one
    compound; the split form makes "llama 2" and "meta llama" match.
    """
    return f"{namespace} {name} " + _SEPARATORS_RE.sub(" ", f"{namespace} {name}")


def search_document_sql(id_sql: str, description_sql: str, card_sql: str) -> str:
    """SQL of the document from three SQL text expressions (also used by bench/)."""
    cfg = f"'{SEARCH_CONFIG}'::regconfig"
    return (
        f"setweight(to_tsvector({cfg}, {id_sql}), 'A') || "
        f"setweight(to_tsvector({cfg}, {description_sql}), 'B') || "
        f"setweight(to_tsvector({cfg}, {card_sql}), 'C')"
    )


def repo_search_document_update(*, repo: ModelRepo, card_text: str) -> None:
    """Store the description and search document of a repo from its card text.

    ``card_text`` is the README body of main's head ('' without a README).
    One UPDATE; sets ``repo.description`` too. Idempotent.
    """
    repo.description = card_description(card_text)
    if connection.vendor != "postgresql":
        ModelRepo.objects.filter(pk=repo.pk).update(description=repo.description)
        return
    sql = (
        "UPDATE catalog_modelrepo SET description = %s, search_vector = "
        + search_document_sql("%s", "%s", "%s")
        + " WHERE id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                repo.description,
                repo_id_text(repo.namespace.name, repo.name),
                repo.description,
                card_text[:CARD_TEXT_MAX_CHARS],
                repo.pk,
            ],
        )


def repo_search_id_refresh(*, repo: ModelRepo) -> None:
    """Rewrite the id part of a repo's document after a rename or move.

    The description and card text parts (weights B and C) are kept, so the
    README need not be read again. No-op outside PostgreSQL.
    """
    if connection.vendor != "postgresql":
        return
    cfg = f"'{SEARCH_CONFIG}'::regconfig"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE catalog_modelrepo SET search_vector = "
            f"setweight(to_tsvector({cfg}, %s), 'A') || "
            "ts_filter(coalesce(search_vector, ''::tsvector), '{B,C}') "
            "WHERE id = %s",
            [repo_id_text(repo.namespace.name, repo.name), repo.pk],
        )


class _WordSimilar(Func):
    """``name %> 'query'``: some word of the name is similar to the query (pg_trgm).

    The GIN ``gin_trgm_ops`` index on the name answers it. ``%%`` is a
    literal ``%`` for the database driver.
    """

    arg_joiner = " %%> "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _query_words(text: str) -> str:
    return _INNER_SEPARATOR_RE.sub(" ", text)


def repo_search(queryset: QuerySet[ModelRepo], text: str) -> QuerySet[ModelRepo]:
    """Repos of ``queryset`` matching a text query.

    PostgreSQL: full text over id, description and card text (web-search
    syntax: quotes, ``or``, ``-word``), or a name similar to the query.
    Elsewhere: a substring of the id or the description.
    """
    text = text.strip()[:QUERY_MAX_CHARS]
    if not text:
        return queryset
    name_part = text.rsplit("/", 1)[-1].strip()
    if connection.vendor == "postgresql":
        query = SearchQuery(
            _query_words(text), search_type="websearch", config=SEARCH_CONFIG
        )
        matches = Q(search_vector=query)
        if name_part:
            matches |= Q(_WordSimilar(F("name"), Value(name_part)))
        return queryset.filter(matches)
    ns_part, slash, rest = text.partition("/")
    if slash:
        return queryset.filter(
            namespace__name__iendswith=ns_part.strip(),
            name__istartswith=rest.strip(),
        )
    return queryset.filter(
        Q(name__icontains=text)
        | Q(namespace__name__icontains=text)
        | Q(description__icontains=text)
    )


def json_list_contains(field: str, values: Iterable[str]) -> Q:
    """Rows whose JSON list ``field`` holds every one of ``values``."""
    wanted = [v for v in values if v]
    if not wanted:
        return Q()
    if connection.features.supports_json_field_contains:
        # One containment test, answered by the jsonb_path_ops GIN index.
        return Q(**{f"{field}__contains": wanted})
    q = Q()
    for value in wanted:
        # SQLite: the item, quoted, in the stored JSON text.
        q &= Q(**{f"{field}__icontains": json.dumps(value)})
    return q


def json_list_or_value_has(field: str, value: str) -> Q:
    """``field`` (a JSON path) holds ``value`` or a list containing it (a
    card may give one value as a plain string)."""
    return json_list_contains(field, [value]) | Q(**{field: value})


def license_ids_with_terms(terms: Iterable[str]) -> QuerySet[Any]:
    """Subquery of the license ids that have every one of ``terms``."""
    q = Q()
    for term in terms:
        q &= LICENSE_TERMS.get(term) or _INTERNAL_TERMS[term]
    return License.objects.filter(q).values("id")


def repo_filter_gated(
    queryset: QuerySet[ModelRepo], gated: bool
) -> QuerySet[ModelRepo]:
    """Only repos whose gate is in force (``gated``), or only open ones.

    A repo is gated when its owner gates it or its license must be accepted
    first (the rule of ``hub.catalog.permissions.repo_gate_mode``).
    """
    open_ = Q(gated=ModelRepo.Gated.OFF) & ~Q(
        license__in=license_ids_with_terms(["needs_acceptance"])
    )
    return queryset.exclude(open_) if gated else queryset.filter(open_)


def repo_order(queryset: QuerySet[ModelRepo], sort: str) -> QuerySet[ModelRepo]:
    """Order by a REPO_SORTS key, descending, primary key last (stable)."""
    key = REPO_SORTS[sort or DEFAULT_SORT]
    return queryset.order_by(key.desc(), "-pk")


def sort_key_expression(sort: str) -> Expression:
    """The expression a sort key orders by (for keyset pagination)."""
    return REPO_SORTS[sort or DEFAULT_SORT]
