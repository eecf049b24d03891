"""Pull requests: refs, commits, push rights, merging, conflicts and diffs."""

from __future__ import annotations

import pytest

from hub.accounts.services import token_create
from hub.catalog.errors import MissingBlobError, QuarantinedBlobError
from hub.catalog.merge import MergeConflictError
from hub.catalog.models import ModelRepo, Ref
from hub.catalog.revisions import revision_resolve
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import AddFile
from hub.community.models import Discussion
from hub.community.pull_request_selectors import (
    pull_request_conflicts,
    pull_request_diff,
)
from hub.community.selectors import discussion_events, pull_request_can_push
from hub.community.services.discussions import (
    discussion_change_status,
    discussion_create,
)
from hub.community.services.pull_requests import (
    pull_request_create_with_commit,
    pull_request_merge,
    pull_request_record_commit,
)
from hub.core.errors import PermissionDeniedError, ValidationError
from hub.storage.models import Blob
from hub.storage.services import blob_quarantine, blob_upload_bytes
from tests.factories import commit_files, make_user

pytestmark = pytest.mark.django_db


def add(path: str, data: bytes) -> AddFile:
    return AddFile(path, blob_upload_bytes(data=data).sha256)


def push(repo, pr: Discussion, files: dict[str, bytes], author):
    """Commit to the PR ref and record it, as the HF commit endpoint does."""
    commit = commit_files(repo, files, author=author, revision=pr.git_ref)
    pull_request_record_commit(
        repo=repo, ref_name=pr.git_ref, commit=commit, author=author
    )
    return commit


@pytest.fixture
def pr(repo, contributor):
    return discussion_create(
        repo=repo,
        author=contributor,
        title="Fix the config",
        is_pull_request=True,
    )


def test_pull_request_starts_as_a_draft_with_its_ref_at_main(repo, pr):
    assert pr.status == "draft"
    assert pr.target_branch == "main"
    ref = Ref.objects.get(repo=repo, name="refs/pr/1")
    assert ref.kind == Ref.Kind.PULL_REQUEST
    assert ref.commit == revision_resolve(repo=repo, revision="main")


def test_pull_request_must_target_a_branch(repo, contributor):
    with pytest.raises(ValidationError, match="is not a branch"):
        discussion_create(
            repo=repo,
            author=contributor,
            title="PR",
            is_pull_request=True,
            target_branch="nope",
        )
    assert ModelRepo.objects.get(pk=repo.pk).last_discussion_num == 0


def test_recorded_commit_opens_the_draft(repo, pr, contributor):
    commit = push(repo, pr, {"config.json": b'{"a": 2}\n'}, contributor)
    pr.refresh_from_db()
    assert pr.status == "open"
    event = list(discussion_events(discussion=pr))[-1]
    assert event.type == "commit"
    assert event.data == {"oid": commit.oid, "subject": "Add files"}
    assert event.author == contributor


def test_recording_a_commit_elsewhere_is_a_no_op(repo, pr, owner):
    commit = commit_files(repo, {"x.txt": b"x"}, author=owner)
    pull_request_record_commit(repo=repo, ref_name="main", commit=commit, author=owner)
    pull_request_record_commit(
        repo=repo, ref_name="refs/pr/99", commit=commit, author=owner
    )
    assert discussion_events(discussion=pr).count() == 1


def test_create_with_commit_opens_a_pr_on_top_of_the_base(repo, contributor):
    main_before = revision_resolve(repo=repo, revision="main")
    pr, commit = pull_request_create_with_commit(
        repo=repo,
        author=contributor,
        base_branch="main",
        operations=[add("config.json", b'{"a": 3}\n')],
        title="Bump a",
        description="Because.",
    )
    assert (pr.num, pr.title, pr.status, pr.is_pull_request) == (
        1,
        "Bump a",
        "open",
        True,
    )
    assert commit.parent == main_before
    assert revision_resolve(repo=repo, revision="refs/pr/1") == commit
    assert revision_resolve(repo=repo, revision="main") == main_before
    events = list(discussion_events(discussion=pr))
    assert [(e.type, e.content) for e in events] == [
        ("comment", "Because."),
        ("commit", ""),
    ]


