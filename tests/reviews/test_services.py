"""Reviews: one per user, edits keep history, helpful votes, one reply,
verified downloads and the repo's rating."""

from __future__ import annotations

import pytest

from hub.accounts.memberships import membership_set
from hub.catalog.models import ModelRepo
from hub.core.errors import ConflictError, PermissionDeniedError, ValidationError
from hub.notifications.models import Notification
from hub.reviews.models import Review, ReviewRevision
from hub.reviews.selectors import (
    review_list_visible,
    review_of_user,
    review_rating_summary,
)
from hub.reviews.services import (
    ReviewEvidence,
    download_record,
    review_hide,
    review_reply_create,
    review_submit,
    review_vote_add,
    review_vote_remove,
)
from tests.factories import commit_files, make_org, make_repo, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def repo(owner):
    repo = make_repo(owner, "tiny")
    commit_files(repo, {"config.json": b"{}"})
    return repo


def _head(repo):
    return repo.refs.get(name="main").commit


def test_first_submission_creates_and_notifies_the_maintainer(repo, owner, stranger):
    review, created = review_submit(
        repo=repo,
        author=stranger,
        commit=_head(repo),
        rating=4,
        text="Works **well**.",
        evidence=ReviewEvidence(use_case="chat", hardware="1x A100"),
    )

    assert created
    assert (review.rating, review.use_case, review.hardware) == (4, "chat", "1x A100")
    repo.refresh_from_db()
    assert (repo.rating_avg, repo.rating_count) == (4.0, 1)
    note = Notification.objects.get(recipient=owner)
    assert note.kind == "model_review"
    assert note.url == f"/owner/tiny#review-{review.pk}"


def test_second_submission_edits_the_one_review_and_keeps_history(repo, stranger):
    first, _ = review_submit(repo=repo, author=stranger, commit=_head(repo), rating=2)
    newer = commit_files(repo, {"config.json": b'{"a": 1}'})
    edited, created = review_submit(
        repo=repo, author=stranger, commit=newer, rating=5, text="Fixed now."
    )

    assert not created
    assert edited.pk == first.pk
    assert Review.objects.filter(repo=repo, author=stranger).count() == 1
    [old] = ReviewRevision.objects.filter(review=edited)
    assert (old.rating, old.commit_id) == (2, _head(repo).parent_id)
    repo.refresh_from_db()
    assert repo.rating_avg == 5.0


def test_database_allows_one_review_per_user_per_model(repo, stranger):
    review_submit(repo=repo, author=stranger, commit=_head(repo), rating=3)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(repo=repo, author=stranger, commit=_head(repo), rating=4)


@pytest.mark.parametrize("rating", [0, 6, "5", None, True])
def test_rating_must_be_one_to_five(repo, stranger, rating):
    with pytest.raises(ValidationError):
        review_submit(repo=repo, author=stranger, commit=_head(repo), rating=rating)
    assert not Review.objects.exists()


def test_revision_must_belong_to_the_model(repo, owner, stranger):
    other = make_repo(owner, "other")
    foreign = commit_files(other, {"x.txt": b"x"})

    with pytest.raises(ValidationError):
        review_submit(repo=repo, author=stranger, commit=foreign, rating=3)


def test_stranger_cannot_review_a_private_model(owner, stranger):
    private = make_repo(owner, "secret", is_private=True)
    head = commit_files(private, {"a.txt": b"a"})

    with pytest.raises(PermissionDeniedError):
        review_submit(repo=private, author=stranger, commit=head, rating=5)


def test_average_and_distribution_leave_hidden_reviews_out(repo, owner):
    for name, rating in [("a", 5), ("b", 4), ("c", 4), ("d", 1)]:
        review_submit(
            repo=repo, author=make_user(name), commit=_head(repo), rating=rating
        )
    spam = Review.objects.get(author__username="d")
    review_hide(review=spam, actor=owner, reason="spam")

    summary = review_rating_summary(repo=repo)
    repo.refresh_from_db()

    assert summary.count == 3
    assert summary.average == pytest.approx(4.33, abs=0.01)
    assert summary.distribution == {1: 0, 2: 0, 3: 0, 4: 2, 5: 1}
    assert (round(repo.rating_avg, 2), repo.rating_count) == (4.33, 3)
    assert [r.author.username for r in review_list_visible(repo=repo)] != []
    assert "d" not in [r.author.username for r in review_list_visible(repo=repo)]
    # The author still sees their hidden review, with the reason.
    own = review_of_user(repo=repo, user=spam.author)
    assert own is not None and own.is_hidden and own.hidden_reason == "spam"


