"""A private repo never leaks through any list or detail endpoint of /api/v1.

Every GET route of /api/v1 is discovered from the URL configuration (so a new
endpoint joins the matrix by itself, or fails here until its URL arguments
are taught below) and requested by six actors:

- anonymous, a stranger, and the owner's token limited to another repo have
  no access: routes aimed at the private repo answer 404, and no response
  of any route contains the private repo's name, commit ids, file hashes,
  tags or discussion titles. Each response is also compared with the same
  request once the private repo is deleted: they must be identical, so not
  even a count (facets, ``models_count``) moves because of it.
- an org reader (session), the owner, and the owner's read token have
  access: the same private routes answer 200, which shows the matrix aims
  at the right URLs.

The lab also holds datasets named like its models (ids are unique per type):
the ``/datasets/...`` routes are aimed at them, with their own commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, reverse
from django.urls.resolvers import RoutePattern
from rest_framework.test import APIClient

from hub.accounts.services import token_create
from hub.catalog.models import Commit, ModelRepo
from hub.catalog.services.repos import repo_delete
from hub.community.services.discussions import discussion_create
from hub.community.services.likes import like_add
from hub.reviews.services import review_submit
from tests.api.v1.fixtures_resources import (  # noqa: F401 - fixtures
    PRIVATE_NAME,
    PRIVATE_TITLE,
    Lab,
    build_lab,
    client_for,
    no_throttle,
)
from tests.factories import commit_files, make_repo

SKIPPED_ROUTES = {"api-v1-schema", "api-v1-docs"}


def _kwarg_names(pattern: URLPattern) -> list[str]:
    if isinstance(pattern.pattern, RoutePattern):
        return list(pattern.pattern.converters)
    return list(pattern.pattern.regex.groupindex)


def _walk(patterns: list[Any]) -> Iterator[URLPattern]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns)
        else:
            yield entry


def _answers_get(pattern: URLPattern) -> bool:
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return "get" in actions
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return view_class is not None and hasattr(view_class, "get")


def get_routes() -> list[tuple[str, tuple[str, ...]]]:
    """(url name, kwarg names) of every GET route of /api/v1."""
    from api.v1 import urls

    routes: dict[str, tuple[str, ...]] = {}
    for pattern in _walk(urls.urlpatterns):
        kwargs = tuple(_kwarg_names(pattern))
        if "format" in kwargs or not pattern.name or pattern.name in SKIPPED_ROUTES:
            continue
        if _answers_get(pattern):
            routes.setdefault(pattern.name, kwargs)
    return sorted(routes.items())


ROUTES = get_routes()


@dataclass
class World:
    lab: Lab
    public_discussion_num: int
    review_ids: dict[bool, int]
    eval_run_ids: dict[bool, int]
    secrets: dict[str, str]
    actors: dict[str, Callable[[], APIClient]]
    # The lab's datasets and their heads, by privacy.
    datasets: dict[bool, ModelRepo]
    dataset_heads: dict[bool, Commit]


PRIVATE_DATASET_README = b"""---
license: mit
task_categories:
- zz-hidden-task
size_categories:
- n<1K
tags:
- zz-hidden-tag
---
# Hidden data
"""


def _lab_datasets(lab: Lab) -> tuple[dict[bool, ModelRepo], dict[bool, Commit]]:
    """A public dataset ``lab/open-model`` and a private one named like the
    private model, with files at the paths the routes ask for."""
    public = make_repo(lab.org, "open-model", creator=lab.owner, repo_type="dataset")
    private = make_repo(
        lab.org, PRIVATE_NAME, creator=lab.owner, is_private=True, repo_type="dataset"
    )
    heads = {
        False: commit_files(
            public,
            {
                "README.md": b"---\nlicense: apache-2.0\n---\n# Open data\n",
                "config.json": b'{"rows": 1}\n',
            },
            author=lab.owner,
        ),
        True: commit_files(
            private,
            {"README.md": PRIVATE_DATASET_README, "secret.txt": b"zz private row\n"},
            author=lab.owner,
            title="zz private commit",
        ),
    }
    return {False: public, True: private}, heads


@pytest.fixture
def world(db) -> World:
    lab = build_lab()
    public_discussion = discussion_create(
        repo=lab.public, author=lab.owner, title="Public question"
    )
    like_add(user=lab.owner, repo=lab.public)
    like_add(user=lab.owner, repo=lab.private)
    review_ids = {
        private: review_submit(
            repo=repo, author=lab.reader, commit=head, rating=4, text="Fine"
        )[0].pk
        for private, repo, head in (
            (False, lab.public, lab.public_head),
            (True, lab.private, lab.private_head),
        )
    }

    from hub.jobs.evalsuite import CAUSAL_LM
    from hub.jobs.models import EvalRun

    eval_run_ids = {
        private: EvalRun.objects.create(
            commit=head,
            owner=repo.namespace,
            evaluator=CAUSAL_LM,
            suite_version="test",
            checkpoint="model.safetensors",
        ).pk
        for private, repo, head in (
            (False, lab.public, lab.public_head),
            (True, lab.private, lab.private_head),
        )
    }

    def secret(**kwargs: Any) -> str:
        return token_create(user=lab.owner, name="t", **kwargs)[1]

    owner_write = secret(scope="write")
    owner_read = secret(scope="read")
    restricted = secret(scope="write", repo_ids=["lab/open-model"])
    stranger = token_create(user=lab.stranger, name="s", scope="write")[1]
    private_blob = (
        lab.private_head.entries.filter(path="secret.txt").values_list(
            "blob_id", flat=True
        )
    ).get()
    datasets, dataset_heads = _lab_datasets(lab)
    return World(
        lab=lab,
        public_discussion_num=public_discussion.num,
        review_ids=review_ids,
        eval_run_ids=eval_run_ids,
        secrets={
            "name": PRIVATE_NAME,
            "commit": lab.private_head.oid,
            "blob": private_blob,
            "tag": "zz-hidden-tag",
            "title": PRIVATE_TITLE,
            "commit title": "zz private commit",
            "dataset commit": dataset_heads[True].oid,
            "task category": "zz-hidden-task",
        },
        actors={
            "anonymous": lambda: client_for(),
            "stranger": lambda: client_for(stranger),
            "restricted_token": lambda: client_for(restricted),
            "org_reader": lambda: client_for(user=lab.reader),
            "owner": lambda: client_for(owner_write),
            "read_token": lambda: client_for(owner_read),
        },
        datasets=datasets,
        dataset_heads=dataset_heads,
    )


NO_ACCESS = ["anonymous", "stranger", "restricted_token"]
ACCESS = ["org_reader", "owner", "read_token"]
# Routes for the repo's admins only: readers see the repo but get a 403.
ADMIN_ONLY_ROUTES = {"api-v1-repo-access-request-list"}

# Query strings for root-level lists: search, filter and facet by what only
# the private repo has (unknown parameters are ignored by other lists).
LIST_QUERIES = [
    {},
    {"facets": "all"},
    {"search": "zz-hidden"},
    {"author": "lab", "facets": "all"},
    {"tag": "zz-hidden-tag", "facets": "all"},
    {"license": "mit", "facets": "all"},
    {"sort": "likes"},
    {"task_category": "zz-hidden-task", "facets": "all"},
    {"file_format": "text", "facets": "all"},
]


def _url(world: World, name: str, kwargs: tuple[str, ...], *, private: bool) -> str:
    lab = world.lab
    values: dict[str, Any] = {}
    for key in kwargs:
        if key == "namespace":
            values[key] = "lab"
        elif key == "name":
            repo_name = PRIVATE_NAME if private else "open-model"
            values[key] = repo_name if "namespace" in kwargs else "lab"
        elif key == "path":
            values[key] = "secret.txt" if private else "config.json"
        elif key == "oid" and "dataset" in name:
            values[key] = world.dataset_heads[private].oid
        elif key == "oid":
            values[key] = (lab.private_head if private else lab.public_head).oid
        elif key == "num":
            values[key] = (
                lab.private_discussion.num if private else world.public_discussion_num
            )
        elif key == "id":
            values[key] = "mit"
        elif key in ("org",):
            values[key] = "lab"
        elif key == "username":
            values[key] = "owner"
        elif key == "review_id":
            values[key] = world.review_ids[private]
        elif key == "run_id":
            values[key] = world.eval_run_ids[private]
        elif key == "evaluator":
            from hub.jobs.evalsuite import CAUSAL_LM

            values[key] = CAUSAL_LM
        else:
            raise AssertionError(
                f"Route {name} takes {key!r}: teach test_permission_matrix a value."
            )
    url = reverse(name, kwargs=values)
    if name == "api-v1-repo-compare":
        head = (lab.private_head if private else lab.public_head).oid
        url += f"?base={head}&head=main"
    return url


def _requests(world: World, name: str, kwargs: tuple[str, ...]) -> list[str]:
    """The URLs to try on a route, aimed at nothing private."""
    url = _url(world, name, kwargs, private=False)
    if kwargs:
        return [url]
    return [
        url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        for query in LIST_QUERIES
    ]


def _snapshot(client: APIClient, urls: list[str]) -> list[tuple[int, str]]:
    answers = []
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, (url, response.content[:500])
        answers.append((response.status_code, response.content.decode()))
    return answers


def test_matrix_covers_the_resource_and_model_routes():
    names = {name for name, _ in ROUTES}
    assert {
        "api-v1-repo-tree",
        "api-v1-repo-file",
        "api-v1-repo-commit-list",
        "api-v1-repo-commit-detail",
        "api-v1-repo-compare",
        "api-v1-repo-checks",
        "api-v1-repo-commit-checks",
        "api-v1-repo-refs",
        "api-v1-repo-discussion-list",
        "api-v1-repo-discussion-detail",
        "api-v1-license-list",
        "api-v1-license-detail",
        "api-v1-organization-detail",
        "api-v1-organization-member-list",
        "api-v1-token-list",
        "api-v1-user-like-list",
        "api-v1-dataset-list",
        "api-v1-dataset-detail",
        "api-v1-dataset-tree",
        "api-v1-dataset-file",
        "api-v1-dataset-commit-list",
        "api-v1-dataset-commit-detail",
    } <= names
    assert any(name.startswith("api-v1-model") for name in names), names


@pytest.mark.parametrize("actor", NO_ACCESS)
@pytest.mark.parametrize(("route", "kwargs"), ROUTES, ids=[n for n, _ in ROUTES])
def test_private_repo_is_invisible_without_access(world, route, kwargs, actor):
    client = world.actors[actor]()
    if "namespace" in kwargs:
        private_url = _url(world, route, kwargs, private=True)
        response = client.get(private_url)
        assert response.status_code == 404, (private_url, response.content[:300])
        assert response.json()["error"]["code"] in ("repo_not_found", "not_found")

    urls = _requests(world, route, kwargs)
    before = _snapshot(client, urls)
    for url, (_, body) in zip(urls, before, strict=True):
        for what, value in world.secrets.items():
            if value in url:
                continue  # echoed from the query (``next`` links), not a leak
            assert value not in body, f"{url} shows the private {what} to {actor}"

    repo_delete(repo=world.lab.private)
    repo_delete(repo=world.datasets[True])
    after = _snapshot(client, urls)
    for url, was, now in zip(urls, before, after, strict=True):
        assert was == now, f"{url} changes for {actor} when the private repo goes"


@pytest.mark.parametrize("actor", ACCESS)
@pytest.mark.parametrize(
    ("route", "kwargs"),
    [(n, k) for n, k in ROUTES if "namespace" in k],
    ids=[n for n, k in ROUTES if "namespace" in k],
)
def test_private_repo_routes_answer_those_with_access(world, route, kwargs, actor):
    url = _url(world, route, kwargs, private=True)

    response = world.actors[actor]().get(url)

    expected = 403 if route in ADMIN_ONLY_ROUTES and actor != "owner" else 200
    assert response.status_code == expected, (url, response.content[:300])


@pytest.mark.parametrize("actor", ACCESS)
def test_owner_likes_show_the_private_repo_to_those_with_access(world, actor):
    response = world.actors[actor]().get("/api/v1/users/owner/likes")

    assert PRIVATE_NAME in response.content.decode()
