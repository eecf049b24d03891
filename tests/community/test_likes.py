"""Likes: idempotent, counted on the repo and on today's stats, visibility."""

from __future__ import annotations

from datetime import UTC

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hub.catalog.models import ModelRepo, RepoDailyStat
from hub.community.models import Like
from hub.community.selectors import like_exists, likers_of_repo, likes_of_user
from hub.community.services.likes import like_add, like_remove
from tests.factories import make_repo, make_user

pytestmark = pytest.mark.django_db


def today_likes(repo: ModelRepo) -> int:
    today = timezone.now().astimezone(UTC).date()
    row = RepoDailyStat.objects.filter(repo=repo, day=today).first()
    return row.likes if row else 0


def test_like_is_idempotent_and_counted(repo, contributor, owner):
    like_add(user=contributor, repo=repo)
    like_add(user=contributor, repo=repo)
    like_add(user=owner, repo=repo)
    assert ModelRepo.objects.get(pk=repo.pk).likes == 2
    assert today_likes(repo) == 2
    assert Like.objects.filter(repo=repo).count() == 2
    assert like_exists(user=contributor, repo=repo)
    assert not like_exists(user=AnonymousUser(), repo=repo)


def test_unlike_is_idempotent_and_counted(repo, contributor):
    like_add(user=contributor, repo=repo)
    like_remove(user=contributor, repo=repo)
    like_remove(user=contributor, repo=repo)
    assert ModelRepo.objects.get(pk=repo.pk).likes == 0
    assert today_likes(repo) == 0
    assert not like_exists(user=contributor, repo=repo)


def test_likes_of_user_show_only_repos_the_viewer_may_see(owner, contributor):
    public = make_repo(owner, "public-one")
    private = make_repo(owner, "private-one", is_private=True)
    like_add(user=owner, repo=public)
    like_add(user=owner, repo=private)

    def names(viewer):
        return [
            like.repo.full_name for like in likes_of_user(user=owner, viewer=viewer)
        ]

    assert names(owner) == ["owner/private-one", "owner/public-one"]
    assert names(contributor) == ["owner/public-one"]
    assert names(AnonymousUser()) == ["owner/public-one"]


def test_likers_newest_first_without_inactive_users(repo, owner, contributor):
    gone = make_user("gone")
    for user in (owner, contributor, gone):
        like_add(user=user, repo=repo)
    gone.is_active = False
    gone.save()
    likers = [like.user.username for like in likers_of_repo(repo=repo)]
    assert likers == ["contributor", "owner"]
