"""Discussions, pull requests and likes driven by the real client.

hf-protocol.md 2.17 and 2.18. maya owns the repo; jun contributes without
write access to it.
"""

from __future__ import annotations

import warnings

import pytest
import requests
from huggingface_hub import CommitOperationAdd, HfApi
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

from api.hf.views import likes as likes_views
from hub.catalog.models import ModelRepo
from hub.catalog.revisions import revision_resolve
from hub.community.models import Discussion
from hub.community.services.discussions import discussion_create
from hub.community.services.likes import like_add
from hub.community.services.pull_requests import pull_request_record_commit
from tests.factories import commit_files, make_repo, make_user

REPO_ID = "maya/community-e2e"


@pytest.fixture
def repo(maya) -> ModelRepo:
    repo = make_repo(maya[0], "community-e2e")
    commit_files(repo, {"config.json": b'{"a": 1}\n'}, author=maya[0])
    return repo


@pytest.fixture
def jun_api(hub_url, jun) -> HfApi:
    return HfApi(endpoint=hub_url, token=jun[1])


def main_head(repo: ModelRepo) -> str:
    return revision_resolve(repo=repo, revision="main").oid


def test_discussion_lifecycle(api, jun_api, repo):
    opened = jun_api.create_discussion(
        REPO_ID, "Is the tokenizer right?", description="It looks off."
    )
    assert (opened.num, opened.status, opened.author) == (1, "open", "jun")
    assert not opened.is_pull_request and opened.repo_id == REPO_ID
    assert [(e.type, e.content) for e in opened.events] == [
        ("comment", "It looks off.")
    ]

    reply = api.comment_discussion(REPO_ID, 1, "Let me check.")
    assert (reply.type, reply.author, reply.content) == (
        "comment",
        "maya",
        "Let me check.",
    )

    own = jun_api.comment_discussion(REPO_ID, 1, "Sorry, wrong file.")
    edited = jun_api.edit_discussion_comment(REPO_ID, 1, own.id, "It is fine now.")
    assert (edited.id, edited.content, edited.edited) == (
        own.id,
        "It is fine now.",
        True,
    )
    with pytest.raises(HfHubHTTPError) as denied:
        jun_api.edit_discussion_comment(REPO_ID, 1, reply.id, "maya agrees")
    assert denied.value.response.status_code == 403

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "hiding is irreversible"
        hidden = api.hide_discussion_comment(REPO_ID, 1, own.id)
    assert hidden.hidden and "It is fine now." not in hidden.content

    renamed = jun_api.rename_discussion(REPO_ID, 1, "Tokenizer question")
    assert (renamed.old_title, renamed.new_title) == (
        "Is the tokenizer right?",
        "Tokenizer question",
    )
    closed = api.change_discussion_status(REPO_ID, 1, "closed", comment="Answered.")
    assert (closed.type, closed.new_status, closed.author) == (
        "status-change",
        "closed",
        "maya",
    )

    details = api.get_discussion_details(REPO_ID, 1)
    assert (details.title, details.status) == ("Tokenizer question", "closed")
    assert [e.type for e in details.events] == [
        "comment",
        "comment",
        "comment",
        "title-change",
        "comment",
        "status-change",
    ]
    assert all("It is fine now." not in str(e._event) for e in details.events)
    assert details.events[2].hidden


def test_anonymous_callers_cannot_open_discussions(hub_url, repo):
    response = requests.post(
        f"{hub_url}/api/models/{REPO_ID}/discussions",
        json={"title": "Hi", "description": "x", "pullRequest": False},
        timeout=30,
    )
    assert response.status_code == 401
    assert not Discussion.objects.exists()


def test_read_token_cannot_comment(hub_url, repo, jun):
    from hub.accounts.services import token_create

    _, secret = token_create(user=jun[0], name="ro", scope="read")
    with pytest.raises(HfHubHTTPError) as info:
        HfApi(endpoint=hub_url, token=secret).create_discussion(REPO_ID, "Hello")
    assert info.value.response.status_code == 403
    assert "read-only" in str(info.value)


