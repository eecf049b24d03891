"""Discussions and comments: numbering, timeline, edits, hiding, renames, status."""

from __future__ import annotations

import pytest

from hub.accounts.services import token_create
from hub.catalog.models import ModelRepo
from hub.community.models import CommentRevision, Discussion, DiscussionEvent
from hub.community.selectors import (
    HIDDEN_COMMENT_TEXT,
    discussion_can_participate,
    discussion_event_get,
    discussion_events,
    discussion_get,
    discussion_list,
    event_visible_content,
)
from hub.community.services.comments import comment_create, comment_edit, comment_hide
from hub.community.services.discussions import (
    discussion_change_status,
    discussion_create,
    discussion_rename,
)
from hub.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from tests.factories import make_repo, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion(repo, contributor):
    return discussion_create(
        repo=repo, author=contributor, title="Wrong tokenizer?", description="Hi."
    )


def first_comment(discussion: Discussion) -> DiscussionEvent:
    return discussion_events(discussion=discussion)[0]


def test_numbers_are_shared_by_discussions_and_pull_requests(repo, contributor):
    first = discussion_create(repo=repo, author=contributor, title="One")
    pr = discussion_create(
        repo=repo, author=contributor, title="Two", is_pull_request=True
    )
    third = discussion_create(repo=repo, author=contributor, title="Three")
    assert [first.num, pr.num, third.num] == [1, 2, 3]
    assert ModelRepo.objects.get(pk=repo.pk).last_discussion_num == 3


def test_numbering_is_per_repo(repo, owner, contributor):
    other = make_repo(owner, "other-model")
    discussion_create(repo=repo, author=contributor, title="One")
    assert discussion_create(repo=other, author=contributor, title="One").num == 1


def test_description_is_the_first_comment(discussion, contributor):
    events = list(discussion_events(discussion=discussion))
    assert [(e.type, e.content, e.author) for e in events] == [
        ("comment", "Hi.", contributor)
    ]
    assert discussion.status == "open"
    assert not discussion.is_pull_request


def test_title_is_required_and_bounded(repo, contributor):
    with pytest.raises(ValidationError, match="title is required"):
        discussion_create(repo=repo, author=contributor, title="   ")
    with pytest.raises(ValidationError, match="too long"):
        discussion_create(repo=repo, author=contributor, title="x" * 201)
    assert ModelRepo.objects.get(pk=repo.pk).last_discussion_num == 0


def test_comment_is_added_and_must_not_be_empty(discussion, owner):
    event = comment_create(discussion=discussion, author=owner, content="Thanks!")
    assert event.type == "comment"
    assert list(discussion_events(discussion=discussion))[-1] == event
    with pytest.raises(ValidationError):
        comment_create(discussion=discussion, author=owner, content="  \n")


def test_edit_keeps_the_previous_text_as_a_revision(discussion, contributor):
    event = first_comment(discussion)
    edited = comment_edit(event=event, actor=contributor, content="Hello.")
    assert edited.content == "Hello."
    revision = CommentRevision.objects.get(event=event)
    assert (revision.content, revision.edited_by) == ("Hi.", contributor)
    reread = discussion_event_get(discussion=discussion, event_id=str(event.pk))
    assert reread.last_edited_at is not None  # type: ignore[attr-defined]


def test_maintainer_may_edit_but_a_stranger_may_not(discussion, owner):
    event = first_comment(discussion)
    comment_edit(event=event, actor=owner, content="Fixed a typo.")
    stranger = make_user("passer-by")
    with pytest.raises(PermissionDeniedError, match="author or a maintainer"):
        comment_edit(event=event, actor=stranger, content="Vandalism")
    assert DiscussionEvent.objects.get(pk=event.pk).content == "Fixed a typo."


def test_hidden_comment_is_not_shown_and_cannot_be_edited(discussion, contributor):
    event = comment_create(discussion=discussion, author=contributor, content="Spam")
    hidden = comment_hide(event=event, actor=contributor)
    assert hidden.is_hidden and hidden.hidden_by == contributor
    assert event_visible_content(event=hidden) == HIDDEN_COMMENT_TEXT
    with pytest.raises(ValidationError, match="hidden"):
        comment_edit(event=event, actor=contributor, content="Not spam")
    # Idempotent.
    assert comment_hide(event=event, actor=contributor).is_hidden


