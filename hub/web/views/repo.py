"""The model page, its live checks panel and the like button."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST, require_safe

from hub.accounts.actors import Actor
from hub.catalog.cards import card_split
from hub.catalog.errors import EntryNotFoundError
from hub.catalog.models import Commit, ModelRepo
from hub.catalog.revisions import revision_resolve
from hub.catalog.trees import file_get
from hub.catalog.visibility import repo_list_visible
from hub.community.services import like_add, like_remove
from hub.community.usecases import participation_require
from hub.core.errors import PermissionDeniedError
from hub.storage.selectors import blob_read_bytes
from hub.web.markdown import MAX_CARD_BYTES, markdown_html
from hub.web.presenters import (
    commit_checks,
    commit_size,
    license_info,
    usage_snippets,
)
from hub.web.views.common import (
    canonical_redirect,
    current_user,
    json_errors,
    load_repo,
    page_errors,
    repo_context,
)

DEFAULT_BRANCH = "main"
CARD_CACHE_SECONDS = 24 * 3600


def _card(repo: ModelRepo, commit: Commit) -> tuple[str, bool]:
    """(sanitized card HTML, whether the repo has a README at all)."""
    try:
        entry = file_get(commit=commit, path="README.md")
    except EntryNotFoundError:
        return "", False
    if entry.size > MAX_CARD_BYTES or entry.blob.is_quarantined:
        return "", True
    # Rendering and sanitizing a long card takes tens of ms; the result only
    # depends on the content, the repo's id (relative links) and the commit.
    key = f"web:card:v1:{entry.blob_id}:{commit.oid}:{repo.full_name}"
    html = cache.get(key)
    if html is None:
        text = blob_read_bytes(sha256=entry.blob_id, limit=MAX_CARD_BYTES)
        _front_matter, body = card_split(text.decode("utf-8", errors="replace"))
        html = markdown_html(body, repo_base=f"/{repo.full_name}", revision=commit.oid)
        cache.set(key, html, CARD_CACHE_SECONDS)
    return str(html), True


def _base_models(request: HttpRequest, repo: ModelRepo) -> list[dict[str, Any]]:
    """The card's base models, linked when this hub has them (one query)."""
    ids = [b for b in repo.base_model if isinstance(b, str) and b.count("/") == 1][:10]
    if not ids:
        return []
    query = Q(pk__in=[])
    for repo_id in ids:
        ns, name = repo_id.split("/")
        query |= Q(namespace__name__iexact=ns, name__iexact=name)
    here = {
        r.full_name.lower() for r in repo_list_visible(user=request.user).filter(query)
    }
    return [{"id": repo_id, "local": repo_id.lower() in here} for repo_id in ids]


@require_safe
@page_errors
def model_page(request: HttpRequest, namespace: str, name: str) -> HttpResponse:
    """``/{namespace}/{name}``: the card, the facts, how to use it, its checks."""
    repo = load_repo(request, namespace, name)
    moved = canonical_redirect(request, repo, namespace, name)
    if moved is not None:
        return moved
    head = revision_resolve(repo=repo, revision=DEFAULT_BRANCH)
    card_html, has_readme = _card(repo, head)
    checks = commit_checks(commit=head)
    header = repo_context(request, repo, "card")
    context = {
        **header,
        "head": head,
        "card_html": card_html,
        "has_readme": has_readme,
        "license": license_info(repo=repo),
        "checks": checks,
        "size": commit_size(commit=head),
        "base_models": _base_models(request, repo),
        "snippets": usage_snippets(base_url=request.build_absolute_uri("/"), repo=repo),
        "has_access": header["abilities"].has_access,
        "card_tags": [t for t in repo.tags if isinstance(t, str)],
    }
    return render(request, "web/repo/model.html", context)


@require_safe
@json_errors
def checks_json(
    request: HttpRequest, namespace: str, name: str, oid: str
) -> HttpResponse:
    """The checks panel of a commit, re-rendered, for the page to poll."""
    repo = load_repo(request, namespace, name)
    commit = revision_resolve(repo=repo, revision=oid)
    checks = commit_checks(commit=commit)
    html = render_to_string(
        "web/repo/_checks.html",
        {"checks": checks, "repo": repo, "commit": commit},
        request=request,
    )
    return JsonResponse({"state": checks.state, "html": html})


@require_POST
@json_errors
def like(request: HttpRequest, namespace: str, name: str) -> HttpResponse:
    """Like or unlike (``action=unlike``); answers the new count as JSON."""
    repo = load_repo(request, namespace, name)
    user = current_user(request)
    try:
        participation_require(actor=Actor.of(user), repo=repo, what="like it")
    except PermissionDeniedError as exc:
        return JsonResponse({"detail": exc.message, "code": "forbidden"}, status=403)
    liked = request.POST.get("action") != "unlike"
    if liked:
        like_add(user=user, repo=repo)
    else:
        like_remove(user=user, repo=repo)
    repo.refresh_from_db(fields=["likes"])
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"liked": liked, "likes": repo.likes})
    return redirect(f"/{repo.full_name}")
