"""/api/v1/datasets: list (filters, facets, sorts, cursor), detail (card,
files, viewer, lineage) and the models' ``dataset_links``; visibility from
the other side: a stranger, anonymous callers, a read token and a token
limited to one dataset.

The world: ``alice`` holds public datasets ``alice/reviews`` (CSV, text
classification, 1K<n<10K) and ``alice/corpus`` (Parquet and text, text
generation, n<1K), a private dataset ``alice/zz-secret-data`` and a model
``alice/reviews`` (a model and a dataset may share an id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from django.core.cache import cache
from rest_framework.test import APIClient

from hub.accounts.models import User
from hub.accounts.services import token_create
from hub.catalog.facets import repo_facets_refresh
from hub.catalog.models import ModelRepo
from hub.viewer.services import blob_previews_request
from tests.factories import commit_files, make_repo, make_user
from workers.viewer import preview_blob

LIST = "/api/v1/datasets"
SECRET = "zz-secret-data"


def card(**meta: Any) -> bytes:
    return f"---\n{yaml.safe_dump(meta, sort_keys=True)}---\n# Card\n".encode()


def client_for(secret: str | None = None, user: User | None = None) -> APIClient:
    client = APIClient()
    if secret is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    if user is not None:
        client.force_login(user)
    return client


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def facet(response: Any, name: str) -> dict[str, int]:
    return {row["value"]: row["count"] for row in response.json()["facets"][name]}


@dataclass
class World:
    alice: User
    stranger: User
    reviews: ModelRepo
    corpus: ModelRepo
    secret: ModelRepo
    model: ModelRepo
    hidden_model: ModelRepo


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def world(db) -> World:
    alice = make_user("alice")
    stranger = make_user("stranger")
    reviews = make_repo(alice, "reviews", repo_type="dataset")
    commit_files(
        reviews,
        {
            "README.md": card(
                license="mit",
                language=["en"],
                task_categories=["text-classification"],
                size_categories=["1K<n<10K"],
            ),
            "data/train.csv": b"text,label\ngood,1\nbad,0\n",
        },
    )
    corpus = make_repo(alice, "corpus", repo_type="dataset")
    commit_files(
        corpus,
        {
            "README.md": card(
                license="apache-2.0",
                language=["en", "fr"],
                task_categories=["text-generation"],
                size_categories=["n<1K"],
            ),
            "train.parquet": b"PAR1 not really parquet",
            "notes.txt": b"hello\n",
        },
    )
    secret = make_repo(alice, SECRET, repo_type="dataset", is_private=True)
    commit_files(
        secret,
        {
            "README.md": card(
                license="gpl-3.0",
                task_categories=["graph-ml"],
                size_categories=["n<1K"],
            ),
            "rows.jsonl": b'{"a": 1}\n',
        },
    )
    model = make_repo(alice, "reviews")
    commit_files(
        model,
        {"README.md": card(license="mit", datasets=["alice/reviews", SECRET_ID])},
    )
    hidden_model = make_repo(alice, "zz-hidden-model", is_private=True)
    commit_files(hidden_model, {"README.md": card(datasets=["alice/reviews"])})
    return World(alice, stranger, reviews, corpus, secret, model, hidden_model)


SECRET_ID = f"alice/{SECRET}"


def test_lists_only_datasets_newest_first_with_cursor_pages(world):
    response = client_for().get(LIST, {"sort": "created", "limit": "1"})

    assert ids(response) == ["alice/corpus"]
    following = client_for().get(response.json()["next"])
    assert ids(following) == ["alice/reviews"]
    assert following.json()["next"] is None
    item = following.json()["results"][0]
    assert item["task_categories"] == ["text-classification"]
    assert item["size_categories"] == ["1K<n<10K"]
    assert item["license"] == "mit"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"task_category": "text-classification"}, ["alice/reviews"]),
        ({"size_category": "n<1K"}, ["alice/corpus"]),
        ({"file_format": "parquet"}, ["alice/corpus"]),
        ({"file_format": ["parquet", "text"]}, ["alice/corpus"]),
        ({"file_format": "csv"}, ["alice/reviews"]),
        ({"file_format": "json"}, []),
        ({"license": "mit"}, ["alice/reviews"]),
        ({"language": "fr"}, ["alice/corpus"]),
        ({"search": "corpus"}, ["alice/corpus"]),
        ({"author": "alice", "sort": "created"}, ["alice/corpus", "alice/reviews"]),
    ],
)
def test_filters_narrow_the_visible_datasets(world, query, expected):
    assert ids(client_for().get(LIST, query)) == expected


def test_facets_count_the_filtered_visible_set(world):
    response = client_for().get(LIST, {"facets": "all"})

    assert facet(response, "file_format") == {"parquet": 1, "csv": 1, "text": 1}
    assert facet(response, "task_category") == {
        "text-classification": 1,
        "text-generation": 1,
    }
    assert facet(response, "size_category") == {"1K<n<10K": 1, "n<1K": 1}
    assert facet(response, "license") == {"mit": 1, "apache-2.0": 1}
    assert facet(response, "language") == {"en": 2, "fr": 1}

    narrowed = client_for().get(LIST, {"facets": "file_format", "license": "mit"})
    assert facet(narrowed, "file_format") == {"csv": 1}


def test_owner_sees_and_counts_the_private_dataset(world):
    owner = client_for(user=world.alice)

    response = owner.get(LIST, {"facets": "file_format,task_category"})

    assert SECRET_ID in ids(response)
    assert facet(response, "file_format")["json"] == 1
    assert facet(response, "task_category")["graph-ml"] == 1


@pytest.mark.parametrize("actor", ["anonymous", "stranger"])
def test_private_dataset_is_absent_for_others(world, actor):
    client = client_for(user=world.stranger if actor == "stranger" else None)

    listed = client.get(LIST, {"facets": "all", "task_category": "graph-ml"})
    detail = client.get(f"{LIST}/{SECRET_ID}")

    assert ids(listed) == []
    assert "zz-hidden" not in listed.content.decode()
    assert detail.status_code == 404
    assert client.get(f"{LIST}/{SECRET_ID}/tree").status_code == 404


def test_token_limited_to_the_dataset_reaches_only_it(world):
    secret = token_create(
        user=world.alice, name="one", scope="read", repo_ids=[f"datasets/{SECRET_ID}"]
    )[1]
    client = client_for(secret)

    assert client.get(f"{LIST}/{SECRET_ID}").status_code == 200
    assert SECRET_ID in ids(client.get(LIST))
    # The same id as a model is another repo: not reached by this token.
    assert client.get("/api/v1/models/alice/zz-hidden-model").status_code == 404
    models = client.get(f"{LIST}/alice/reviews").json()["models"]
    assert [m["id"] for m in models] == ["alice/reviews"]


def test_read_token_sees_private_dataset(world):
    secret = token_create(user=world.alice, name="r", scope="read")[1]

    response = client_for(secret).get(f"{LIST}/{SECRET_ID}")

    assert response.status_code == 200
    assert response.json()["private"] is True


def test_detail_has_card_files_viewer_and_models(world):
    response = client_for().get(f"{LIST}/alice/reviews")

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["id"] == "alice/reviews"
    assert data["card_data"]["task_categories"] == ["text-classification"]
    paths = [f["path"] for f in data["files"]]
    assert {"README.md", "data/train.csv"} <= set(paths)
    assert data["sha"] == world.reviews.refs.get(name="main").commit.oid
    assert data["license"]["id"] == "mit"
    splits = [s["name"] for c in data["viewer"]["configs"] for s in c["splits"]]
    assert splits == ["train"]
    # The private model naming it is left out for an anonymous caller.
    assert [m["id"] for m in data["models"]] == ["alice/reviews"]

    owner = client_for(user=world.alice).get(f"{LIST}/alice/reviews").json()
    assert sorted(m["id"] for m in owner["models"]) == [
        "alice/reviews",
        "alice/zz-hidden-model",
    ]


def test_model_detail_links_the_datasets_it_names(world):
    url = "/api/v1/models/alice/reviews"

    anonymous = client_for().get(url).json()["dataset_links"]
    owner = client_for(user=world.alice).get(url).json()["dataset_links"]

    assert anonymous == [
        {"id": "alice/reviews", "on_hub": True},
        {"id": SECRET_ID, "on_hub": False},
    ]
    assert owner[1] == {"id": SECRET_ID, "on_hub": True}


def test_dataset_tree_and_commits_under_the_datasets_prefix(world):
    client = client_for()

    tree = client.get(f"{LIST}/alice/reviews/tree", {"recursive": "true"})
    commits = client.get(f"{LIST}/alice/reviews/commits")

    assert tree.status_code == 200, tree.content
    files = {i["path"]: i for i in tree.json()["results"] if i["type"] == "file"}
    assert files["data/train.csv"]["download_url"].endswith(
        "/datasets/alice/reviews/resolve/"
        + world.reviews.refs.get(name="main").commit.oid
        + "/data/train.csv"
    )
    assert commits.status_code == 200
    # The model alice/reviews has one commit of its own, not listed here.
    assert client.get("/api/v1/models/alice/corpus").status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"file_format": "zip"}, "file_format"),
        ({"facets": "library"}, "facets"),
        ({"sort": "sideways"}, "sort"),
        ({"license": "no-such-license"}, "license"),
        ({"cursor": "bm9wZQ=="}, "cursor"),
    ],
)
def test_bad_queries_are_400_with_the_field(world, query, field):
    response = client_for().get(LIST, query)

    assert response.status_code == 400, response.content
    assert field in response.content.decode()


def test_list_query_count_does_not_grow_with_the_page(
    world, django_assert_max_num_queries
):
    for n in range(5):
        repo = make_repo(world.alice, f"extra-{n}", repo_type="dataset")
        commit_files(repo, {"README.md": card(task_categories=["other"])})
    client = client_for(user=world.alice)
    client.get(LIST, {"facets": "all"})  # warms the session and the cache

    with django_assert_max_num_queries(12):
        response = client.get(LIST, {"facets": "all", "limit": "100"})

    assert len(ids(response)) == 8


def test_worker_recomputes_a_dataset_query_by_its_type(world):
    query = {"repo_type": ["dataset"], "file_format": ["csv"]}

    assert repo_facets_refresh(params=query, names=["file_format", "_total"]) is True
    assert repo_facets_refresh(params={"repo_type": ["nope"]}) is False
    # The counts it stored are the ones a request with that query reads.
    response = client_for().get(LIST, {"file_format": "csv", "facets": "file_format"})
    assert facet(response, "file_format") == {"csv": 1}


def test_viewer_rows_reach_only_callers_who_may_download(world):
    ModelRepo.objects.filter(pk=world.reviews.pk).update(gated=ModelRepo.Gated.MANUAL)
    head = world.reviews.refs.get(name="main").commit
    for preview in blob_previews_request(commit=head):
        preview_blob.apply(args=(preview.pk,))

    def train(client: APIClient) -> dict[str, Any]:
        viewer = client.get(f"{LIST}/alice/reviews").json()["viewer"]
        return viewer["configs"][0]["splits"][0]

    owner, visitor = train(client_for(user=world.alice)), train(client_for())
    assert owner["rows"] == [{"text": "good", "label": 1}, {"text": "bad", "label": 0}]
    assert owner["num_rows"] == 2
    assert [c["name"] for c in owner["features"]] == ["text", "label"]
    assert visitor["rows"] == []
    assert visitor["files"][0]["status"] == "withheld"


def test_a_category_written_as_one_string_is_found_and_counted(world):
    plain = make_repo(world.alice, "plain", repo_type="dataset")
    commit_files(
        plain,
        {
            "README.md": card(
                task_categories="text-classification", size_categories="n<1K"
            ),
            "data.csv": b"a\n1\n",
        },
    )
    found = client_for().get(
        LIST, {"task_category": "text-classification", "size_category": "n<1K"}
    )
    assert ids(found) == ["alice/plain"]
    counted = client_for().get(LIST, {"facets": "task_category,size_category"})
    assert facet(counted, "task_category")["text-classification"] == 2
    assert facet(counted, "size_category")["n<1K"] == 2