def test_private_repo_discussions_are_not_found_for_outsiders(jun_api, maya):
    make_repo(maya[0], "secret", is_private=True)
    with pytest.raises(RepositoryNotFoundError):
        list(jun_api.get_repo_discussions("maya/secret"))
    with pytest.raises(RepositoryNotFoundError):
        jun_api.create_discussion("maya/secret", "Let me in")


def test_discussions_are_paged_and_filtered(api, repo, maya, jun):
    for i in range(53):
        discussion_create(
            repo=repo, author=jun[0] if i % 2 else maya[0], title=f"Topic {i}"
        )
    discussion_create(repo=repo, author=jun[0], title="PR", is_pull_request=True)
    everything = list(api.get_repo_discussions(REPO_ID))
    assert [d.num for d in everything] == list(range(54, 0, -1))
    assert everything[0].is_pull_request and everything[0].status == "draft"
    assert everything[1].created_at.tzinfo is not None

    prs = list(api.get_repo_discussions(REPO_ID, discussion_type="pull_request"))
    assert [d.num for d in prs] == [54]
    by_jun = list(
        api.get_repo_discussions(REPO_ID, author="jun", discussion_type="discussion")
    )
    assert len(by_jun) == 26 and {d.author for d in by_jun} == {"jun"}
    assert list(api.get_repo_discussions(REPO_ID, discussion_status="closed")) == []


def test_paging_answer_shape(hub_url, repo, maya):
    for i in range(51):
        discussion_create(repo=repo, author=maya[0], title=f"T{i}")
    url = f"{hub_url}/api/models/{REPO_ID}/discussions"
    first = requests.get(url, params={"p": 0}, timeout=30).json()
    second = requests.get(url, params={"p": 1}, timeout=30).json()
    assert (first["count"], first["start"], len(first["discussions"])) == (51, 0, 50)
    assert (second["count"], second["start"], len(second["discussions"])) == (51, 50, 1)
    item = second["discussions"][0]
    assert item["repo"] == {"name": REPO_ID, "type": "model"}
    assert item["author"]["name"] == "maya"
    assert item["createdAt"].endswith("Z")


def test_pull_request_details(jun_api, repo):
    pr = jun_api.create_pull_request(REPO_ID, "Better config")
    assert pr.is_pull_request and pr.status == "draft"
    assert pr.git_reference == "refs/pr/1"
    assert pr.target_branch == "refs/heads/main"
    assert pr.conflicting_files == []
    assert pr.merge_commit_oid is None
    assert pr.diff == ""
    assert revision_resolve(repo=repo, revision="refs/pr/1").oid == main_head(repo)


def test_contributor_pushes_to_a_pr_and_maya_merges(api, jun_api, repo):
    pr = jun_api.create_pull_request(REPO_ID, "Better config")
    with pytest.raises(HfHubHTTPError) as denied:
        jun_api.upload_file(
            path_or_fileobj=b'{"a": 2}\n', path_in_repo="config.json", repo_id=REPO_ID
        )
    assert denied.value.response.status_code == 403
    jun_api.upload_file(
        path_or_fileobj=b'{"a": 2}\n',
        path_in_repo="config.json",
        repo_id=REPO_ID,
        revision=pr.git_reference,
        commit_message="Set a to 2",
    )
    details = api.get_discussion_details(REPO_ID, pr.num)
    assert details.status == "open"
    commit_event = details.events[-1]
    assert (commit_event.type, commit_event.summary, commit_event.author) == (
        "commit",
        "Set a to 2",
        "jun",
    )
    assert '+{"a": 2}' in details.diff

    with pytest.raises(HfHubHTTPError) as denied:
        jun_api.merge_pull_request(REPO_ID, pr.num)
    assert denied.value.response.status_code == 403

    api.merge_pull_request(REPO_ID, pr.num, comment="Thanks!")
    merged = api.get_discussion_details(REPO_ID, pr.num)
    assert merged.status == "merged"
    assert merged.merge_commit_oid == main_head(repo) == commit_event.oid
    assert api.model_info(REPO_ID).sha == main_head(repo)


