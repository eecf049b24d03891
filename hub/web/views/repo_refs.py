"""``/{namespace}/{name}/branches``: list, create and delete branches and
tags — the writers' page, as ``ref_create`` / ``ref_delete`` decide (a
private repo others cannot see is a 404, as everywhere; the default branch
is protected by the service, which says so)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from hub.accounts.actors import Actor
from hub.catalog import usecases
from hub.catalog.errors import RepoNotFoundError
from hub.catalog.models import ModelRepo
from hub.catalog.services.commits import DEFAULT_BRANCH
from hub.core.errors import ApplicationError
from hub.web.settings_forms import RefCreateForm, RefDeleteForm, form_data
from hub.web.views.common import (
    canonical_redirect,
    load_repo,
    page_errors,
    refs_context,
    repo_context,
)

LOGIN = "login"


def _create(request: HttpRequest, actor: Actor, repo: ModelRepo) -> str:
    data = form_data(RefCreateForm(request.POST))
    ref = usecases.ref_create(
        actor=actor,
        repo=repo,
        kind=data["kind"],
        name=data["name"].strip(),
        revision=data["revision"].strip() or None,
    )
    return f"{ref.get_kind_display()} {ref.name} created at {ref.commit.oid[:8]}."


def _delete(request: HttpRequest, actor: Actor, repo: ModelRepo) -> str:
    data = form_data(RefDeleteForm(request.POST))
    usecases.ref_delete(actor=actor, repo=repo, kind=data["kind"], name=data["name"])
    what = "Branch" if data["kind"] == "branch" else "Tag"
    return f"{what} {data['name']} deleted."


ACTIONS = {"create": _create, "delete": _delete}


def _render(
    request: HttpRequest, repo: ModelRepo, *, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        **repo_context(request, repo, "files"),
        **refs_context(repo),
        "default_branch": DEFAULT_BRANCH,
        "error": error,
        "values": request.POST,
    }
    return render(request, "web/repo/refs.html", context, status=status)


@require_safe
@login_required(login_url=LOGIN)
@page_errors
def refs_page(request: HttpRequest, namespace: str, name: str) -> HttpResponse:
    """The repo's branches and tags with their forms (writers)."""
    repo = load_repo(request, namespace, name)
    moved = canonical_redirect(request, repo, namespace, name)
    if moved is not None:
        return moved
    usecases.repo_require_write(actor=Actor.of(request.user), repo=repo)
    return _render(request, repo)


@require_POST
@login_required(login_url=LOGIN)
@page_errors
def refs_action(
    request: HttpRequest, namespace: str, name: str, action: str
) -> HttpResponse:
    """Create or delete a branch or tag: a redirect with a message, or the
    page again with the use case's error and status."""
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404(f"No branches action {action!r}.")
    repo = load_repo(request, namespace, name)
    if repo.full_name.lower() != f"{namespace}/{name}".lower():
        # A write never follows a rename redirect (as in both APIs).
        raise RepoNotFoundError(f"Repository {namespace}/{name} not found.")
    actor = Actor.of(request.user)
    usecases.repo_require_write(actor=actor, repo=repo)
    try:
        message = handler(request, actor, repo)
    except ApplicationError as exc:
        return _render(request, repo, error=exc.message, status=exc.http_status)
    messages.success(request, message)
    return redirect(f"/{repo.typed_id}/branches")