def test_create_with_commit_is_all_or_nothing(repo, contributor):
    with pytest.raises(MissingBlobError):
        pull_request_create_with_commit(
            repo=repo,
            author=contributor,
            base_branch="main",
            operations=[AddFile("x.txt", "0" * 64)],
            title="Broken",
        )
    assert not Discussion.objects.filter(repo=repo).exists()
    assert not Ref.objects.filter(repo=repo, name="refs/pr/1").exists()
    assert ModelRepo.objects.get(pk=repo.pk).last_discussion_num == 0


def test_push_rights(repo, pr, owner, contributor, write_token, read_token):
    stranger = make_user("passer-by")
    stranger_token = token_create(user=stranger, name="w", scope="write")[0]

    def can(user, token, ref="refs/pr/1"):
        return pull_request_can_push(user=user, token=token, repo=repo, ref_name=ref)

    assert can(owner, None)
    assert can(contributor, write_token)
    assert can(contributor, None)
    assert not can(contributor, read_token)
    assert not can(stranger, stranger_token)
    assert not can(contributor, write_token, ref="main")
    assert can(owner, None, ref="main")
    discussion_change_status(discussion=pr, actor=contributor, status="closed")
    assert not can(contributor, write_token)
    assert not can(owner, None)


def test_maintainer_merges_an_open_pr(repo, pr, owner, contributor):
    head = push(repo, pr, {"config.json": b'{"a": 2}\n'}, contributor)
    merged = pull_request_merge(discussion=pr, actor=owner, comment="Thanks!")
    assert merged == head  # main had not moved: fast-forward
    assert revision_resolve(repo=repo, revision="main") == head
    pr.refresh_from_db()
    assert pr.status == "merged" and pr.merge_commit == head
    timeline = [(e.type, e.data, e.content) for e in discussion_events(discussion=pr)]
    assert timeline[-2:] == [
        ("comment", {}, "Thanks!"),
        ("status-change", {"status": "merged"}, ""),
    ]
    with pytest.raises(ValidationError, match="cannot be closed or reopened"):
        discussion_change_status(discussion=pr, actor=owner, status="open")
    with pytest.raises(ValidationError, match="only an open pull request"):
        pull_request_merge(discussion=pr, actor=owner)


def test_merge_commit_when_main_moved(repo, pr, owner, contributor):
    push(repo, pr, {"new.txt": b"new\n"}, contributor)
    main_head = commit_files(repo, {"other.txt": b"o\n"}, author=owner)
    merged = pull_request_merge(discussion=pr, actor=owner)
    assert merged.parent == main_head
    assert merged.merge_parent == revision_resolve(repo=repo, revision="refs/pr/1")
    assert merged.title == "Merge pull request #1: Fix the config"


def test_only_maintainers_merge_and_only_open_prs(repo, pr, owner, contributor):
    with pytest.raises(ValidationError, match="no commits yet"):
        pull_request_merge(discussion=pr, actor=owner)
    push(repo, pr, {"config.json": b"{}\n"}, contributor)
    with pytest.raises(PermissionDeniedError, match="Only maintainers"):
        pull_request_merge(discussion=pr, actor=contributor)
    discussion = discussion_create(repo=repo, author=contributor, title="Q")
    with pytest.raises(ValidationError, match="not a pull request"):
        pull_request_merge(discussion=discussion, actor=owner)


