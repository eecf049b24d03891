"""Reads of reviews: what a viewer sees, rating summaries, history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value

from hub.catalog.models import ModelRepo
from hub.core.errors import NotFoundError
from hub.reviews.models import DownloadRecord, Review, ReviewRevision, ReviewVote


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def review_list_visible(*, repo: ModelRepo, viewer: Any = None) -> QuerySet[Review]:
    """A repo's reviews as ``viewer`` sees them, most helpful first.

    Hidden reviews are left out, except the viewer's own (shown with the
    reason). Each row carries ``is_verified_download`` (its author downloaded
    the reviewed commit) and ``viewer_voted``; author, commit and reply are
    joined, so a page of reviews is one query.
    """
    visible = Q(is_hidden=False)
    if _active(viewer):
        visible |= Q(author=viewer)
        voted: Any = Exists(
            ReviewVote.objects.filter(review=OuterRef("pk"), user=viewer)
        )
    else:
        voted = Value(False, output_field=BooleanField())
    verified = Exists(
        DownloadRecord.objects.filter(
            user=OuterRef("author"), repo=OuterRef("repo"), commit=OuterRef("commit")
        )
    )
    return (
        Review.objects.filter(repo=repo)
        .filter(visible)
        .select_related("author", "commit", "reply", "reply__author")
        .annotate(is_verified_download=verified, viewer_voted=voted)
        .order_by("-helpful_count", "-created_at", "-pk")
    )


def review_get(*, repo: ModelRepo, review_id: int, viewer: Any = None) -> Any:
    """One review of the repo the viewer may see, annotated as in
    ``review_list_visible``; NotFoundError otherwise."""
    review = review_list_visible(repo=repo, viewer=viewer).filter(pk=review_id).first()
    if review is None:
        raise NotFoundError(f"Review {review_id} not found on {repo.full_name}.")
    return review


def review_of_user(*, repo: ModelRepo, user: Any) -> Any:
    """The user's own review of the repo (hidden or not, annotated as in
    ``review_list_visible``), or None."""
    if not _active(user):
        return None
    return review_list_visible(repo=repo, viewer=user).filter(author=user).first()


@dataclass(frozen=True)
class RatingSummary:
    average: float
    count: int
    # {1: n, ..., 5: n}, every star present.
    distribution: dict[int, int] = field(default_factory=dict)

    @property
    def bars(self) -> list[dict[str, int]]:
        """Stars 5 → 1 with their count and share of all ratings (percent)."""
        return [
            {
                "stars": stars,
                "count": self.distribution.get(stars, 0),
                "percent": round(100 * self.distribution.get(stars, 0) / self.count)
                if self.count
                else 0,
            }
            for stars in range(5, 0, -1)
        ]


def review_rating_summary(*, repo: ModelRepo) -> RatingSummary:
    """Average, count and distribution of the visible ratings (one query)."""
    rows = (
        Review.objects.filter(repo=repo, is_hidden=False)
        .order_by()
        .values_list("rating")
        .annotate(n=Count("pk"))
    )
    distribution = {stars: 0 for stars in range(1, 6)}
    for rating, n in rows:
        distribution[rating] = n
    count = sum(distribution.values())
    total = sum(stars * n for stars, n in distribution.items())
    average = round(total / count, 2) if count else 0.0
    return RatingSummary(average=average, count=count, distribution=distribution)


def review_revisions(*, review: Review) -> QuerySet[ReviewRevision]:
    """Earlier versions of a review, newest first."""
    return ReviewRevision.objects.filter(review=review).select_related("commit")
