"""History, commit details, refs, branches and tags."""

from __future__ import annotations

from hub.catalog.models import Ref
from hub.catalog.services.refs import branch_create, tag_create
from tests.api.v1.fixtures_resources import (  # noqa: F401 - fixtures
    PRIVATE_NAME,
    client_for,
    lab_fixture,
    no_throttle,
    token_for,
)
from tests.factories import commit_files

REPO = "/api/v1/models/lab/open-model"


def _commit_many(lab, n):
    return [
        commit_files(
            lab.public, {f"f{i}.txt": b"%d" % i}, author=lab.owner, title=f"c{i}"
        )
        for i in range(n)
    ]


def test_commits_are_newest_first_and_follow_the_cursor(lab):
    _commit_many(lab, 4)
    client = client_for()

    first = client.get(f"{REPO}/commits", {"limit": 3}).json()
    second = client.get(first["next"]).json()

    assert [c["title"] for c in first["results"]] == ["c3", "c2", "c1"]
    assert first["next"].startswith("http://testserver/api/v1/")
    assert [c["title"] for c in second["results"]] == [
        "c0",
        "Add model",
        "initial commit",
    ]
    assert second["next"] is None
    author = first["results"][0]["author"]
    assert author["name"] == "owner"
    assert first["results"][0]["created_at"].endswith("Z")


def test_cursor_pages_stay_stable_when_the_branch_moves(lab):
    _commit_many(lab, 3)
    client = client_for()
    first = client.get(f"{REPO}/commits", {"limit": 2}).json()

    commit_files(lab.public, {"late.txt": b"late"}, author=lab.owner, title="late")
    second = client.get(first["next"]).json()

    assert [c["title"] for c in second["results"]] == [
        "c0",
        "Add model",
    ]


def test_commits_filtered_by_path(lab):
    _commit_many(lab, 2)
    commit_files(lab.public, {"docs/guide.md": b"v2\n"}, author=lab.owner, title="doc")

    response = client_for().get(f"{REPO}/commits", {"path": "docs"})

    assert [c["title"] for c in response.json()["results"]] == ["doc", "Add model"]