def test_only_the_author_or_a_maintainer_may_hide(discussion, owner, contributor):
    event = comment_create(discussion=discussion, author=contributor, content="Rude")
    with pytest.raises(PermissionDeniedError):
        comment_hide(event=event, actor=make_user("passer-by"))
    assert comment_hide(event=event, actor=owner).hidden_by == owner


def test_only_comments_can_be_edited_or_hidden(discussion, contributor):
    rename = discussion_rename(discussion=discussion, actor=contributor, title="New")
    with pytest.raises(ValidationError, match="not a comment"):
        comment_hide(event=rename, actor=contributor)


def test_rename_records_a_title_change(discussion, contributor):
    event = discussion_rename(
        discussion=discussion, actor=contributor, title="Tokenizer is wrong"
    )
    assert event.type == "title-change"
    assert event.data == {"from": "Wrong tokenizer?", "to": "Tokenizer is wrong"}
    assert Discussion.objects.get(pk=discussion.pk).title == "Tokenizer is wrong"
    with pytest.raises(PermissionDeniedError):
        discussion_rename(
            discussion=discussion, actor=make_user("passer-by"), title="Mine"
        )


def test_close_with_a_comment_and_reopen(discussion, owner, contributor):
    event = discussion_change_status(
        discussion=discussion, actor=owner, status="closed", comment="Answered."
    )
    assert event.type == "status-change" and event.data == {"status": "closed"}
    timeline = [e.type for e in discussion_events(discussion=discussion)]
    assert timeline == ["comment", "comment", "status-change"]
    assert Discussion.objects.get(pk=discussion.pk).status == "closed"
    with pytest.raises(ValidationError, match="already closed"):
        discussion_change_status(discussion=discussion, actor=owner, status="closed")
    discussion_change_status(discussion=discussion, actor=contributor, status="open")
    assert Discussion.objects.get(pk=discussion.pk).status == "open"


def test_status_rules(discussion):
    with pytest.raises(ValidationError, match="'open' or 'closed'"):
        discussion_change_status(
            discussion=discussion, actor=discussion.author, status="merged"
        )
    with pytest.raises(PermissionDeniedError):
        discussion_change_status(
            discussion=discussion, actor=make_user("passer-by"), status="closed"
        )


def test_list_filters_and_orders_newest_first(repo, owner, contributor):
    one = discussion_create(repo=repo, author=contributor, title="One")
    pr = discussion_create(repo=repo, author=owner, title="Two", is_pull_request=True)
    three = discussion_create(repo=repo, author=owner, title="Three")
    discussion_change_status(discussion=three, actor=owner, status="closed")

    def nums(**filters):
        return [d.num for d in discussion_list(repo=repo, **filters)]

    assert nums() == [three.num, pr.num, one.num]
    assert nums(type="discussion") == [three.num, one.num]
    assert nums(type="pull_request") == [pr.num]
    assert nums(status="open") == [pr.num, one.num]  # a draft PR counts as open
    assert nums(status="closed") == [three.num]
    assert nums(author="CONTRIBUTOR") == [one.num]
    assert nums(type="all", status="all") == [three.num, pr.num, one.num]
    with pytest.raises(ValidationError):
        discussion_list(repo=repo, status="pending")


def test_get_unknown_number_says_how_to_find_them(repo):
    with pytest.raises(NotFoundError, match="no discussion or pull request #7"):
        discussion_get(repo=repo, num=7)


def test_participation_needs_a_write_token_allowed_on_the_repo(repo, contributor):
    assert discussion_can_participate(user=contributor, token=None, repo=repo)
    write, _ = token_create(user=contributor, name="w", scope="write")
    read, _ = token_create(user=contributor, name="r", scope="read")
    other, _ = token_create(
        user=contributor, name="o", scope="write", repo_ids=["someone/else"]
    )
    assert discussion_can_participate(user=contributor, token=write, repo=repo)
    assert not discussion_can_participate(user=contributor, token=read, repo=repo)
    assert not discussion_can_participate(user=contributor, token=other, repo=repo)


def test_private_repos_take_part_only_for_readers(owner, contributor):
    private = make_repo(owner, "secret", is_private=True)
    assert discussion_can_participate(user=owner, token=None, repo=private)
    assert not discussion_can_participate(user=contributor, token=None, repo=private)
