"""``/api/datasets`` lists (issue 18): a dataset's tags name its files'
formats, read for a whole page at once (a fixed number of queries), and the
tag filters give the same answers on PostgreSQL and SQLite.
"""

from __future__ import annotations

import pytest

from hub.catalog.services.refs import branch_create
from tests.factories import commit_files, make_repo, make_user_with_token

pytestmark = pytest.mark.django_db

CARD = (
    b"---\nlicense: mit\ntask_categories: [translation]\nsize_categories: n<1K\n---\n"
)


@pytest.fixture
def maya():
    return make_user_with_token("maya")


def test_list_datasets_does_a_fixed_number_of_queries(
    client, maya, django_assert_max_num_queries
):
    for number in range(30):
        repo = make_repo(maya[0], f"d-{number}", repo_type="dataset")
        files = {"README.md": CARD, f"data/train-{number}.parquet": b"PAR1"}
        if number % 2:
            files["extra.jsonl"] = b"{}\n"
        commit_files(repo, files, author=maya[0])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {maya[1]}"}
    with django_assert_max_num_queries(9):
        response = client.get("/api/datasets", {"full": "true"}, **auth)
    assert response.status_code == 200
    items = {item["id"]: item for item in response.json()}
    assert len(items) == 30
    assert items["maya/d-1"]["tags"] == [
        "task_categories:translation",
        "size_categories:n<1K",
        "format:parquet",
        "format:json",
        "modality:tabular",
        "license:mit",
    ]
    assert "format:json" not in items["maya/d-2"]["tags"]


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("format:json", {"maya/odd"}),
        ("format:parquet", {"maya/odd", "maya/even"}),
        ("format:webdataset", set()),
        ("format:nonsense", set()),
        ("modality:image", set()),
        ("task_categories:translation", {"maya/even"}),
        ("size_categories:n<1K", {"maya/even"}),
        ("license:mit", {"maya/even"}),
        ("translation", set()),
    ],
)
def test_dataset_tag_filters(client, maya, tag, expected):
    odd = make_repo(maya[0], "odd", repo_type="dataset")
    commit_files(odd, {"a.parquet": b"PAR1", "b.JSONL": b"{}\n"}, author=maya[0])
    even = make_repo(maya[0], "even", repo_type="dataset")
    commit_files(even, {"README.md": CARD, "a.parquet": b"PAR1"}, author=maya[0])
    # A later branch's files do not tag the dataset: the tags describe main.
    branch_create(repo=odd, name="wip", revision="main")
    commit_files(odd, {"c.tar": b"x"}, author=maya[0], revision="wip")
    response = client.get("/api/datasets", {"filter": tag})
    assert response.status_code == 200
    assert {item["id"] for item in response.json()} == expected