def test_helpful_votes_once_per_user_and_never_on_ones_own(repo, stranger, owner):
    review, _ = review_submit(repo=repo, author=stranger, commit=_head(repo), rating=3)
    voter = make_user("voter")

    review_vote_add(review=review, user=voter)
    review_vote_add(review=review, user=voter)
    review_vote_add(review=review, user=owner)
    with pytest.raises(PermissionDeniedError):
        review_vote_add(review=review, user=stranger)

    review.refresh_from_db()
    assert review.helpful_count == 2
    review_vote_remove(review=review, user=voter)
    review_vote_remove(review=review, user=voter)
    review.refresh_from_db()
    assert review.helpful_count == 1


def test_maintainers_reply_once_per_review(repo, owner, stranger):
    review, _ = review_submit(repo=repo, author=stranger, commit=_head(repo), rating=2)

    reply = review_reply_create(review=review, author=owner, text="Thanks, fixed.")
    with pytest.raises(ConflictError):
        review_reply_create(review=review, author=owner, text="Again")

    assert reply.text == "Thanks, fixed."
    assert Notification.objects.filter(recipient=stranger, kind="model_review").exists()


def test_non_maintainers_cannot_reply(repo, stranger):
    review, _ = review_submit(repo=repo, author=stranger, commit=_head(repo), rating=2)
    reader = make_user("reader")

    with pytest.raises(PermissionDeniedError):
        review_reply_create(review=review, author=reader, text="I am not the owner")
    with pytest.raises(PermissionDeniedError):
        review_reply_create(review=review, author=stranger, text="Self reply")


def test_org_writers_reply_as_maintainers(owner, stranger):
    org = make_org("lab", creator=owner)
    writer = make_user("writer")
    membership_set(organization=org, user=writer, role="write")
    repo = make_repo(org, "org-model", creator=owner)
    head = commit_files(repo, {"a.txt": b"a"})
    review, _ = review_submit(repo=repo, author=stranger, commit=head, rating=4)

    assert review_reply_create(review=review, author=writer, text="Thanks").pk


def test_verified_download_is_per_revision(repo, stranger):
    old = _head(repo)
    download_record(user=stranger, repo=repo, commit=old)
    download_record(user=stranger, repo=repo, commit=old)  # idempotent
    review_submit(repo=repo, author=stranger, commit=old, rating=4)

    assert review_of_user(repo=repo, user=stranger).is_verified_download
    newer = commit_files(repo, {"config.json": b'{"b": 2}'})
    review_submit(repo=repo, author=stranger, commit=newer, rating=4)
    assert not review_of_user(repo=repo, user=stranger).is_verified_download


def test_anonymous_downloads_are_not_recorded(repo):
    from django.contrib.auth.models import AnonymousUser

    from hub.reviews.models import DownloadRecord

    download_record(user=AnonymousUser(), repo=repo, commit=_head(repo))
    assert not DownloadRecord.objects.exists()


def test_rating_sort_and_minimum_rating_filter(owner, stranger):
    from django.http import QueryDict

    from hub.catalog.filters import ModelRepoFilter
    from hub.catalog.visibility import repo_list_visible

    ratings = {"low": 2, "high": 5, "mid": 4}
    for name, rating in ratings.items():
        repo = make_repo(owner, name)
        head = commit_files(repo, {"a.txt": b"a"})
        review_submit(repo=repo, author=stranger, commit=head, rating=rating)
    make_repo(owner, "unrated")

    def names(query: str) -> list[str]:
        filterset = ModelRepoFilter(
            QueryDict(query), queryset=repo_list_visible(user=None)
        )
        assert filterset.is_valid(), filterset.errors
        return [r.name for r in filterset.qs]

    assert names("sort=rating")[:3] == ["high", "mid", "low"]
    assert names("sort=rating&min_rating=4") == ["high", "mid"]
    assert not ModelRepoFilter(
        QueryDict("min_rating=9"), queryset=ModelRepo.objects.all()
    ).is_valid()