def test_create_commit_with_create_pr(api, jun_api, repo):
    before = main_head(repo)
    info = jun_api.create_commit(
        repo_id=REPO_ID,
        operations=[CommitOperationAdd("new.txt", b"hello\n")],
        commit_message="Add new.txt",
        commit_description="A new file.",
        create_pr=True,
    )
    assert info.pr_num == 1 and info.pr_revision == "refs/pr/1"
    assert main_head(repo) == before
    details = api.get_discussion_details(REPO_ID, 1)
    assert (details.title, details.status, details.author) == (
        "Add new.txt",
        "open",
        "jun",
    )
    assert [e.type for e in details.events] == ["comment", "commit"]
    assert details.events[1].oid == info.oid
    assert "+++ b/new.txt" in details.diff
    api.merge_pull_request(REPO_ID, 1)
    assert main_head(repo) == info.oid


def test_merge_conflict_is_a_409_naming_the_paths(api, repo, maya, jun):
    pr = discussion_create(
        repo=repo, author=jun[0], title="Change a", is_pull_request=True
    )
    commit = commit_files(
        repo, {"config.json": b'{"a": "pr"}\n'}, author=jun[0], revision=pr.git_ref
    )
    pull_request_record_commit(
        repo=repo, ref_name=pr.git_ref, commit=commit, author=jun[0]
    )
    commit_files(repo, {"config.json": b'{"a": "main"}\n'}, author=maya[0])
    before = main_head(repo)
    assert api.get_discussion_details(REPO_ID, pr.num).conflicting_files == [
        "config.json"
    ]
    with pytest.raises(HfHubHTTPError) as info:
        api.merge_pull_request(REPO_ID, pr.num)
    assert info.value.response.status_code == 409
    assert "config.json" in str(info.value)
    assert main_head(repo) == before
    assert api.get_discussion_details(REPO_ID, pr.num).status == "open"


def test_like_unlike_and_listings(hub_url, api, jun_api, repo, jun):
    response = requests.post(
        f"{hub_url}/api/models/{REPO_ID}/like",
        headers={"Authorization": f"Bearer {jun[1]}"},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.json() == {"liked": True, "likes": 1}
    likes = api.list_liked_repos("jun")
    assert (likes.user, likes.total, likes.models) == ("jun", 1, [REPO_ID])
    likers = list(api.list_repo_likers(REPO_ID))
    assert [(u.username, u.fullname) for u in likers] == [("jun", "jun")]

    jun_api.unlike(REPO_ID)
    jun_api.unlike(REPO_ID)  # idempotent
    assert api.list_liked_repos("jun").total == 0
    assert list(api.list_repo_likers(REPO_ID)) == []
    repo.refresh_from_db()
    assert repo.likes == 0


def test_likes_listings_follow_link_pages(api, maya, monkeypatch):
    monkeypatch.setattr(likes_views, "LIKES_PAGE_SIZE", 2)
    repos = [make_repo(maya[0], f"liked-{i}") for i in range(5)]
    fans = [make_user(f"fan{i}") for i in range(5)]
    for repo in repos:
        like_add(user=maya[0], repo=repo)
    for fan in fans:
        like_add(user=fan, repo=repos[0])
    liked = api.list_liked_repos("maya").models
    assert liked == [f"maya/liked-{i}" for i in range(4, -1, -1)]
    likers = [u.username for u in api.list_repo_likers("maya/liked-0")]
    assert likers == ["fan4", "fan3", "fan2", "fan1", "fan0", "maya"]


def test_likes_of_private_repos_stay_hidden(hub_url, api, maya, jun):
    private = make_repo(maya[0], "private-liked", is_private=True)
    like_add(user=maya[0], repo=private)
    assert api.list_liked_repos("maya").models == ["maya/private-liked"]
    outsider = HfApi(endpoint=hub_url, token=jun[1])
    assert outsider.list_liked_repos("maya").models == []
