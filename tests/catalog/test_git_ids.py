"""Commit, tree and blob ids are exactly the ones git computes for the same content."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hub.catalog.gitobjects import lfs_pointer
from hub.catalog.models import TreeEntry
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import AddFile, DeleteFile
from hub.storage.services import blob_store, blob_upload_bytes
from tests.factories import make_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(repo_dir: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=repo_dir,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", **(env or {})},
    ).stdout.strip()


def replay_in_git(
    tmp_path: Path, commit, files: dict[str, bytes], git_dir: Path
) -> str:
    """Write ``files`` (full tree) into the work tree and commit like the hub did."""
    for child in git_dir.iterdir():
        if child.name != ".git":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    for path, data in files.items():
        target = git_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    git(git_dir, "add", "-A")
    message = tmp_path / "msg"
    message.write_text(commit.message + "\n")
    when = f"{int(commit.created_at.timestamp())} +0000"
    ident = {
        "GIT_AUTHOR_NAME": commit.author_name,
        "GIT_AUTHOR_EMAIL": commit.author_email,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": commit.author_name,
        "GIT_COMMITTER_EMAIL": commit.author_email,
        "GIT_COMMITTER_DATE": when,
    }
    git(git_dir, "commit", "-q", "--allow-empty", "-F", str(message), env=ident)
    return git(git_dir, "rev-parse", "HEAD")


@pytest.mark.django_db
def test_commit_tree_and_blob_ids_match_git(tmp_path, owner):
    git_dir = tmp_path / "clone"
    git_dir.mkdir()
    git(git_dir, "init", "-q", "-b", "main")

    repo = make_repo(owner, "gitcheck")
    first = repo.commits.get()
    gitattributes = first.entries.get(path=".gitattributes")
    attr_bytes = b"".join(blob_store().iter_range(gitattributes.blob_id))
    assert (
        replay_in_git(tmp_path, first, {".gitattributes": attr_bytes}, git_dir)
        == first.oid
    )

    weights = os.urandom(4096)
    files = {
        "README.md": b"---\nlicense: mit\ntags:\n- test\n---\n# Hello\n",
        "config.json": b'{"model_type": "gpt2"}\n',
        "model.safetensors": weights,  # LFS by .gitattributes
        "nested/deeper/notes.txt": "café ünïcode\n".encode(),
        "nested/a-b.txt": b"sorts before the folder 'nested/a'\n",
        "nested/a/file.txt": b"inside a folder named a\n",
    }
    ops = [AddFile(p, blob_upload_bytes(data=d).sha256) for p, d in files.items()]
    second = commit_create(
        repo=repo,
        operations=ops,
        title="Add model",
        description="With a body.\n\nAnd two paragraphs.",
        author=owner,
    )
    # git stores the LFS file as its pointer text, as git-lfs does.
    in_git = {".gitattributes": attr_bytes, **files}
    in_git["model.safetensors"] = lfs_pointer(
        sha256=hashlib.sha256(weights).hexdigest(), size=len(weights)
    )
    assert replay_in_git(tmp_path, second, in_git, git_dir) == second.oid
    assert git(git_dir, "rev-parse", "HEAD^{tree}") == second.tree_oid
    for entry in TreeEntry.objects.filter(commit=second):
        assert git(git_dir, "rev-parse", f"HEAD:{entry.path}") == entry.git_oid
    assert second.entries.get(path="model.safetensors").is_lfs
    assert not second.entries.get(path="config.json").is_lfs

    third = commit_create(
        repo=repo,
        operations=[DeleteFile("nested/a/file.txt")],
        title="Remove a file",
        author=owner,
    )
    del in_git["nested/a/file.txt"]
    assert replay_in_git(tmp_path, third, in_git, git_dir) == third.oid
