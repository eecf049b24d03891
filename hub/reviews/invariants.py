"""The reviews' invariant check (``hub_fsck --invariants``):
``review_counters``.

A repo's rating count and average are those of its visible reviews (what
``review_rating_refresh`` stores; the average to its 3 decimals), and a
review's helpful count its votes. One query each
(``hub.storage.fsck_counters``); ``--repair`` sets them to the
recomputation.
"""

from __future__ import annotations

from django.db.models import OuterRef

from hub.catalog.models import ModelRepo
from hub.reviews.models import Review, ReviewVote
from hub.storage.fsck_counters import Counter, average_of, count_of, counters_check

_REPO = ("namespace__name", "name")


def _visible():
    return Review.objects.filter(repo=OuterRef("pk"), is_hidden=False)


REVIEW_COUNTERS = counters_check(
    "review_counters",
    "ratings equal their visible reviews; helpful counts their votes",
    [
        Counter(
            "rating_count",
            ModelRepo.objects.all,
            "rating_count",
            lambda: count_of(_visible()),
            "its visible reviews are",
            _REPO,
        ),
        Counter(
            "rating_avg",
            ModelRepo.objects.all,
            "rating_avg",
            lambda: average_of(_visible(), "rating"),
            "its visible reviews average",
            _REPO,
            tolerance=0.0006,
        ),
        Counter(
            "helpful_count",
            Review.objects.all,
            "helpful_count",
            lambda: count_of(ReviewVote.objects.filter(review=OuterRef("pk"))),
            "its helpful votes are",
            ("repo__namespace__name", "repo__name", "author__username"),
        ),
    ],
)