def test_commits_reject_a_malformed_cursor(lab):
    response = client_for().get(f"{REPO}/commits", {"cursor": "not-an-oid"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_commit_list_query_count_is_bounded(lab, django_assert_max_num_queries):
    _commit_many(lab, 25)

    with django_assert_max_num_queries(6):
        response = client_for().get(f"{REPO}/commits", {"limit": 20})

    assert len(response.json()["results"]) == 20


def test_commit_detail_has_parents_changes_diffs_and_checks(lab):
    head = commit_files(
        lab.public,
        {"config.json": b'{"hidden_size": 9}\n', "new.txt": b"hello\n"},
        author=lab.owner,
        title="Tune",
    )

    response = client_for().get(f"{REPO}/commits/{head.oid}")

    assert response.status_code == 200
    body = response.json()
    assert body["oid"] == head.oid
    assert body["parents"] == [lab.public_head.oid]
    changes = {c["path"]: c for c in body["changes"]}
    assert changes["new.txt"]["status"] == "added"
    assert changes["new.txt"]["diff"].endswith("+hello\n")
    assert changes["config.json"]["status"] == "modified"
    assert body["checks"]["state"] == "pending"
    assert body["checks"]["total"] == body["checks"]["counts"]["queued"]
    assert response["ETag"]


def test_commit_and_compare_hide_file_content_of_a_gated_repo_before_access(lab):
    from hub.catalog.services.repos import repo_update_settings

    head = commit_files(
        lab.public, {"notes.txt": b"terms first\n"}, author=lab.owner, title="Add"
    )
    repo_update_settings(repo=lab.public, gated="manual")
    base = lab.public_head.oid

    for client, shown in (
        (client_for(), False),
        (client_for(user=lab.stranger), False),
        (client_for(user=lab.owner), True),
    ):
        detail = client.get(f"{REPO}/commits/{head.oid}").json()
        compare = client.get(f"{REPO}/compare", {"base": base, "head": head.oid})
        (change,) = [c for c in detail["changes"] if c["path"] == "notes.txt"]
        (file,) = [f for f in compare.json()["files"] if f["path"] == "notes.txt"]
        assert (change["diff"] is not None) is shown
        assert (file["diff"] is not None) is shown
        assert ("terms first" in str(detail) + str(compare.json())) is shown


def test_commit_of_another_repo_is_404(lab):
    response = client_for().get(f"{REPO}/commits/{lab.private_head.oid}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "revision_not_found"


def test_refs_list_branches_tags_and_pull_requests(lab):
    branch_create(repo=lab.public, name="dev")
    tag_create(repo=lab.public, name="v1.0")

    response = client_for().get(f"{REPO}/refs")

    assert response.status_code == 200
    body = response.json()
    assert [r["name"] for r in body["branches"]] == ["dev", "main"]
    assert body["tags"] == [
        {
            "name": "v1.0",
            "kind": "tag",
            "target_commit": lab.public_head.oid,
            "updated_at": body["tags"][0]["updated_at"],
        }
    ]
    assert body["pull_requests"] == []


def test_writer_creates_and_deletes_a_branch_with_a_slash(lab):
    client = client_for(token_for(lab.owner))

    created = client.post(
        f"{REPO}/branches", {"name": "feature/a", "revision": lab.public_head.oid}
    )
    deleted = client.delete(f"{REPO}/branches/feature/a")

    assert created.status_code == 201
    assert created.json()["target_commit"] == lab.public_head.oid
    assert deleted.status_code == 204
    assert not Ref.objects.filter(repo=lab.public, name="feature/a").exists()


def test_existing_branch_is_409_and_main_cannot_be_deleted(lab):
    client = client_for(token_for(lab.owner))

    taken = client.post(f"{REPO}/branches", {"name": "main"})
    main = client.delete(f"{REPO}/branches/main")

    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "ref_exists"
    assert main.status_code == 400


def test_tags_are_created_and_deleted_by_writers(lab):
    client = client_for(token_for(lab.owner))

    created = client.post(f"{REPO}/tags", {"name": "v2"})
    deleted = client.delete(f"{REPO}/tags/v2")
    missing = client.delete(f"{REPO}/tags/v2")

    assert created.status_code == 201
    assert created.json()["kind"] == "tag"
    assert deleted.status_code == 204
    assert missing.status_code == 404


def test_ref_writes_need_write_access(lab):
    anonymous = client_for().post(f"{REPO}/branches", {"name": "x"})
    reader_token = client_for(token_for(lab.reader, "read")).post(
        f"{REPO}/tags", {"name": "x"}
    )
    reader_member = client_for(token_for(lab.reader)).post(
        f"{REPO}/tags", {"name": "x"}
    )
    stranger_private = client_for(token_for(lab.stranger)).post(
        f"/api/v1/models/lab/{PRIVATE_NAME}/branches", {"name": "x"}
    )
    owner_read_token = client_for(token_for(lab.owner, "read")).post(
        f"{REPO}/branches", {"name": "x"}
    )

    assert anonymous.status_code == 401
    assert reader_token.status_code == 403
    assert reader_member.status_code == 403
    assert stranger_private.status_code == 404
    assert owner_read_token.status_code == 403
    assert not Ref.objects.filter(name="x").exists()


def test_session_writes_need_a_csrf_token(lab):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(lab.owner)

    response = client.post(f"{REPO}/tags", {"name": "v9"})

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


def test_refs_query_count_does_not_grow_with_refs(lab, django_assert_max_num_queries):
    for i in range(10):
        tag_create(repo=lab.public, name=f"v{i}")

    with django_assert_max_num_queries(4):
        response = client_for().get(f"{REPO}/refs")

    assert len(response.json()["tags"]) == 10
