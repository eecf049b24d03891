"""The repo page (model, dataset or space), its live checks, viewer and
evaluation panels, the like button and the "Re-run evaluation" button."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST, require_safe

from hub.accounts.actors import Actor
from hub.catalog.models import ModelRepo
from hub.catalog.revisions import revision_resolve
from hub.community.services.likes import like_add, like_remove
from hub.community.usecases import participation_require, repo_abilities
from hub.core.errors import ApplicationError, PermissionDeniedError
from hub.jobs.services.evals import eval_run_request
from hub.web.presenters.checks import commit_checks
from hub.web.presenters.dataset_page import (
    dataset_page_context,
    space_page_context,
    viewer_context,
)
from hub.web.presenters.model_page import model_page_context
from hub.web.presenters.sections import evals_section
from hub.web.views.common import (
    canonical_redirect,
    current_user,
    json_errors,
    load_repo,
    page_errors,
    repo_context,
)


@require_safe
@page_errors
def model_page(request: HttpRequest, namespace: str, name: str) -> HttpResponse:
    """``/{typed id}``: the card, the facts, how to use it, its checks; a
    dataset's viewer and the models naming it; a space's stored files."""
    repo = load_repo(request, namespace, name)
    moved = canonical_redirect(request, repo, namespace, name)
    if moved is not None:
        return moved
    header = repo_context(request, repo, "card")
    if repo.repo_type == ModelRepo.RepoType.DATASET:
        context = dataset_page_context(request=request, repo=repo, header=header)
        return render(request, "web/repo/dataset.html", context)
    if repo.repo_type == ModelRepo.RepoType.SPACE:
        context = space_page_context(request=request, repo=repo, header=header)
        return render(request, "web/repo/space.html", context)
    context = model_page_context(request=request, repo=repo, header=header)
    return render(request, "web/repo/model.html", context)


@require_safe
@json_errors
def viewer_json(
    request: HttpRequest, namespace: str, name: str, oid: str
) -> HttpResponse:
    """The dataset viewer panel of a commit, re-rendered, for the page to poll."""
    repo = load_repo(request, namespace, name)
    commit = revision_resolve(repo=repo, revision=oid)
    viewer = viewer_context(request=request, repo=repo, commit=commit)
    html = render_to_string(
        "web/repo/_viewer_body.html",
        {"viewer": viewer, "repo": repo, "head": commit},
        request=request,
    )
    return JsonResponse({"state": viewer.status, "html": html})


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
    return redirect(f"/{repo.typed_id}")


@require_safe
@json_errors
def evals_json(
    request: HttpRequest, namespace: str, name: str, oid: str
) -> HttpResponse:
    """The model page's evaluation section, re-rendered, for the page to poll."""
    repo = load_repo(request, namespace, name)
    commit = revision_resolve(repo=repo, revision=oid)
    ev = evals_section(
        request=request,
        repo=repo,
        commit=commit,
        checks_state=commit_checks(commit=commit).state,
        abilities=repo_abilities(actor=Actor.of(request.user), repo=repo),
    )
    html = render_to_string(
        "web/repo/_evals_body.html", {"ev": ev, "repo": repo}, request=request
    )
    return JsonResponse({"state": ev["state"], "html": html})


@require_POST
@page_errors
def eval_rerun(request: HttpRequest, namespace: str, name: str) -> HttpResponse:
    """The model page's "Re-run evaluation" button (maintainers)."""
    repo = load_repo(request, namespace, name)
    user = current_user(request)
    revision = request.POST.get("revision") or "main"
    try:
        commit = revision_resolve(repo=repo, revision=revision)
        runs = eval_run_request(repo=repo, commit=commit, user=user)
    except ApplicationError as exc:
        if exc.http_status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Evaluation queued ({len(runs)} run{'s' if len(runs) != 1 else ''}).",
        )
    return redirect(f"/{repo.typed_id}#evals")
