"""Everything the dataset and space pages show, assembled in one place.

The dataset page reuses the model page's parts (card, license, checks,
gate) and adds the viewer (``hub.viewer.selectors.dataset_view_get``) and
the models whose cards name the dataset (``hub.catalog.lineage``). The
viewer panel re-renders itself with ``viewer_context`` while pending.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hub.accounts.actors import Actor
from hub.catalog.cards import card_strings
from hub.catalog.lineage import dataset_models
from hub.catalog.models import Commit, ModelRepo
from hub.catalog.revisions import revision_resolve
from hub.community.usecases import RepoAbilities
from hub.viewer.selectors import dataset_view_get
from hub.web.presenters.checks import commit_checks
from hub.web.presenters.facts import commit_size, license_info
from hub.web.presenters.model_page import DEFAULT_BRANCH, card_html
from hub.web.presenters.sections import gate_section


def dataset_snippet(*, base_url: str, repo: ModelRepo) -> str:
    """Copyable code that loads this dataset from this hub with `datasets`."""
    auth = '\nos.environ["HF_TOKEN"] = "mc_..."  # a token from Settings' * (
        1 if repo.is_private or repo.gated != ModelRepo.Gated.OFF else 0
    )
    return (
        "import os\n"
        f'os.environ["HF_ENDPOINT"] = "{base_url.rstrip("/")}"  # before importing'
        f"{auth}\n\n"
        "from datasets import load_dataset\n\n"
        f'ds = load_dataset("{repo.full_name}")\n'
    )


def viewer_context(*, request: HttpRequest, repo: ModelRepo, commit: Commit) -> Any:
    """The viewer of ``commit`` as the visitor may see it (rows only from
    files they may download)."""
    return dataset_view_get(actor=Actor.of(request.user), repo=repo, commit=commit)


def dataset_page_context(
    *, request: HttpRequest, repo: ModelRepo, header: dict[str, Any]
) -> dict[str, Any]:
    """The dataset page: ``header`` plus the card, facts, checks, viewer, the
    models trained or evaluated on it and the gate, for the head of main."""
    user = request.user
    abilities: RepoAbilities = header["abilities"]
    head = revision_resolve(repo=repo, revision=DEFAULT_BRANCH)
    html, has_readme = card_html(repo, head)
    card = repo.card_data if isinstance(repo.card_data, dict) else {}
    return {
        **header,
        "head": head,
        "card_html": html,
        "has_readme": has_readme,
        "license": license_info(repo=repo),
        "checks": commit_checks(commit=head),
        "size": commit_size(commit=head),
        "task_categories": card_strings(card.get("task_categories")),
        "size_categories": card_strings(card.get("size_categories")),
        "viewer": viewer_context(request=request, repo=repo, commit=head),
        "trained_models": dataset_models(repo=repo, user=user),
        "snippet": dataset_snippet(base_url=request.build_absolute_uri("/"), repo=repo),
        "has_access": abilities.has_access,
        "card_tags": [t for t in repo.tags if isinstance(t, str)],
        "gate": gate_section(user=user, repo=repo, abilities=abilities),
    }


def space_page_context(
    *, request: HttpRequest, repo: ModelRepo, header: dict[str, Any]
) -> dict[str, Any]:
    """The space page: its card and size; the hub stores spaces, never runs
    them."""
    head = revision_resolve(repo=repo, revision=DEFAULT_BRANCH)
    html, has_readme = card_html(repo, head)
    return {
        **header,
        "head": head,
        "card_html": html,
        "has_readme": has_readme,
        "license": license_info(repo=repo),
        "size": commit_size(commit=head),
    }
