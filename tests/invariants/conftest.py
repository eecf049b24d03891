"""A small hub with every kind of content the invariants cover, made through
the services and finished by the worker's task code; green before a test
breaks it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hub.catalog.models import Commit, ModelRepo, TreeEntry
from hub.catalog.services.repos import repo_record_download
from hub.community.services.discussions import discussion_create
from hub.community.services.likes import like_add
from hub.reviews.models import Review
from hub.reviews.services import review_submit, review_vote_add
from tests.factories import commit_files, make_repo
from tests.invariants.helpers import finish_runs, invariants
from tests.storage.conftest import moto_server, s3_store  # noqa: F401 - fixtures
from tests.storage.test_xet_checks import safetensors_bytes

FILES = {
    "README.md": b"---\nlicense: mit\n---\n# Invariants\n",
    "model.safetensors": safetensors_bytes(),
    "notes.txt": b"nothing happens to this file",
}


@dataclass
class Hub:
    repo: ModelRepo
    commit: Commit
    review: Review

    def blob(self, path: str) -> str:
        return TreeEntry.objects.get(commit=self.commit, path=path).blob_id

    @property
    def at(self) -> str:
        """The subject of the commit in findings."""
        return f"{self.repo.full_name}@{self.commit.oid}"


@pytest.fixture
def hub(owner, stranger) -> Hub:
    repo = make_repo(owner, "inv")
    commit = commit_files(repo, FILES, author=owner)
    finish_runs()
    repo_record_download(repo=repo)
    repo_record_download(repo=repo)
    like_add(user=stranger, repo=repo)
    review, _ = review_submit(repo=repo, author=stranger, commit=commit, rating=5)
    review_vote_add(review=review, user=owner)
    discussion_create(repo=repo, author=stranger, title="A question")
    report, status = invariants()
    assert (status, report["findings"]) == (0, [])
    repo.refresh_from_db()
    return Hub(repo, commit, review)
