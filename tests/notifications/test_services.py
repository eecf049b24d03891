"""Notification rows: creation rules, fan-out, read marks and the unread count."""

from __future__ import annotations

import pytest

from hub.core.errors import ValidationError
from hub.notifications.models import Notification
from hub.notifications.selectors import notification_list, notification_unread_count
from hub.notifications.services import (
    notification_create,
    notifications_fan_out,
    notifications_mark_read,
)
from tests.factories import make_repo, make_user

pytestmark = pytest.mark.django_db


def test_notification_create_stores_a_row_for_the_recipient(owner, stranger):
    repo = make_repo(owner, "tiny")
    note = notification_create(
        recipient=owner,
        kind="access_request",
        actor=stranger,
        repo=repo,
        text="stranger asks for access to owner/tiny",
        url="/owner/tiny",
    )
    assert note is not None
    assert list(notification_list(user=owner)) == [note]
    assert notification_unread_count(user=owner) == 1
    assert notification_unread_count(user=stranger) == 0


def test_actor_is_never_notified_of_their_own_action(owner):
    note = notification_create(
        recipient=owner, kind="comment", actor=owner, text="You commented", url="/x"
    )
    assert note is None
    assert not Notification.objects.exists()


def test_inactive_recipient_is_not_notified(owner, stranger):
    stranger.is_active = False
    stranger.save()
    assert (
        notification_create(
            recipient=stranger, kind="merge", actor=owner, text="Merged", url="/x"
        )
        is None
    )


@pytest.mark.parametrize(
    ("kind", "text", "url"),
    [
        ("bogus", "Hello", "/x"),
        ("comment", "   ", "/x"),
        ("comment", "Hello", "https://evil.example/"),
        ("comment", "Hello", "//evil.example/"),
        ("comment", "Hello", "javascript:alert(1)"),
    ],
)
def test_bad_notification_is_refused_and_writes_nothing(owner, kind, text, url):
    with pytest.raises(ValidationError):
        notification_create(recipient=owner, kind=kind, text=text, url=url)
    assert not Notification.objects.exists()


def test_long_text_is_cut_to_fit(owner):
    note = notification_create(
        recipient=owner, kind="comment", text="a" * 900, url="/x"
    )
    assert note is not None
    assert len(note.text) == 500


def test_fan_out_skips_the_actor_and_duplicates(owner, stranger):
    third = make_user("third")
    notes = notifications_fan_out(
        recipients=[owner, stranger, owner, third],
        kind="comment",
        actor=stranger,
        text="stranger commented",
        url="/owner/tiny/discussions/1",
    )
    assert sorted(n.recipient.username for n in notes) == ["owner", "third"]


def test_mark_read_touches_only_the_users_own_notifications(owner, stranger):
    mine = notification_create(recipient=owner, kind="merge", text="a", url="/a")
    other = notification_create(recipient=stranger, kind="merge", text="b", url="/b")
    notification_create(recipient=owner, kind="merge", text="c", url="/c")
    assert mine is not None and other is not None
    assert notifications_mark_read(user=owner, ids=[mine.pk, other.pk]) == 1
    assert notification_unread_count(user=owner) == 1
    assert notification_unread_count(user=stranger) == 1
    assert notifications_mark_read(user=owner) == 1
    assert notifications_mark_read(user=owner) == 0
    assert notification_unread_count(user=owner) == 0


def test_unread_count_is_one_query(owner, django_assert_num_queries):
    for i in range(3):
        notification_create(recipient=owner, kind="merge", text=f"n{i}", url="/a")
    with django_assert_num_queries(1):
        assert notification_unread_count(user=owner) == 3


def test_notifications_of_a_repo_the_user_can_no_longer_see_are_hidden(owner, stranger):
    from hub.accounts.memberships import membership_remove, membership_set
    from tests.factories import make_org

    org = make_org("lab", creator=owner)
    membership_set(organization=org, user=stranger, role="write")
    repo = make_repo(org, "secret", creator=owner, is_private=True)
    notification_create(
        recipient=stranger, kind="merge", repo=repo, text="Merged", url="/lab/secret"
    )
    notification_create(recipient=stranger, kind="moderation", text="Hi", url="/")
    assert notification_unread_count(user=stranger) == 2
    membership_remove(organization=org, user=stranger)
    assert [n.text for n in notification_list(user=stranger)] == ["Hi"]
    assert notification_unread_count(user=stranger) == 1
