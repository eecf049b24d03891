"""``manage.py hub_rescan``: checks run again with the workers' current validators."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from hub.jobs.models import BlobVerdict, ValidationRun
from hub.storage.models import Blob
from tests.factories import commit_files, make_org, make_repo
from workers.jobs import check_file, check_repo

MARKER = {"severity": "info", "code": "test.cached", "message": "cached verdict"}
OLD_VERSION = "text/r1.000000"


def rescan(*args: str) -> dict:
    out = io.StringIO()
    call_command("hub_rescan", *args, "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def run_checks(commit) -> None:
    """What a worker does with every queued check of the commit."""
    for run in ValidationRun.objects.filter(commit=commit, status="queued"):
        (check_file if run.kind == "file" else check_repo)(run.pk)


def run_of(commit, path) -> ValidationRun:
    return ValidationRun.objects.get(commit=commit, path=path)


@pytest.fixture
def checked(owner):
    """A repo whose head was checked: old.txt by an older validator version,
    cur.txt by the current one (its cached verdict carries a marker)."""
    repo = make_repo(owner, "scanned")
    commit = commit_files(
        repo, {"old.txt": b"judged long ago", "cur.txt": b"judged now"}, author=owner
    )
    run_checks(commit)
    old = run_of(commit, "old.txt")
    BlobVerdict.objects.filter(blob_id=old.blob_id).update(
        validator_version=OLD_VERSION
    )
    ValidationRun.objects.filter(pk=old.pk).update(validator_version=OLD_VERSION)
    BlobVerdict.objects.filter(blob_id=run_of(commit, "cur.txt").blob_id).update(
        findings=[MARKER]
    )
    return repo, commit


def test_an_older_verdict_is_redone_and_a_current_one_is_not(
    checked, django_capture_on_commit_callbacks
):
    repo, commit = checked
    current = run_of(commit, "cur.txt").validator_version
    assert current != OLD_VERSION
    with django_capture_on_commit_callbacks() as sent:
        report = rescan(repo.full_name)
    assert report["commits"] == 1 and report["in_progress"] == 0
    assert {q["path"] for q in report["queued"]} == {
        ".gitattributes",
        "old.txt",
        "cur.txt",
        "",
    }
    assert len(sent) == 4  # one message per re-queued check, after commit
    assert set(
        ValidationRun.objects.filter(commit=commit).values_list("status", flat=True)
    ) == {"queued"}

    run_checks(commit)

    old, cur = run_of(commit, "old.txt"), run_of(commit, "cur.txt")
    assert (old.status, old.reused) == ("succeeded", False)
    assert old.validator_version == current  # redone by today's validators
    assert BlobVerdict.objects.filter(
        blob_id=old.blob_id, validator_version=current
    ).exists()
    assert (cur.status, cur.reused, cur.findings) == ("succeeded", True, [MARKER])
    assert BlobVerdict.objects.filter(blob_id=cur.blob_id).count() == 1


def test_force_checks_current_verdicts_again_too(checked):
    repo, commit = checked
    report = rescan(repo.full_name, "--force")
    assert report["verdicts_forgotten"] == 3  # .gitattributes, old.txt, cur.txt
    run_checks(commit)
    cur = run_of(commit, "cur.txt")
    assert (cur.status, cur.reused) == ("succeeded", False)
    assert MARKER not in cur.findings


def test_a_dry_run_lists_the_checks_and_changes_nothing(
    checked, django_capture_on_commit_callbacks
):
    repo, commit = checked
    with django_capture_on_commit_callbacks() as sent:
        report = rescan(repo.full_name, "--dry-run", "--force")
    assert report["dry_run"] is True and len(report["queued"]) == 4
    assert report["verdicts_forgotten"] == 3
    assert not sent
    assert not ValidationRun.objects.filter(commit=commit, status="queued").exists()
    assert BlobVerdict.objects.count() == 3
    out = io.StringIO()
    call_command("hub_rescan", repo.full_name, "--dry-run", stdout=out)
    assert "Would queue 4 checks of 1 commits in 1 repos" in out.getvalue()
    assert "Dry run: nothing was queued." in out.getvalue()


def test_checks_already_queued_are_left_alone(checked):
    repo, commit = checked
    assert rescan(repo.full_name)["in_progress"] == 0
    again = rescan(repo.full_name)
    assert (again["in_progress"], again["queued"]) == (4, [])


def test_branch_heads_by_default_every_commit_with_all_commits(owner):
    repo = make_repo(owner, "history")
    first = commit_files(repo, {"a.txt": b"one"}, author=owner)
    head = commit_files(repo, {"a.txt": b"two"}, author=owner)
    run_checks(first)
    run_checks(head)
    assert {q["commit"] for q in rescan(repo.full_name)["queued"]} == {head.oid}
    ValidationRun.objects.update(status="succeeded")
    covered = rescan(repo.full_name, "--all-commits")["queued"]
    history = set(repo.commits.values_list("oid", flat=True))
    assert {first.oid, head.oid} < history  # and the repo's first commit
    assert {q["commit"] for q in covered} == history


def test_a_namespace_or_all_repos_and_bad_targets(owner):
    org = make_org("lab", creator=owner)
    mine = make_repo(owner, "mine")
    theirs = make_repo(org, "theirs")
    for repo in (mine, theirs):
        run_checks(commit_files(repo, {"x.txt": repo.name.encode()}, author=owner))
    by_ns = rescan("LAB")
    assert {q["repo"] for q in by_ns["queued"]} == {"lab/theirs"}
    ValidationRun.objects.update(status="succeeded")
    assert {q["repo"] for q in rescan("--all")["queued"]} == {
        mine.full_name,
        "lab/theirs",
    }
    for args, message in (
        ((), "or --all"),
        (("lab", "--all"), "or --all"),
        (("nobody/none",), "There is no repo nobody/none"),
        (("nobody",), "There is no namespace nobody"),
        (("a/b/c",), "neither a repo"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("hub_rescan", *args, stdout=io.StringIO())


def test_a_commit_without_checks_gets_them(owner, django_capture_on_commit_callbacks):
    repo = make_repo(owner, "unchecked")
    commit = commit_files(repo, {"w.txt": b"w"}, author=owner)
    ValidationRun.objects.filter(commit=commit).delete()
    planned = rescan(repo.full_name, "--dry-run")["queued"]
    assert {q["path"] for q in planned} == {".gitattributes", "w.txt", ""}
    assert not ValidationRun.objects.filter(commit=commit).exists()
    with django_capture_on_commit_callbacks() as sent:
        rescan(repo.full_name)
    assert ValidationRun.objects.filter(commit=commit, status="queued").count() == 3
    assert len(sent) == 3
    assert Blob.objects.filter(pk=run_of(commit, "w.txt").blob_id).exists()


def test_the_admin_action_queues_the_commits_of_the_chosen_runs(
    checked, client, stranger, django_capture_on_commit_callbacks
):
    repo, commit = checked
    url = reverse("admin:jobs_validationrun_changelist")
    chosen = {
        "action": "rescan_commits",
        "_selected_action": [run_of(commit, "old.txt").pk],
    }
    client.force_login(stranger)  # not staff
    assert client.post(url, chosen).status_code == 302
    assert not ValidationRun.objects.filter(commit=commit, status="queued").exists()

    stranger.is_staff = stranger.is_superuser = True
    stranger.save()
    with django_capture_on_commit_callbacks(execute=False) as sent:
        page = client.post(url, chosen, follow=True)
    assert "Queued 4 checks of 1 commits" in page.content.decode()
    assert len(sent) == 4
    assert ValidationRun.objects.filter(commit=commit, status="queued").count() == 4
