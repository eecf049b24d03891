"""Invariant: every ref (branch, tag, pull request) points at an existing
commit of its repo."""

from __future__ import annotations

from hub.catalog.models import Commit, Ref
from tests.factories import make_repo
from tests.invariants.helpers import invariants, problems


def test_a_pull_request_ref_to_a_missing_commit_is_named(hub, stranger):
    pr = Ref.objects.create(
        repo=hub.repo, name="refs/pr/7", kind=Ref.Kind.PULL_REQUEST, commit=hub.commit
    )
    # Foreign keys are checked when a transaction commits, which a test never
    # reaches: a restored partial backup can look like this.
    missing = Commit.objects.order_by("-pk")[0].pk + 1000
    Ref.objects.filter(pk=pr.pk).update(commit_id=missing)
    try:
        report, status = invariants()
    finally:
        Ref.objects.filter(pk=pr.pk).update(commit=hub.commit)
    subject = f"{hub.repo.full_name} refs/pr/7"
    assert status == 1
    assert problems(report) == {("refs", "dangling", subject)}


def test_a_tag_on_another_repos_commit_is_named(hub, owner):
    other = make_repo(owner, "other")
    foreign = Commit.objects.filter(repo=other).get()
    Ref.objects.create(repo=hub.repo, name="v1", kind=Ref.Kind.TAG, commit=foreign)
    report, status = invariants()
    subject = f"{hub.repo.full_name} v1"
    assert status == 1
    assert problems(report) == {("refs", "foreign_commit", subject)}
