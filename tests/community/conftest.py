"""Actors of the community tests: a maintainer's repo and a contributor."""

from __future__ import annotations

import pytest

from hub.accounts.services import token_create
from tests.factories import commit_files, make_repo, make_user


@pytest.fixture
def contributor(db):
    return make_user("contributor")


@pytest.fixture
def repo(owner):
    repo = make_repo(owner, "community-model")
    commit_files(repo, {"config.json": b'{"a": 1}\n'}, author=owner, title="Config")
    return repo


@pytest.fixture
def write_token(contributor):
    return token_create(user=contributor, name="write", scope="write")[0]


@pytest.fixture
def read_token(contributor):
    return token_create(user=contributor, name="read", scope="read")[0]
