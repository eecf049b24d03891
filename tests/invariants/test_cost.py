"""``hub_fsck --invariants`` costs a fixed number of queries, whatever the
number of commits, files, runs and repos (aggregates in SQL and streamed
joins, no query per row)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.catalog.fsck import FSCK_CHECKS
from hub.storage.fsck import fsck_run, invariant_checks
from tests.factories import commit_files, make_repo
from tests.invariants.helpers import finish_runs


def queries_of_the_invariant_checks() -> int:
    with CaptureQueriesContext(connection) as queries:
        report = fsck_run([*FSCK_CHECKS, *invariant_checks()])
    assert report.ok, report.findings
    return len(queries)


def test_the_checks_make_as_many_queries_for_two_commits_as_for_ten(
    owner,
):
    repo = make_repo(owner, "cost")
    commit_files(repo, {"a.txt": b"one"}, author=owner)
    finish_runs()
    few = queries_of_the_invariant_checks()
    for n in range(4):
        other = make_repo(owner, f"cost{n}")
        commit_files(other, {f"{i}.txt": f"{n}/{i}".encode() for i in range(5)})
    finish_runs()
    assert queries_of_the_invariant_checks() == few <= 45, few
