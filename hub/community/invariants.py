"""The community's invariant check (``hub_fsck --invariants``):
``community_counters``.

A repo's likes equal its Like rows, and its last discussion number the
highest number its discussions and pull requests use (numbers are never
reused: a lower counter would hand out a taken number). One query each
(``hub.storage.fsck_counters``); ``--repair`` sets them to the
recomputation.
"""

from __future__ import annotations

from django.db.models import OuterRef, Value
from django.db.models.functions import Coalesce

from hub.catalog.models import ModelRepo
from hub.community.models import Discussion, Like
from hub.storage.fsck_counters import Counter, count_of, counters_check

_REPO = ("namespace__name", "name")


def _highest_num() -> Coalesce:
    nums = Discussion.objects.filter(repo=OuterRef("pk")).order_by("-num")
    return Coalesce(nums.values("num")[:1], Value(0))


COMMUNITY_COUNTERS = counters_check(
    "community_counters",
    "repo likes equal their likes; discussion numbers their highest",
    [
        Counter(
            "likes",
            ModelRepo.objects.all,
            "likes",
            lambda: count_of(Like.objects.filter(repo=OuterRef("pk"))),
            "the users who like it are",
            _REPO,
        ),
        Counter(
            "discussion_num",
            ModelRepo.objects.all,
            "last_discussion_num",
            _highest_num,
            "its highest discussion number is",
            _REPO,
        ),
    ],
)
