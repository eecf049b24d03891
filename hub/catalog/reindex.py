"""Rebuild the catalog's derived search data (``manage.py hub_reindex``).

What search reads besides the files themselves, per repo: the columns
denormalized from main's card (license, tags, pipeline, library, base
models, datasets, languages: the filters and facets), the description (the
README's first paragraph: lists, and SQLite's substring search) and, on
PostgreSQL only, the full-text document ``search_vector`` behind its GIN
index (trigram matching on names reads the name column itself: nothing to
rebuild). Each repo is rewritten from main's head exactly as a commit on
main writes it (``repo_card_refresh``). Then the whole catalog's cached
facet counts are recomputed; other cached queries recompute theirs when
next asked once a minute old. Without a cache shared between processes
(the embedded default) the command's cache is its own, so nothing there
outlives it: the report says so instead of claiming a refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet

from hub.catalog.facets import repo_facets_refresh
from hub.catalog.models import ModelRepo
from hub.catalog.services.commits import CARD_FIELDS, repo_card_refresh

# Told after each repo: its name.
Progress = Callable[[str], None]


@dataclass
class ReindexReport:
    database: str
    repos: int = 0
    # Full-text documents rewritten (PostgreSQL; 0 elsewhere).
    search_documents: int = 0
    # Repos whose card columns or description changed.
    changed: list[str] = field(default_factory=list)
    facet_counts_refreshed: bool = False
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _quiet(repo: str) -> None:
    pass


# What the rewrite may change, to report the repos that were out of date.
_DERIVED = ("description", *CARD_FIELDS)


def catalog_reindex(
    *, repos: QuerySet[ModelRepo], progress: Progress = _quiet
) -> ReindexReport:
    """Rewrite the derived search data of ``repos`` (one transaction each),
    then the whole catalog's facet counts. Idempotent."""
    postgres = connection.vendor == "postgresql"
    report = ReindexReport(database=connection.vendor)
    for repo in repos.iterator():
        before = [getattr(repo, name) for name in _DERIVED]
        with transaction.atomic():
            repo_card_refresh(repo=repo)
        if before != [getattr(repo, name) for name in _DERIVED]:
            report.changed.append(repo.full_name)
        report.repos += 1
        report.search_documents += int(postgres)
        progress(repo.full_name)
    if not postgres:
        report.notes.append(
            f"{connection.vendor}: no full-text index to rebuild (search matches "
            "the name and description directly); descriptions and card "
            "columns were rewritten."
        )
    if settings.HUB_SHARED_CACHE:
        report.facet_counts_refreshed = repo_facets_refresh(params={})
    else:
        report.notes.append(
            "No shared cache (neither HUB_CACHE_URL nor REDIS_URL): facet counts "
            "live in each "
            "process and are recomputed there within a minute; nothing to "
            "refresh from here."
        )
    return report
