"""Pull request reviews, pin/lock and notifications in /api/v1."""

from __future__ import annotations

from hub.community.models import Discussion
from hub.community.services.comments import comment_create
from hub.community.services.discussions import discussion_create
from hub.notifications.models import Notification
from tests.api.v1.fixtures_resources import (  # noqa: F401 - fixtures
    client_for,
    lab_fixture,
    no_throttle,
    token_for,
)
from tests.api.v1.test_community import _pull_request

REPO = "/api/v1/models/lab/open-model"


def test_maintainer_review_shows_in_the_pull_request(lab):
    pr, _ = _pull_request(lab)
    owner = client_for(token_for(lab.owner))

    response = owner.post(
        f"{REPO}/discussions/{pr.num}/reviews",
        {"state": "changes_requested", "content": "Rename the file"},
        format="json",
    )

    assert response.status_code == 201
    event = response.json()
    assert event["type"] == "review"
    assert event["data"]["state"] == "changes_requested"
    assert event["content"] == "Rename the file"
    detail = owner.get(f"{REPO}/discussions/{pr.num}").json()
    assert detail["review"] == {
        "state": "changes_requested",
        "approved_by": [],
        "changes_requested_by": ["owner"],
    }
    assert isinstance(detail["mergeable"], list)
    talk = owner.get(f"{REPO}/discussions").json()["results"]
    assert talk[0]["num"] == pr.num


def test_review_needs_a_maintainer_with_a_write_token(lab):
    pr, _ = _pull_request(lab)
    url = f"{REPO}/discussions/{pr.num}/reviews"
    stranger = client_for(token_for(lab.stranger)).post(
        url, {"state": "approved"}, format="json"
    )
    read = client_for(token_for(lab.owner, "read")).post(
        url, {"state": "approved"}, format="json"
    )
    bad = client_for(token_for(lab.owner)).post(url, {"state": "yes"}, format="json")

    assert stranger.status_code == 403
    assert read.status_code == 403
    assert bad.status_code == 400
    assert not pr.events.filter(type="review").exists()


def test_discussion_detail_says_null_review_for_a_discussion(lab):
    talk = discussion_create(repo=lab.public, author=lab.stranger, title="Hi")
    detail = client_for().get(f"{REPO}/discussions/{talk.num}").json()
    assert detail["review"] is None and detail["mergeable"] is None
    assert detail["is_locked"] is False


def test_lock_by_maintainer_blocks_strangers_comments(lab):
    talk = discussion_create(repo=lab.public, author=lab.stranger, title="Hi")
    url = f"{REPO}/discussions/{talk.num}"
    stranger = client_for(token_for(lab.stranger))
    assert (
        stranger.post(f"{url}/lock", {"value": True}, format="json").status_code == 403
    )

    locked = client_for(token_for(lab.owner)).post(
        f"{url}/lock", {"value": True}, format="json"
    )
    comment = stranger.post(f"{url}/comments", {"content": "x"}, format="json")

    assert locked.status_code == 200 and locked.json()["is_locked"] is True
    assert comment.status_code == 403
    assert comment.json()["error"]["code"] == "discussion_locked"
    assert Discussion.objects.get(pk=talk.pk).events.count() == 2  # + "locked"


def test_notifications_list_and_mark_read(lab, django_assert_max_num_queries):
    talk = discussion_create(repo=lab.public, author=lab.stranger, title="Hi")
    for n in range(5):
        comment_create(discussion=talk, author=lab.stranger, content=f"c{n}")
    owner = client_for(token_for(lab.owner))

    with django_assert_max_num_queries(6):
        response = owner.get("/api/v1/notifications")

    assert response.status_code == 200
    assert response["X-Unread-Count"] == "6"
    items = response.json()["results"]
    assert items[0]["kind"] == "comment" and items[-1]["kind"] == "discussion"
    assert items[0]["repo"] == "lab/open-model"
    assert items[0]["discussion"] == talk.num
    assert items[0]["url"] == f"/lab/open-model/discussions/{talk.num}"
    assert items[0]["actor"] == "stranger"

    first = owner.post(
        "/api/v1/notifications/read", {"ids": [items[0]["id"]]}, format="json"
    )
    assert first.json() == {"marked": 1, "unread": 5}
    unread = owner.get("/api/v1/notifications?unread=true").json()["results"]
    assert len(unread) == 5
    rest = owner.post("/api/v1/notifications/read", {}, format="json")
    assert rest.json() == {"marked": 5, "unread": 0}


def test_notifications_are_private_to_their_recipient(lab):
    discussion_create(repo=lab.public, author=lab.stranger, title="Hi")
    note = Notification.objects.get(recipient=lab.owner)
    stranger = client_for(token_for(lab.stranger))

    assert stranger.get("/api/v1/notifications").json()["results"] == []
    marked = stranger.post(
        "/api/v1/notifications/read", {"ids": [note.pk]}, format="json"
    )
    assert marked.json()["marked"] == 0
    assert client_for().get("/api/v1/notifications").status_code == 401
    read_token = client_for(token_for(lab.owner, "read"))
    assert (
        read_token.post("/api/v1/notifications/read", {}, format="json").status_code
        == 403
    )
    assert Notification.objects.get(pk=note.pk).read_at is None


def test_notification_ids_beyond_any_row_get_a_400_naming_the_field(lab):
    owner = client_for(token_for(lab.owner))
    answer = owner.post("/api/v1/notifications/read", {"ids": [2**70]}, format="json")
    assert answer.status_code == 400
    assert "ids" in answer.text
