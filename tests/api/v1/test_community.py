"""Likes, discussions, comments and pull request merges."""

from __future__ import annotations

from hub.catalog.models import Ref
from hub.catalog.services.operations import AddFile
from hub.community.models import Discussion, Like
from hub.community.services.comments import comment_create, comment_hide
from hub.community.services.discussions import discussion_create
from hub.community.services.likes import like_add
from hub.community.services.pull_requests import pull_request_create_with_commit
from hub.jobs.models import ValidationRun
from hub.storage.services import blob_upload_bytes
from tests.api.v1.fixtures_resources import (  # noqa: F401 - fixtures
    PRIVATE_NAME,
    client_for,
    lab_fixture,
    no_throttle,
    token_for,
)

REPO = "/api/v1/models/lab/open-model"

# Likes ------------------------------------------------------------------------


def test_like_and_unlike_are_idempotent(lab):
    client = client_for(token_for(lab.stranger))

    first = client.post(f"{REPO}/like")
    second = client.post(f"{REPO}/like")
    removed = client.delete(f"{REPO}/like")

    assert first.status_code == 200
    assert first.json() == {"liked": True, "likes": 1}
    assert second.json() == {"liked": True, "likes": 1}
    assert removed.json() == {"liked": False, "likes": 0}


def test_likes_need_a_write_token_and_a_visible_repo(lab):
    read = client_for(token_for(lab.stranger, "read")).post(f"{REPO}/like")
    anonymous = client_for().post(f"{REPO}/like")
    private = client_for(token_for(lab.stranger)).post(
        f"/api/v1/models/lab/{PRIVATE_NAME}/like"
    )
    elsewhere = client_for(token_for(lab.stranger, repo_ids=["lab/other"])).post(
        f"{REPO}/like"
    )

    assert read.status_code == 403
    assert anonymous.status_code == 401
    assert private.status_code == 404
    assert elsewhere.status_code == 403
    assert not Like.objects.exists()


def test_user_likes_leave_out_repos_the_viewer_cannot_see(
    lab, django_assert_max_num_queries
):
    like_add(user=lab.owner, repo=lab.public)
    like_add(user=lab.owner, repo=lab.private)

    with django_assert_max_num_queries(4):
        anonymous = client_for().get("/api/v1/users/owner/likes")
    member = client_for(token_for(lab.reader, "read")).get("/api/v1/users/owner/likes")

    assert [i["repo"] for i in anonymous.json()["results"]] == ["lab/open-model"]
    assert [i["repo"] for i in member.json()["results"]] == [
        f"lab/{PRIVATE_NAME}",
        "lab/open-model",
    ]
    assert client_for().get("/api/v1/users/nobody/likes").status_code == 404


# Discussions ------------------------------------------------------------------


def _pull_request(lab, *, title="Better config"):
    blob = blob_upload_bytes(data=b'{"hidden_size": 32}\n')
    pr, commit = pull_request_create_with_commit(
        repo=lab.public,
        author=lab.stranger,
        base_branch="main",
        operations=[AddFile("config.json", blob.sha256)],
        title=title,
    )
    return pr, commit


def test_discussion_list_is_newest_first_and_filtered(
    lab, django_assert_max_num_queries
):
    for i in range(3):
        discussion_create(repo=lab.public, author=lab.owner, title=f"Question {i}")
    _pull_request(lab)

    with django_assert_max_num_queries(5):
        everything = client_for().get(f"{REPO}/discussions")
    prs = client_for().get(f"{REPO}/discussions", {"type": "pull_request"})
    bad = client_for().get(f"{REPO}/discussions", {"status": "weird"})

    assert [d["num"] for d in everything.json()["results"]] == [4, 3, 2, 1]
    first = everything.json()["results"][0]
    assert first["is_pull_request"] is True
    assert first["author"] == "stranger"
    assert first["status"] == "open"
    assert [d["num"] for d in prs.json()["results"]] == [4]
    assert bad.status_code == 400


def test_discussion_list_pages_with_a_cursor(lab):
    for i in range(5):
        discussion_create(repo=lab.public, author=lab.owner, title=f"Q{i}")
    client = client_for()

    first = client.get(f"{REPO}/discussions", {"limit": 3}).json()
    second = client.get(first["next"]).json()

    assert [d["num"] for d in first["results"]] == [5, 4, 3]
    assert [d["num"] for d in second["results"]] == [2, 1]


