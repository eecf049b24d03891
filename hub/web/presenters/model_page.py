"""Everything the model page shows, assembled in one place.

``model_page_context`` is the page's whole context: the repo header, the
card, the facts beside it, the head commit's checks, and the community
sections (``hub.web.presenters.sections``). The live panels (checks,
evaluations) re-render their part with the same functions.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from hub.catalog.cards import card_split
from hub.catalog.errors import EntryNotFoundError
from hub.catalog.lineage import model_datasets
from hub.catalog.models import Commit, ModelRepo
from hub.catalog.revisions import revision_resolve
from hub.catalog.storage_usage import repo_storage_usage
from hub.catalog.trees import file_get
from hub.catalog.visibility import repos_visible_by_id
from hub.community.usecases import RepoAbilities
from hub.storage.selectors import blob_read_bytes
from hub.web.markdown import MAX_CARD_BYTES, markdown_html
from hub.web.presenters.checks import commit_checks
from hub.web.presenters.facts import commit_size, license_info, usage_snippets
from hub.web.presenters.sections import (
    evals_section,
    gate_section,
    lineage_section,
    moderation_section,
    reviews_section,
)

DEFAULT_BRANCH = "main"
CARD_CACHE_SECONDS = 24 * 3600


def card_html(repo: ModelRepo, commit: Commit) -> tuple[str, bool]:
    """(sanitized card HTML, whether the repo has a README at all)."""
    try:
        entry = file_get(commit=commit, path="README.md")
    except EntryNotFoundError:
        return "", False
    if entry.size > MAX_CARD_BYTES or entry.blob.is_quarantined:
        return "", True
    # Rendering and sanitizing a long card takes tens of ms; the result only
    # depends on the content, the repo's id (relative links) and the commit.
    key = f"web:card:v1:{entry.blob_id}:{commit.oid}:{repo.typed_id}"
    html = cache.get(key)
    if html is None:
        text = blob_read_bytes(sha256=entry.blob_id, limit=MAX_CARD_BYTES)
        _front_matter, body = card_split(text.decode("utf-8", errors="replace"))
        html = markdown_html(body, repo_base=f"/{repo.typed_id}", revision=commit.oid)
        cache.set(key, html, CARD_CACHE_SECONDS)
    return str(html), True


def base_models(*, user: Any, repo: ModelRepo) -> list[dict[str, Any]]:
    """The card's base models, linked when this hub has them (one query)."""
    ids = [b for b in repo.base_model if isinstance(b, str) and b.count("/") == 1][:10]
    if not ids:
        return []
    here = repos_visible_by_id(user=user, repo_ids=ids)
    return [{"id": repo_id, "local": repo_id.lower() in here} for repo_id in ids]


def model_page_context(
    *, request: HttpRequest, repo: ModelRepo, header: dict[str, Any]
) -> dict[str, Any]:
    """The model page: ``header`` (the repo header, ``repo_context``) plus the
    card, facts, checks and every section, for the head of ``main``."""
    user = request.user
    abilities: RepoAbilities = header["abilities"]
    head = revision_resolve(repo=repo, revision=DEFAULT_BRANCH)
    html, has_readme = card_html(repo, head)
    checks = commit_checks(commit=head)
    return {
        **header,
        "head": head,
        "card_html": html,
        "has_readme": has_readme,
        "license": license_info(repo=repo),
        "checks": checks,
        "size": commit_size(commit=head),
        "storage": repo_storage_usage(repo=repo),
        "base_models": base_models(user=user, repo=repo),
        "dataset_links": model_datasets(repo=repo, user=user),
        "snippets": usage_snippets(base_url=request.build_absolute_uri("/"), repo=repo),
        "has_access": abilities.has_access,
        "card_tags": [t for t in repo.tags if isinstance(t, str)],
        "lin": lineage_section(user=user, repo=repo),
        "ev": evals_section(
            request=request,
            repo=repo,
            commit=head,
            checks_state=checks.state,
            abilities=abilities,
        ),
        "gate": gate_section(user=user, repo=repo, abilities=abilities),
        "mod": moderation_section(user=user, repo=repo),
        "rv": reviews_section(user=user, repo=repo, abilities=abilities),
    }
