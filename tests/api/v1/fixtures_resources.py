"""Actors and repos shared by the resource API tests (imported by test modules).

``lab`` is an organization owned by ``owner`` with a read-only member
``reader``; it holds a public repo and a private one whose name, files and
discussion titles are distinctive, so a leak shows up as a plain substring.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from api.v1.throttling import IpRateThrottle, TokenRateThrottle
from hub.accounts.memberships import membership_set
from hub.accounts.models import Organization, User
from hub.accounts.services import token_create
from hub.catalog.models import Commit, ModelRepo
from hub.community.models import Discussion
from hub.community.services.comments import comment_create
from hub.community.services.discussions import discussion_create
from tests.factories import commit_files, make_org, make_repo, make_user

PUBLIC_README = b"""---
license: apache-2.0
tags:
- text-classification
---
# Open model
"""
PRIVATE_README = b"""---
license: mit
tags:
- zz-hidden-tag
---
# Hidden model
"""
PRIVATE_NAME = "zz-hidden-weights"
PRIVATE_TITLE = "zz hidden discussion title"


@pytest.fixture(autouse=True)
def no_throttle(monkeypatch):
    """Rate limits are not under test here; the suite makes many requests."""
    monkeypatch.setattr(IpRateThrottle, "allow_request", lambda *a, **k: True)
    monkeypatch.setattr(TokenRateThrottle, "allow_request", lambda *a, **k: True)


def client_for(secret: str | None = None, user: User | None = None) -> APIClient:
    """An API client: anonymous, with a Bearer token, or a signed-in session."""
    client = APIClient()
    if secret is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    if user is not None:
        client.force_login(user)
    return client


def token_for(user: User, scope: str = "write", **kwargs: Any) -> str:
    return token_create(
        user=user, name=f"{user.username}-{scope}", scope=scope, **kwargs
    )[1]


@dataclass
class Lab:
    owner: User
    reader: User
    stranger: User
    org: Organization
    public: ModelRepo
    private: ModelRepo
    public_head: Commit
    private_head: Commit
    private_discussion: Discussion


def build_lab() -> Lab:
    owner = make_user("owner")
    reader = make_user("reader")
    stranger = make_user("stranger")
    org = make_org("lab", creator=owner)
    membership_set(organization=org, user=reader, role="read")
    public = make_repo(org, "open-model", creator=owner)
    public_head = commit_files(
        public,
        {
            "README.md": PUBLIC_README,
            "config.json": b'{"hidden_size": 8}\n',
            "model.safetensors": b"weights" * 10,
            "docs/guide.md": b"# Guide\n",
        },
        author=owner,
        title="Add model",
    )
    private = make_repo(org, PRIVATE_NAME, creator=owner, is_private=True)
    private_head = commit_files(
        private,
        {"README.md": PRIVATE_README, "secret.txt": b"zz private bytes\n"},
        author=owner,
        title="zz private commit",
    )
    private_discussion = discussion_create(
        repo=private, author=owner, title=PRIVATE_TITLE, description="zz body"
    )
    comment_create(discussion=private_discussion, author=owner, content="zz comment")
    return Lab(
        owner=owner,
        reader=reader,
        stranger=stranger,
        org=org,
        public=public,
        private=private,
        public_head=public_head,
        private_head=private_head,
        private_discussion=private_discussion,
    )


@pytest.fixture(name="lab")
def lab_fixture(db) -> Lab:
    return build_lab()
