"""Invariant: every counter equals its recomputation from its source rows;
``--repair`` sets a counter to it and says so."""

from __future__ import annotations

import pytest
from django.db.models import F

from hub.catalog.models import ModelRepo, RepoDailyStat
from hub.reviews.models import Review
from hub.storage.models import XetXorb
from tests.invariants.helpers import invariants, problems
from tests.storage.test_xet_checks import (  # noqa: F401 - a fixture
    receive,
    uploaded,
)


def bump(hub, **changes) -> None:
    ModelRepo.objects.filter(pk=hub.repo.pk).update(
        **{field: F(field) + by for field, by in changes.items()}
    )


def unlike_behind_the_back(hub) -> None:
    """Both counts go down, the Like row stays."""
    bump(hub, likes=-1)
    RepoDailyStat.objects.filter(repo=hub.repo).update(likes=F("likes") - 1)


# (what is tampered, how, the check and problem that must name it)
TAMPERED = {
    "downloads": (lambda hub: bump(hub, downloads=1), "counters", "downloads"),
    "daily likes": (
        lambda hub: RepoDailyStat.objects.filter(repo=hub.repo).update(likes=0),
        "counters",
        "daily_likes",
    ),
    "likes": (lambda hub: unlike_behind_the_back(hub), "community_counters", "likes"),
    "discussion numbers": (
        lambda hub: bump(hub, last_discussion_num=-1),
        "community_counters",
        "discussion_num",
    ),
    "rating count": (
        lambda hub: bump(hub, rating_count=1),
        "review_counters",
        "rating_count",
    ),
    "rating average": (
        lambda hub: bump(hub, rating_avg=-0.5),
        "review_counters",
        "rating_avg",
    ),
}


@pytest.mark.parametrize("tampered", TAMPERED, ids=list(TAMPERED))
def test_a_repo_counter_off_its_source_is_named(hub, tampered):
    tamper, check, problem = TAMPERED[tampered]
    tamper(hub)
    report, status = invariants()
    assert status == 1
    assert problems(report) == {(check, problem, hub.repo.full_name)}


def test_a_helpful_count_off_by_one_is_named(hub):
    Review.objects.filter(pk=hub.review.pk).update(helpful_count=2)
    report, status = invariants()
    subject = f"{hub.repo.full_name}/stranger"
    assert status == 1
    assert problems(report) == {("review_counters", "helpful_count", subject)}
    assert report["findings"][0]["message"] == (
        f"{subject}: helpful_count is 2, its helpful votes are 1."
    )


def test_repair_recomputes_counters_from_their_sources_and_says_so(hub):
    bump(hub, downloads=5, likes=1, rating_count=-1)
    Review.objects.filter(pk=hub.review.pk).update(helpful_count=0)
    report, status = invariants("--repair")
    assert status == 1
    assert {f["problem"] for f in report["findings"]} == {
        "downloads",
        "daily_likes",
        "likes",
        "rating_count",
        "helpful_count",
    }
    assert {f["repaired"] for f in report["findings"]} == {
        "",  # the daily likes: Like rows are the truth, repaired below
        "downloads set to its recomputation",
        "likes set to its recomputation",
        "rating_count set to its recomputation",
        "helpful_count set to its recomputation",
    }
    hub.repo.refresh_from_db()
    assert (hub.repo.downloads, hub.repo.likes, hub.repo.rating_count) == (2, 1, 1)
    assert invariants()[1] == 0


def test_a_xorb_chunk_count_off_its_table_is_named(
    owner,
    uploaded,  # noqa: F811 - the real client's upload (tests/storage/test_xet_checks)
):
    data, xorbs, shard = uploaded
    receive(owner, xorbs, shard)
    xorb = XetXorb.objects.all()[0]
    XetXorb.objects.filter(pk=xorb.pk).update(chunk_count=F("chunk_count") + 1)
    report, status = invariants()
    assert status == 1
    assert problems(report) == {("storage_counters", "xorb_chunk_count", xorb.pk)}