def test_discussion_detail_hides_hidden_comment_content(lab):
    discussion = discussion_create(
        repo=lab.public, author=lab.stranger, title="Hi", description="first"
    )
    rude = comment_create(discussion=discussion, author=lab.stranger, content="rude")
    comment_hide(event=rude, actor=lab.owner)

    response = client_for().get(f"{REPO}/discussions/{discussion.num}")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Hi"
    assert body["git_ref"] is None
    events = body["events"]
    assert [(e["type"], e["content"], e["is_hidden"]) for e in events] == [
        ("comment", "first", False),
        ("comment", None, True),
    ]
    assert "rude" not in response.content.decode()


def test_pull_request_detail_names_its_head_commit(lab):
    pr, commit = _pull_request(lab)

    response = client_for().get(f"{REPO}/discussions/{pr.num}")

    body = response.json()
    assert body["git_ref"] == f"refs/pr/{pr.num}"
    assert body["head_commit"] == commit.oid
    assert body["events"][-1]["type"] == "commit"
    assert body["events"][-1]["data"]["oid"] == commit.oid


def test_open_a_discussion_and_comment(lab):
    client = client_for(token_for(lab.stranger))

    opened = client.post(
        f"{REPO}/discussions", {"title": "Which tokenizer?", "description": "?"}
    )
    num = opened.json()["num"]
    commented = client.post(f"{REPO}/discussions/{num}/comments", {"content": "bump"})

    assert opened.status_code == 201
    assert opened.json()["status"] == "open"
    assert opened.json()["author"] == "stranger"
    assert commented.status_code == 201
    assert commented.json()["content"] == "bump"
    assert commented.json()["author"] == "stranger"


def test_open_a_draft_pull_request(lab):
    response = client_for(token_for(lab.stranger)).post(
        f"{REPO}/discussions",
        {"title": "Draft", "is_pull_request": True},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert Ref.objects.filter(repo=lab.public, name="refs/pr/1").exists()


def test_discussion_writes_need_a_participant(lab):
    read = client_for(token_for(lab.stranger, "read")).post(
        f"{REPO}/discussions", {"title": "x"}
    )
    private = client_for(token_for(lab.stranger)).post(
        f"/api/v1/models/lab/{PRIVATE_NAME}/discussions", {"title": "x"}
    )
    empty = client_for(token_for(lab.stranger)).post(
        f"{REPO}/discussions", {"title": ""}
    )

    assert read.status_code == 403
    assert private.status_code == 404
    assert empty.status_code == 400
    assert not Discussion.objects.filter(repo=lab.public).exists()


def test_maintainer_merges_a_pull_request(lab):
    pr, commit = _pull_request(lab)
    ValidationRun.objects.filter(commit=commit).update(
        status="succeeded", verdict="passed"
    )

    response = client_for(token_for(lab.owner)).post(
        f"{REPO}/discussions/{pr.num}/merge", {"comment": "Thanks!"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "merged"
    assert body["merge_commit"]
    main = Ref.objects.get(repo=lab.public, name="main")
    assert main.commit.oid == body["merge_commit"]


def test_merge_is_refused_while_checks_fail(lab):
    pr, commit = _pull_request(lab)
    ValidationRun.objects.filter(commit=commit, path="config.json").update(
        status="failed",
        verdict="failed",
        findings=[{"severity": "error", "message": "not JSON"}],
    )

    response = client_for(token_for(lab.owner)).post(
        f"{REPO}/discussions/{pr.num}/merge"
    )

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "checks_failed"
    assert error["details"]["failing"] == ["config.json: not JSON"]
    pr.refresh_from_db()
    assert pr.status == "open"


def test_only_maintainers_with_a_write_token_merge(lab):
    pr, _ = _pull_request(lab)

    author = client_for(token_for(lab.stranger)).post(
        f"{REPO}/discussions/{pr.num}/merge"
    )
    owner_read = client_for(token_for(lab.owner, "read")).post(
        f"{REPO}/discussions/{pr.num}/merge"
    )

    assert author.status_code == 403
    assert owner_read.status_code == 403
    pr.refresh_from_db()
    assert pr.status == "open"


def test_unknown_discussion_is_404(lab):
    response = client_for().get(f"{REPO}/discussions/99")

    assert response.status_code == 404
