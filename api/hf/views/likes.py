"""Likes in the HF protocol (hf-protocol.md 2.18): like and unlike a repo,
its likers and a user's likes, paged newest first with ``Link``."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import path

from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.dates import hf_date
from api.hf.routes import REPO_API
from api.hf.shapes import repo_ref_json
from api.hf.views.repos import load_repo
from hub.accounts.selectors import user_get_by_username
from hub.community import selectors
from hub.community.services.likes import like_add, like_remove
from hub.community.usecases import participation_require
from hub.core.parsing import int_param

LIKES_PAGE_SIZE = 100


def _next_link(request: HttpRequest, cursor: int) -> str:
    params = request.GET.copy()
    params["cursor"] = str(cursor)
    url = request.build_absolute_uri(request.path)
    return f'<{url}?{params.urlencode()}>; rel="next"'


def _keyset_page(
    request: HttpRequest, qs: QuerySet[Any], size: int
) -> tuple[list[Any], str | None]:
    """One page of a queryset ordered by descending pk, and the next Link."""
    cursor = int_param(request.GET.get("cursor"), name="cursor")
    if cursor is not None:
        qs = qs.filter(pk__lt=cursor)
    rows: list[Model] = list(qs[: size + 1])
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    return rows, _next_link(request, rows[-1].pk)


# Likes ----------------------------------------------------------------------


@hf_view("POST", "DELETE")
def like(
    request: HttpRequest, caller: Caller, repo_type: str, namespace: str, name: str
) -> JsonResponse:
    """POST likes the repo, DELETE takes the like back; both idempotent."""
    repo = load_repo(caller, repo_type, namespace, name)
    participation_require(actor=caller, repo=repo, what="like repositories")
    if request.method == "POST":
        like_add(user=caller.user, repo=repo)
    else:
        like_remove(user=caller.user, repo=repo)
    repo.refresh_from_db(fields=["likes"])
    return JsonResponse({"liked": request.method == "POST", "likes": repo.likes})


@hf_view("GET")
def likers(
    request: HttpRequest, caller: Caller, repo_type: str, namespace: str, name: str
) -> JsonResponse:
    """Users who like the repo, newest first, paged with ``Link``."""
    repo = load_repo(caller, repo_type, namespace, name)
    rows, next_link = _keyset_page(
        request, selectors.likers_of_repo(repo=repo), LIKES_PAGE_SIZE
    )
    response = JsonResponse(
        [
            {
                "user": row.user.username,
                "fullname": row.user.display_name or row.user.username,
                # No avatars are stored; the client requires the key.
                "avatarUrl": "",
            }
            for row in rows
        ],
        safe=False,
    )
    if next_link:
        response["Link"] = next_link
    return response


@hf_view("GET")
def user_likes(request: HttpRequest, caller: Caller, username: str) -> JsonResponse:
    """Repos a user likes that the caller may see, newest first, paged with ``Link``."""
    user = user_get_by_username(username=username)
    qs = selectors.likes_of_user(
        user=user, viewer=caller.user, viewer_token=caller.token
    )
    rows, next_link = _keyset_page(request, qs, LIKES_PAGE_SIZE)
    response = JsonResponse(
        [
            {"createdAt": hf_date(row.created_at), "repo": repo_ref_json(row.repo)}
            for row in rows
        ],
        safe=False,
    )
    if next_link:
        response["Link"] = next_link
    return response


_REPO = REPO_API

urlpatterns = [
    path(f"{_REPO}/like", like),
    path(f"{_REPO}/likers", likers),
    path("api/users/<str:username>/likes", user_likes),
]
