"""The community admin pages load with data, and hiding goes through the service."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from hub.community.models import CommentRevision, Discussion, DiscussionEvent, Like
from hub.community.services.comments import comment_create, comment_edit
from hub.community.services.discussions import discussion_create
from hub.community.services.likes import like_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, owner):
    owner.is_staff = owner.is_superuser = True
    owner.save()
    client.force_login(owner)
    return client


@pytest.fixture
def timeline(repo, owner, contributor):
    pr = discussion_create(
        repo=repo, author=contributor, title="Fix", is_pull_request=True
    )
    comment = comment_create(discussion=pr, author=contributor, content="rude")
    comment_edit(event=comment, actor=contributor, content="very rude")
    like_add(user=contributor, repo=repo)
    return pr, comment


def test_change_pages_load(staff_client, timeline):
    for model in (Discussion, DiscussionEvent, CommentRevision, Like):
        if model not in admin.site._registry:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        assert staff_client.get(changelist, {"q": "r"}).status_code == 200
        obj = model._default_manager.first()
        assert obj is not None
        change = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
        assert staff_client.get(change).status_code == 200, change


def test_hide_action_hides_through_the_service(staff_client, timeline, owner):
    _, comment = timeline
    url = reverse("admin:community_discussionevent_changelist")
    response = staff_client.post(
        url, {"action": "hide_comments", "_selected_action": [comment.pk]}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == owner
