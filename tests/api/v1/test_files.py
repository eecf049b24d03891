"""Files at a revision: tree listings, one file's metadata, compare."""

from __future__ import annotations

from hub.catalog.services.refs import branch_create
from hub.jobs.models import ValidationRun
from tests.api.v1.fixtures_resources import (  # noqa: F401 - fixtures
    PRIVATE_NAME,
    client_for,
    lab_fixture,
    no_throttle,
    token_for,
)
from tests.factories import commit_files

TREE = "/api/v1/models/lab/open-model/tree"


def test_tree_lists_folders_first_then_files_with_download_urls(lab):
    response = client_for().get(TREE)

    assert response.status_code == 200
    results = response.json()["results"]
    assert [(i["type"], i["path"]) for i in results] == [
        ("directory", "docs"),
        ("file", ".gitattributes"),
        ("file", "README.md"),
        ("file", "config.json"),
        ("file", "model.safetensors"),
    ]
    folder = results[0]
    assert folder["size"] is None and folder["download_url"] is None
    weights = results[-1]
    assert weights["is_lfs"] is True
    assert weights["size"] == 70
    assert len(weights["sha256"]) == 64 and len(weights["git_oid"]) == 40
    assert weights["download_url"] == (
        f"http://testserver/lab/open-model/resolve/{lab.public_head.oid}"
        "/model.safetensors"
    )


def test_tree_lists_a_folder_recursively_at_a_revision_with_a_slash(lab):
    branch_create(repo=lab.public, name="feature/x")
    commit_files(
        lab.public, {"docs/deep/a.md": b"a\n"}, author=lab.owner, revision="feature/x"
    )

    response = client_for().get(
        TREE, {"revision": "feature/x", "path": "docs", "recursive": "true"}
    )

    assert response.status_code == 200
    assert [i["path"] for i in response.json()["results"]] == [
        "docs/deep",
        "docs/deep/a.md",
        "docs/guide.md",
    ]
    main = client_for().get(TREE, {"path": "docs", "recursive": "true"})
    assert [i["path"] for i in main.json()["results"]] == ["docs/guide.md"]


def test_tree_is_paginated_with_limit_and_offset(lab):
    response = client_for().get(TREE, {"limit": 2, "offset": 1})

    body = response.json()
    assert body["count"] == 5
    assert [i["path"] for i in body["results"]] == [".gitattributes", "README.md"]
    assert body["next"].startswith("http://testserver/api/v1/models/lab/open-model/")


def test_tree_of_unknown_revision_or_path_is_404(lab):
    client = client_for()

    missing_revision = client.get(TREE, {"revision": "nope"})
    missing_path = client.get(TREE, {"path": "nope"})

    assert missing_revision.status_code == 404
    assert missing_revision.json()["error"]["code"] == "revision_not_found"
    assert missing_path.status_code == 404
    assert missing_path.json()["error"]["code"] == "entry_not_found"


def test_tree_query_count_does_not_grow_with_files(lab, django_assert_max_num_queries):
    commit_files(
        lab.public,
        {f"many/file{i}.txt": b"x%d" % i for i in range(30)},
        author=lab.owner,
    )

    with django_assert_max_num_queries(6):
        response = client_for().get(TREE, {"recursive": "true", "limit": "100"})

    assert response.json()["count"] == 2 + 5 + 30  # folders, files, new files


def test_file_detail_shows_hashes_and_latest_validation(lab):
    ValidationRun.objects.filter(
        commit=lab.public_head, path="model.safetensors"
    ).update(status="succeeded", verdict="passed", findings=[])

    response = client_for().get("/api/v1/models/lab/open-model/files/model.safetensors")

    assert response.status_code == 200
    body = response.json()
    assert body["path"] == "model.safetensors"
    assert body["commit"] == lab.public_head.oid
    assert body["is_lfs"] is True
    assert body["is_quarantined"] is False
    assert body["download_url"].endswith(
        f"/lab/open-model/resolve/{lab.public_head.oid}/model.safetensors"
    )
    assert body["validation"]["status"] == "succeeded"
    assert body["validation"]["verdict"] == "passed"


def test_file_detail_of_a_nested_path_at_a_commit_id(lab):
    response = client_for().get(
        "/api/v1/models/lab/open-model/files/docs/guide.md",
        {"revision": lab.public_head.oid},
    )

    assert response.status_code == 200
    assert response.json()["size"] == len(b"# Guide\n")


def test_file_detail_answers_304_to_a_matching_etag(lab):
    client = client_for()
    url = "/api/v1/models/lab/open-model/files/config.json"
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_file_of_a_private_repo_is_404_for_strangers_and_200_for_members(lab):
    url = f"/api/v1/models/lab/{PRIVATE_NAME}/files/secret.txt"

    stranger = client_for(token_for(lab.stranger)).get(url)
    member = client_for(token_for(lab.reader, "read")).get(url)

    assert stranger.status_code == 404
    assert stranger.json()["error"]["code"] == "repo_not_found"
    assert member.status_code == 200


def test_compare_lists_changes_with_text_diffs(lab):
    head = commit_files(
        lab.public,
        {"config.json": b'{"hidden_size": 16}\n', "model.safetensors": b"new"},
        author=lab.owner,
        title="Resize",
    )

    response = client_for().get(
        "/api/v1/models/lab/open-model/compare",
        {"base": lab.public_head.oid, "head": "main"},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["base"] == {"revision": lab.public_head.oid, "oid": lab.public_head.oid}
    assert body["head"]["oid"] == head.oid
    files = {f["path"]: f for f in body["files"]}
    assert set(files) == {"config.json", "model.safetensors"}
    assert files["config.json"]["status"] == "modified"
    assert '-{"hidden_size": 8}\n+{"hidden_size": 16}' in files["config.json"]["diff"]
    assert files["model.safetensors"]["is_lfs"] is True
    assert files["model.safetensors"]["diff"] is None
    assert body["diff_truncated"] is False


def test_compare_needs_both_revisions(lab):
    response = client_for().get(
        "/api/v1/models/lab/open-model/compare", {"base": "main"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "head" in response.json()["error"]["details"]
