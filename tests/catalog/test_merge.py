"""Merging a PR ref into a branch: merge base, fast-forward, three-way, conflicts."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hub.catalog.errors import QuarantinedBlobError
from hub.catalog.gitobjects import lfs_pointer
from hub.catalog.merge import (
    MergeConflictError,
    commit_merge,
    merge_base,
    merge_conflicts,
)
from hub.catalog.models import Commit, ModelRepo, Ref
from hub.catalog.revisions import revision_resolve
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import DeleteFile
from hub.catalog.services.refs import pull_request_ref_create
from hub.storage.models import Blob
from hub.storage.services import blob_quarantine, blob_store
from tests.factories import commit_files, make_repo

pytestmark = pytest.mark.django_db


@pytest.fixture
def repo(owner) -> ModelRepo:
    repo = make_repo(owner, "merge-me")
    commit_files(
        repo,
        {"a.txt": b"a1\n", "b.txt": b"b1\n", "README.md": b"---\nlicense: mit\n---\n"},
        author=owner,
        title="Base files",
    )
    return repo


def head(repo: ModelRepo, revision: str = "main") -> Commit:
    return revision_resolve(repo=repo, revision=revision)


def files_at(repo: ModelRepo, revision: str = "main") -> dict[str, bytes]:
    commit = head(repo, revision)
    return {
        e.path: b"".join(blob_store().iter_range(e.blob_id))
        for e in commit.entries.all()
    }


def open_pr(repo: ModelRepo, number: int = 1) -> str:
    pull_request_ref_create(repo=repo, number=number, revision="main")
    return f"refs/pr/{number}"


def test_merge_base_of_diverged_commits_is_the_fork_point(repo, owner):
    fork = head(repo)
    pr = open_pr(repo)
    ours = commit_files(repo, {"a.txt": b"main\n"}, author=owner)
    theirs = commit_files(repo, {"b.txt": b"pr\n"}, author=owner, revision=pr)
    assert merge_base(a=ours, b=theirs) == fork
    assert merge_base(a=theirs, b=ours) == fork
    assert merge_base(a=ours, b=fork) == fork
    assert merge_base(a=ours, b=ours) == ours


def test_merge_base_walks_the_second_parent_of_merges(repo, owner):
    pr = open_pr(repo)
    commit_files(repo, {"a.txt": b"main\n"}, author=owner)
    pr_head = commit_files(repo, {"b.txt": b"pr\n"}, author=owner, revision=pr)
    merged = commit_merge(
        repo=repo, source_ref=pr, target_branch="main", author=owner, title="Merge"
    )
    assert merged.merge_parent == pr_head
    # Reachable only through merge_parent: the PR head itself is the base.
    assert merge_base(a=merged, b=pr_head) == pr_head


def test_fast_forwards_when_the_branch_has_not_moved(repo, owner):
    pr = open_pr(repo)
    pr_head = commit_files(
        repo,
        {"b.txt": b"b2\n", "README.md": b"---\nlicense: apache-2.0\n---\n"},
        author=owner,
        revision=pr,
    )
    count = Commit.objects.filter(repo=repo).count()
    result = commit_merge(
        repo=repo, source_ref=pr, target_branch="main", author=owner, title="Merge"
    )
    assert result == pr_head
    assert head(repo) == pr_head
    assert Commit.objects.filter(repo=repo).count() == count
    repo.refresh_from_db()
    assert repo.license == "apache-2.0"  # the card follows main's new head


def test_three_way_merge_commits_both_sides_with_two_parents(repo, owner):
    pr = open_pr(repo)
    ours = commit_files(repo, {"a.txt": b"a-main\n"}, author=owner)
    theirs = commit_create(
        repo=repo,
        operations=[DeleteFile("b.txt")],
        title="Drop b",
        author=owner,
        revision=pr,
    )
    theirs = commit_files(repo, {"c.txt": b"new\n"}, author=owner, revision=pr)
    merged = commit_merge(
        repo=repo,
        source_ref=pr,
        target_branch="main",
        author=owner,
        title="Merge pull request #1",
    )
    assert head(repo) == merged
    assert merged.parent == ours
    assert merged.merge_parent == theirs
    assert merged.title == "Merge pull request #1"
    assert files_at(repo) == {
        ".gitattributes": files_at(repo, ours.oid)[".gitattributes"],
        "README.md": b"---\nlicense: mit\n---\n",
        "a.txt": b"a-main\n",
        "c.txt": b"new\n",
    }
    repo.refresh_from_db()
    assert repo.license == "mit"


def test_identical_changes_on_both_sides_do_not_conflict(repo, owner):
    pr = open_pr(repo)
    commit_files(repo, {"a.txt": b"same\n", "x.txt": b"x\n"}, author=owner)
    commit_files(repo, {"a.txt": b"same\n"}, author=owner, revision=pr)
    merged = commit_merge(
        repo=repo, source_ref=pr, target_branch="main", author=owner, title="Merge"
    )
    assert files_at(repo)["a.txt"] == b"same\n"
    assert merged.merge_parent is not None


def test_conflicting_changes_refuse_the_merge_and_name_the_paths(repo, owner):
    pr = open_pr(repo)
    before = commit_create(
        repo=repo, operations=[DeleteFile("b.txt")], title="Drop b", author=owner
    )
    before = commit_files(repo, {"a.txt": b"from main\n"}, author=owner)
    commit_files(
        repo,
        {"a.txt": b"from pr\n", "b.txt": b"b edited\n"},
        author=owner,
        revision=pr,
    )
    assert merge_conflicts(repo=repo, source_ref=pr, target_branch="main") == [
        "a.txt",
        "b.txt",
    ]
    with pytest.raises(MergeConflictError) as info:
        commit_merge(
            repo=repo, source_ref=pr, target_branch="main", author=owner, title="M"
        )
    assert info.value.code == "merge_conflict"
    assert info.value.details == {"paths": ["a.txt", "b.txt"]}
    assert "a.txt, b.txt" in info.value.message
    assert head(repo) == before


def test_source_already_contained_in_target_changes_nothing(repo, owner):
    pr = open_pr(repo)
    main_head = commit_files(repo, {"a.txt": b"later\n"}, author=owner)
    assert (
        commit_merge(
            repo=repo, source_ref=pr, target_branch="main", author=owner, title="M"
        )
        == main_head
    )
    assert head(repo) == main_head


def test_quarantined_file_in_the_source_refuses_the_merge(repo, owner):
    pr = open_pr(repo)
    commit_files(repo, {"evil.txt": b"payload\n"}, author=owner, revision=pr)
    entry = head(repo, pr).entries.get(path="evil.txt")
    blob_quarantine(blob=Blob.objects.get(pk=entry.blob_id), reason="unsafe pickle")
    main_head = head(repo)
    with pytest.raises(QuarantinedBlobError) as info:
        commit_merge(
            repo=repo, source_ref=pr, target_branch="main", author=owner, title="M"
        )
    assert "evil.txt" in info.value.message
    assert "unsafe pickle" in info.value.message
    assert head(repo) == main_head
    assert Ref.objects.get(repo=repo, name="main").commit == main_head


# Real git computes the same merge commit id -----------------------------------


def git(repo_dir: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=repo_dir,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", **(env or {})},
    ).stdout.strip()


def replay(git_dir: Path, msg_file: Path, commit: Commit) -> str:
    """Write the commit's full tree and commit it in git with the same parents."""
    for child in git_dir.iterdir():
        if child.name != ".git":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    for entry in commit.entries.all():
        target = git_dir / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if entry.is_lfs:
            target.write_bytes(lfs_pointer(sha256=entry.blob_id, size=entry.size))
        else:
            target.write_bytes(b"".join(blob_store().iter_range(entry.blob_id)))
    git(git_dir, "add", "-A")
    tree = git(git_dir, "write-tree")
    assert tree == commit.tree_oid
    parents: list[str] = []
    for parent_id in (commit.parent_id, commit.merge_parent_id):
        if parent_id is not None:
            parents += ["-p", Commit.objects.get(pk=parent_id).oid]
    msg_file.write_text(commit.message + "\n")
    when = f"{int(commit.created_at.timestamp())} +0000"
    ident = {
        "GIT_AUTHOR_NAME": commit.author_name,
        "GIT_AUTHOR_EMAIL": commit.author_email,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": commit.author_name,
        "GIT_COMMITTER_EMAIL": commit.author_email,
        "GIT_COMMITTER_DATE": when,
    }
    return git(git_dir, "commit-tree", tree, *parents, "-F", str(msg_file), env=ident)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_merge_commit_id_matches_git(tmp_path, repo, owner):
    git_dir = tmp_path / "clone"
    git_dir.mkdir()
    git(git_dir, "init", "-q", "-b", "main")
    pr = open_pr(repo)
    commit_files(repo, {"a.txt": b"a-main\n", "w.bin": b"\0\1weights"}, author=owner)
    commit_files(repo, {"nested/c.txt": b"from the pr\n"}, author=owner, revision=pr)
    merged = commit_merge(
        repo=repo,
        source_ref=pr,
        target_branch="main",
        author=owner,
        title="Merge pull request #1: add c",
    )
    assert merged.merge_parent is not None
    # Replay the whole history, oldest first, so each parent exists in git.
    for commit in Commit.objects.filter(repo=repo).order_by("pk"):
        assert replay(git_dir, tmp_path / "msg", commit) == commit.oid, commit.title
    log = git(git_dir, "log", "--format=%P", "-1", merged.oid)
    assert merged.parent is not None
    assert log.split() == [merged.parent.oid, merged.merge_parent.oid]