def test_conflict_leaves_the_pr_open_and_is_reported(repo, pr, owner, contributor):
    push(repo, pr, {"config.json": b'{"a": "pr"}\n'}, contributor)
    commit_files(repo, {"config.json": b'{"a": "main"}\n'}, author=owner)
    assert pull_request_conflicts(discussion=pr) == ["config.json"]
    with pytest.raises(MergeConflictError, match="config.json"):
        pull_request_merge(discussion=pr, actor=owner)
    pr.refresh_from_db()
    assert pr.status == "open"


def test_quarantined_file_blocks_the_merge(repo, pr, owner, contributor):
    push(repo, pr, {"model.pkl": b"\x80\x04evil"}, contributor)
    entry = revision_resolve(repo=repo, revision=pr.git_ref).entries.get(
        path="model.pkl"
    )
    blob_quarantine(blob=Blob.objects.get(pk=entry.blob_id), reason="unsafe pickle")
    with pytest.raises(QuarantinedBlobError, match="model.pkl"):
        pull_request_merge(discussion=pr, actor=owner)
    pr.refresh_from_db()
    assert pr.status == "open"


def test_diff_shows_text_changes_and_notes_for_binaries(repo, pr, owner, contributor):
    push(
        repo,
        pr,
        {
            "config.json": b'{"a": 2}\n',
            "notes.txt": b"no newline",
            "blob.dat": b"\x00\x01\x02",
            "weights.safetensors": b"0123456789",
        },
        contributor,
    )
    commit_files(repo, {"main-only.txt": b"m\n"}, author=owner)
    diff = pull_request_diff(discussion=pr, user=contributor)
    assert "main-only.txt" not in diff  # from the merge base, not from main
    assert (
        "diff --git a/config.json b/config.json\n"
        "--- a/config.json\n"
        "+++ b/config.json\n"
        "@@ -1 +1 @@\n"
        '-{"a": 1}\n'
        '+{"a": 2}\n'
    ) in diff
    assert "+++ b/notes.txt\n@@ -0,0 +1 @@\n+no newline\n\\ No newline" in diff
    assert (
        "new file mode 100644\nBinary files /dev/null and b/blob.dat differ\n" in diff
    )
    assert "LFS files /dev/null and b/weights.safetensors differ" in diff


def test_diff_of_a_merged_pr_still_shows_its_changes(repo, pr, owner, contributor):
    push(repo, pr, {"config.json": b'{"a": 2}\n'}, contributor)
    pull_request_merge(discussion=pr, actor=owner)
    assert '+{"a": 2}' in pull_request_diff(discussion=pr, user=contributor)

    second = discussion_create(
        repo=repo, author=contributor, title="Two", is_pull_request=True
    )
    push(repo, second, {"two.txt": b"2\n"}, contributor)
    commit_files(repo, {"other.txt": b"o\n"}, author=owner)
    pull_request_merge(discussion=second, actor=owner)
    diff = pull_request_diff(discussion=second, user=contributor)
    assert "+++ b/two.txt" in diff
    assert "other.txt" not in diff
    assert pull_request_conflicts(discussion=second) == []


def test_commit_to_a_pr_ref_does_not_touch_main(repo, pr, contributor):
    main = revision_resolve(repo=repo, revision="main")
    commit_create(
        repo=repo,
        operations=[add("x.txt", b"x")],
        title="x",
        author=contributor,
        revision=pr.git_ref,
    )
    assert revision_resolve(repo=repo, revision="main") == main


def test_diff_leaves_out_content_of_a_gated_repo_before_access(
    repo, pr, owner, contributor
):
    from hub.catalog.services.repos import repo_update_settings
    from tests.factories import make_user

    push(repo, pr, {"config.json": b'{"secret": 2}\n'}, contributor)
    repo_update_settings(repo=repo, gated="manual")
    stranger = make_user()
    diff = pull_request_diff(discussion=pr, user=stranger)
    assert "diff --git a/config.json b/config.json" in diff
    assert "secret" not in diff
    assert "content not shown" in diff
    assert '+{"secret": 2}' in pull_request_diff(discussion=pr, user=owner)
