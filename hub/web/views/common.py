"""What every page view shares: loading a repo as the visitor may see it,
mapping the domain's errors onto pages, and the repo header's context."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from hub.accounts.actors import Actor
from hub.accounts.models import User
from hub.catalog import usecases
from hub.catalog.errors import RepoDisabledError
from hub.catalog.models import ModelRepo, Ref
from hub.catalog.revisions import ref_list
from hub.community.selectors import discussion_open_count, like_exists
from hub.community.usecases import repo_abilities
from hub.core.errors import (
    ApplicationError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
)
from hub.core.names import repo_typed_id

View = Callable[..., HttpResponse]


def page_errors(view: View) -> View:
    """Turn the domain's not-found and forbidden errors into the 404/403 pages.

    A private repo the visitor may not see raises RepoNotFoundError in
    ``repo_get_visible``, so it gets exactly the page of a missing one.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except RepoDisabledError as exc:
            return render(
                request,
                "web/moderation/disabled.html",
                {"reason": exc.details.get("reason", "")},
                status=403,
            )
        except NotFoundError as exc:
            raise Http404(exc.message) from exc
        except (PermissionDeniedError, AuthenticationError) as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapper


def json_errors(view: View) -> View:
    """For the small JSON endpoints: errors as ``{"detail", "code"}`` bodies."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and request.method == "POST":
            return JsonResponse(
                {"detail": "Sign in first.", "code": "unauthenticated"}, status=401
            )
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as exc:
            return JsonResponse(
                {"detail": exc.message, "code": exc.code}, status=exc.http_status
            )

    return wrapper


def typed_route(view: View, repo_type: str) -> View:
    """``view`` for the repos of ``repo_type``: the ``/datasets/...`` and
    ``/spaces/...`` routes wrap the repo views with it, and ``load_repo``
    reads the type back, so one view serves every type."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.repo_type = repo_type  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def route_repo_type(request: HttpRequest) -> str:
    """The repo type of the route a page was reached by (default model)."""
    return getattr(request, "repo_type", ModelRepo.RepoType.MODEL)


def load_repo(request: HttpRequest, namespace: str, name: str) -> ModelRepo:
    """The repo of the route's type if the visitor may see it;
    RepoNotFoundError (404) otherwise, RepoDisabledError (403, with the
    moderator's reason) for a disabled repo."""
    return usecases.repo_open(
        actor=Actor.of(request.user),
        namespace=namespace,
        name=name,
        repo_type=route_repo_type(request),
    )


def canonical_redirect(
    request: HttpRequest, repo: ModelRepo, namespace: str, name: str
) -> HttpResponse | None:
    """A redirect to the repo's current id when it was reached by an old one."""
    if (repo.namespace.name, repo.name) == (namespace, name):
        return None
    old = "/" + repo_typed_id(repo.repo_type, namespace, name)
    path = request.path
    new_path = f"/{repo.typed_id}" + path[len(old) :] if path.startswith(old) else "/"
    query = request.META.get("QUERY_STRING", "")
    return redirect(new_path + (f"?{query}" if query else ""))


def repo_context(request: HttpRequest, repo: ModelRepo, tab: str) -> dict[str, Any]:
    """The repo header: id, visibility, likes, the visitor's rights, the tab."""
    user = request.user
    abilities = repo_abilities(actor=Actor.of(user), repo=repo)
    return {
        "repo": repo,
        "tab": tab,
        "abilities": abilities,
        "can_write": abilities.can_write,
        "can_admin": abilities.can_admin,
        "can_contribute": abilities.can_contribute,
        "liked": like_exists(user=user, repo=repo),
        # The Community tab's badge: counted only when the header is drawn.
        "open_discussion_count": functools.cache(
            lambda: discussion_open_count(repo=repo)
        ),
    }


def revision_url(repo: ModelRepo, kind: str, revision: str, path: str = "") -> str:
    """``/{ns}/{name}/{kind}/{revision}[/{path}]`` with each part quoted."""
    url = f"/{repo.typed_id}/{kind}/{quote(revision, safe='/')}"
    return f"{url}/{quote(path, safe='/')}" if path else url


def refs_context(repo: ModelRepo) -> dict[str, Any]:
    """Branches and tags for the revision switcher (one query)."""
    refs = list(ref_list(repo=repo, kinds=(Ref.Kind.BRANCH, Ref.Kind.TAG)))
    return {
        "branches": [r for r in refs if r.kind == Ref.Kind.BRANCH],
        "tags": [r for r in refs if r.kind == Ref.Kind.TAG],
        "ref_names": [r.name for r in refs],
    }


def current_user(request: HttpRequest) -> User:
    """The signed-in user; AuthenticationError for an anonymous visitor."""
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise AuthenticationError("Sign in first.")
    return user
