"""The HF community endpoints: exact shapes, absent authors, query counts."""

from __future__ import annotations

import pytest

from hub.accounts.services import token_create
from hub.community.services.comments import comment_create
from hub.community.services.discussions import discussion_create
from hub.community.services.likes import like_add
from tests.factories import make_repo, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(owner):
    _, secret = token_create(user=owner, name="w", scope="write")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def base(repo) -> str:
    return f"/api/models/{repo.full_name}"


def test_events_of_a_deleted_user_have_no_author_key(client, repo, contributor):
    discussion = discussion_create(repo=repo, author=contributor, title="Gone soon")
    contributor.delete()
    body = client.get(f"{base(repo)}/discussions/{discussion.num}").json()
    assert "author" not in body
    assert "author" not in body["events"][0]
    assert body["events"][0]["id"] == str(body["events"][0]["id"])
    listing = client.get(f"{base(repo)}/discussions").json()
    assert "author" not in listing["discussions"][0]


def test_comment_answer_shape(client, repo, auth):
    discussion = discussion_create(repo=repo, author=make_user("x"), title="Q")
    response = client.post(
        f"{base(repo)}/discussions/{discussion.num}/comment",
        {"comment": "**bold**"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200
    message = response.json()["newMessage"]
    assert set(message) == {"id", "type", "createdAt", "author", "data"}
    assert message["type"] == "comment"
    assert message["author"]["name"] == "owner"
    assert message["createdAt"].endswith("Z")
    assert message["data"]["edited"] is False
    assert message["data"]["hidden"] is False
    assert message["data"]["latest"]["raw"] == "**bold**"


def test_bad_bodies_are_400s(client, repo, auth):
    url = f"{base(repo)}/discussions"
    bad_json = client.post(url, "{", content_type="application/json", **auth)
    assert bad_json.status_code == 400
    assert "JSON" in bad_json.json()["error"]
    no_title = client.post(url, {"title": 3}, content_type="application/json", **auth)
    assert no_title.status_code == 400
    assert client.get(url, {"p": "x"}).status_code == 400
    assert client.get(url, {"status": "weird"}).status_code == 400


def test_unknown_discussion_and_comment_are_404s(client, repo, auth):
    assert client.get(f"{base(repo)}/discussions/9").status_code == 404
    discussion = discussion_create(repo=repo, author=make_user("x"), title="Q")
    url = f"{base(repo)}/discussions/{discussion.num}/comment/nope/edit"
    response = client.post(
        url, {"content": "x"}, content_type="application/json", **auth
    )
    assert response.status_code == 404


def test_merge_of_a_discussion_is_a_400_with_a_reason(client, repo, auth):
    discussion = discussion_create(repo=repo, author=make_user("x"), title="Q")
    # The client sends no body at all when there is no comment.
    response = client.post(
        f"{base(repo)}/discussions/{discussion.num}/merge",
        b"",
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 400
    assert "not a pull request" in response["X-Error-Message"]


def test_listing_queries_do_not_grow_with_items(
    client, repo, contributor, django_assert_max_num_queries
):
    for i in range(20):
        discussion = discussion_create(repo=repo, author=contributor, title=f"T{i}")
        comment_create(discussion=discussion, author=contributor, content="more")
    with django_assert_max_num_queries(6):
        assert len(client.get(f"{base(repo)}/discussions").json()["discussions"]) == 20
    with django_assert_max_num_queries(8):
        body = client.get(f"{base(repo)}/discussions/{discussion.num}").json()
    assert len(body["events"]) == 2


def test_like_listings_queries_do_not_grow_with_items(
    client, owner, django_assert_max_num_queries
):
    repos = [make_repo(owner, f"m{i}") for i in range(10)]
    users = [make_user(f"fan{i}") for i in range(10)]
    for repo in repos:
        like_add(user=owner, repo=repo)
    for user in users:
        like_add(user=user, repo=repos[0])
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/users/owner/likes").json()) == 10
    with django_assert_max_num_queries(4):
        assert len(client.get(f"{base(repos[0])}/likers").json()) == 11


def test_unknown_user_likes_is_a_404(client):
    assert client.get("/api/users/nobody/likes").status_code == 404


def test_like_needs_a_login(client, repo):
    assert client.post(f"{base(repo)}/like").status_code == 401
    assert client.delete(f"{base(repo)}/like").status_code == 401
