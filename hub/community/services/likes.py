"""Likes of a repo, counted on the repo and on today's daily stat."""

from __future__ import annotations

from datetime import UTC

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hub.accounts.models import User
from hub.catalog.models import ModelRepo, RepoDailyStat
from hub.community.models import Like


def _count_like(repo: ModelRepo, delta: int) -> None:
    today = timezone.now().astimezone(UTC).date()
    ModelRepo.objects.filter(pk=repo.pk).update(likes=F("likes") + delta)
    updated = RepoDailyStat.objects.filter(repo=repo, day=today).update(
        likes=F("likes") + delta
    )
    if not updated:
        try:
            with transaction.atomic():
                RepoDailyStat.objects.create(repo=repo, day=today, likes=delta)
        except IntegrityError:  # created concurrently: count on that row
            RepoDailyStat.objects.filter(repo=repo, day=today).update(
                likes=F("likes") + delta
            )


@transaction.atomic
def like_add(*, user: User, repo: ModelRepo) -> Like:
    """Like a repo. Idempotent: a second like changes nothing."""
    like, created = Like.objects.get_or_create(user=user, repo=repo)
    if created:
        _count_like(repo, +1)
    return like


@transaction.atomic
def like_remove(*, user: User, repo: ModelRepo) -> None:
    """Take a like back. Idempotent: unliking a repo not liked changes nothing."""
    deleted, _ = Like.objects.filter(user=user, repo=repo).delete()
    if deleted:
        # Today's count goes down too, so a like and unlike within the
        # trending window cancel out.
        _count_like(repo, -1)
