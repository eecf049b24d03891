"""Refs and history of the HF protocol face: refs, commit lists, branches and
tags (hf-protocol.md 2.8-2.11)."""

from __future__ import annotations

from itertools import islice
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path

from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.routes import REPO_API
from api.hf.shapes import (
    commit_item_json,
    next_link,
    query_bool,
    query_list,
    read_json_body,
    ref_json,
    repo_api_path,
)
from api.hf.views.repos import load_repo
from hub.catalog import usecases
from hub.catalog.history import commit_history
from hub.catalog.models import Ref
from hub.catalog.revisions import ref_list
from hub.core.errors import (
    ValidationError,
)

COMMITS_PAGE_SIZE = 100


# Refs and history ------------------------------------------------------------


def _pr_number(ref: Ref) -> int:
    tail = ref.name.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


@hf_view("GET")
def repo_refs(
    request: HttpRequest, caller: Caller, repo_type: str, namespace: str, name: str
) -> HttpResponse:
    """2.8: branches, tags, converts (none) and, if asked, pull request refs."""
    repo = load_repo(caller, repo_type, namespace, name)
    refs = list(ref_list(repo=repo))
    answer: dict[str, Any] = {
        "branches": [ref_json(r) for r in refs if r.kind == Ref.Kind.BRANCH],
        "tags": [ref_json(r) for r in refs if r.kind == Ref.Kind.TAG],
        "converts": [],
    }
    if query_bool(request.GET.get("include_prs")):
        prs = sorted(
            (r for r in refs if r.kind == Ref.Kind.PULL_REQUEST), key=_pr_number
        )
        answer["pullRequests"] = [ref_json(r) for r in prs]
    return JsonResponse(answer)


@hf_view("GET")
def repo_commits(
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    revision: str,
) -> HttpResponse:
    """2.9: first-parent history of a revision, newest first, ``Link``-paginated.

    The next page's URL names the next commit by id, so pages stay
    consistent even when the branch moves meanwhile.
    """
    repo = load_repo(caller, repo_type, namespace, name)
    formatted = "formatted" in query_list(request, "expand")
    commits = list(
        islice(commit_history(repo=repo, revision=revision), COMMITS_PAGE_SIZE + 1)
    )
    items = [
        commit_item_json(c, formatted=formatted) for c in commits[:COMMITS_PAGE_SIZE]
    ]
    response = JsonResponse(items, safe=False)
    if len(commits) > COMMITS_PAGE_SIZE:
        following = commits[COMMITS_PAGE_SIZE]
        params = {k: request.GET.getlist(k) for k in request.GET}
        response["Link"] = next_link(
            request,
            f"{repo_api_path(repo)}/commits/{following.oid}",
            params,
        )
    return response


@hf_view("POST", "DELETE")
def repo_branch(
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    branch: str,
) -> HttpResponse:
    """2.10: create a branch at ``startingPoint`` (409 if it exists), or delete it."""
    repo = load_repo(caller, repo_type, namespace, name)
    if request.method == "DELETE":
        usecases.ref_delete(actor=caller, repo=repo, kind=Ref.Kind.BRANCH, name=branch)
        return JsonResponse({})
    body = read_json_body(request)
    starting_point = body.get("startingPoint")
    if starting_point is not None and not isinstance(starting_point, str):
        raise ValidationError("'startingPoint' must be a revision name or commit id.")
    ref = usecases.ref_create(
        actor=caller,
        repo=repo,
        kind=Ref.Kind.BRANCH,
        name=branch,
        revision=starting_point or None,
    )
    return JsonResponse(ref_json(ref))


@hf_view("POST", "DELETE")
def repo_tag(
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    revision: str,
) -> HttpResponse:
    """2.11: POST tags the revision in the path; DELETE removes the tag named there.

    Tags are lightweight: a ``message`` is accepted but not stored.
    """
    repo = load_repo(caller, repo_type, namespace, name)
    if request.method == "DELETE":
        usecases.ref_delete(actor=caller, repo=repo, kind=Ref.Kind.TAG, name=revision)
        return JsonResponse({})
    body = read_json_body(request)
    tag = body.get("tag")
    if not isinstance(tag, str) or not tag:
        raise ValidationError("'tag' (the new tag's name) is required.")
    ref = usecases.ref_create(
        actor=caller, repo=repo, kind=Ref.Kind.TAG, name=tag, revision=revision
    )
    return JsonResponse(ref_json(ref))


_REPO = REPO_API

urlpatterns: list[URLPattern] = [
    path(f"{_REPO}/refs", repo_refs),
    path(f"{_REPO}/commits/<path:revision>", repo_commits),
    path(f"{_REPO}/branch/<path:branch>", repo_branch),
    path(f"{_REPO}/tag/<path:revision>", repo_tag),
]
