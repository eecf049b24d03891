"""commit_create: operations, atomicity, conflicts, refs and history."""

from __future__ import annotations

import hashlib
import threading

import pytest
from django.db import connection

from hub.catalog.errors import (
    EntryNotFoundError,
    InvalidCardError,
    MissingBlobError,
    QuarantinedBlobError,
    RefExistsError,
    RevisionNotFoundError,
    StaleParentError,
)
from hub.catalog.history import commit_diff, commit_history
from hub.catalog.models import Commit, ModelRepo, Ref
from hub.catalog.revisions import (
    revision_resolve,
    revision_split,
    revision_split_resolve,
)
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import AddFile, CopyFile, DeleteFile, DeleteFolder
from hub.catalog.services.refs import (
    branch_create,
    branch_delete,
    pull_request_ref_create,
    tag_create,
    tag_delete,
)
from hub.catalog.trees import file_get, tree_list
from hub.core.errors import ValidationError
from hub.storage.models import Blob
from hub.storage.services import blob_quarantine, blob_upload_bytes
from tests.factories import commit_files, make_repo


def paths_at(repo: ModelRepo, revision: str = "main") -> list[str]:
    commit = revision_resolve(repo=repo, revision=revision)
    return sorted(commit.entries.values_list("path", flat=True))


@pytest.fixture
def repo(owner):
    return make_repo(owner, "demo-model")


@pytest.mark.django_db
def test_new_repo_has_a_first_commit_on_main(repo):
    main = Ref.objects.get(repo=repo, name="main")
    assert main.kind == Ref.Kind.BRANCH
    assert paths_at(repo) == [".gitattributes"]
    assert len(main.commit.oid) == 40


@pytest.mark.django_db
def test_add_delete_copy_and_delete_folder(repo, owner):
    commit_files(
        repo,
        {"a.txt": b"a", "dir/b.txt": b"b", "dir/sub/c.txt": b"c", "keep/d.txt": b"d"},
        author=owner,
    )
    commit_create(
        repo=repo,
        operations=[
            CopyFile("a.txt", "copies/a.txt"),
            DeleteFile("keep/d.txt"),
            DeleteFolder("dir/"),
        ],
        title="Reshuffle",
        author=owner,
    )
    assert paths_at(repo) == [".gitattributes", "a.txt", "copies/a.txt"]
    head = revision_resolve(repo=repo, revision="main")
    assert (
        file_get(commit=head, path="copies/a.txt").blob_id
        == hashlib.sha256(b"a").hexdigest()
    )


@pytest.mark.django_db
def test_copy_from_an_older_revision(repo, owner):
    first = commit_files(repo, {"v.txt": b"one"}, author=owner)
    commit_files(repo, {"v.txt": b"two"}, author=owner)
    commit_create(
        repo=repo,
        operations=[CopyFile("v.txt", "old.txt", src_revision=first.oid)],
        title="Restore",
        author=owner,
    )
    head = revision_resolve(repo=repo, revision="main")
    assert (
        file_get(commit=head, path="old.txt").blob_id
        == hashlib.sha256(b"one").hexdigest()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad_path",
    [
        "../escape",
        "/abs",
        "a\\b",
        "a//b",
        "a/./b",
        "dir/",
        ".git/config",
        "x\x00y",
        "e\u0301",
    ],
)
def test_bad_path_fails_and_changes_nothing(repo, owner, bad_path):
    before = revision_resolve(repo=repo, revision="main").oid
    blobs_before = Blob.objects.count()
    sha = blob_upload_bytes(data=b"x").sha256
    with pytest.raises(ValidationError):
        commit_create(
            repo=repo, operations=[AddFile(bad_path, sha)], title="bad", author=owner
        )
    assert revision_resolve(repo=repo, revision="main").oid == before
    assert Commit.objects.filter(repo=repo).count() == 1
    assert Blob.objects.count() == blobs_before + 1  # only the upload itself


@pytest.mark.django_db
def test_missing_blob_fails_and_changes_nothing(repo, owner):
    good = blob_upload_bytes(data=b"fine").sha256
    before = revision_resolve(repo=repo, revision="main").oid
    with pytest.raises(MissingBlobError, match="was not uploaded"):
        commit_create(
            repo=repo,
            operations=[AddFile("ok.txt", good), AddFile("gone.bin", "f" * 64)],
            title="partial",
            author=owner,
        )
    assert revision_resolve(repo=repo, revision="main").oid == before
    assert Commit.objects.filter(repo=repo).count() == 1


@pytest.mark.django_db
def test_quarantined_blob_cannot_be_committed(repo, owner):
    blob = blob_upload_bytes(data=b"evil pickle")
    blob_quarantine(blob=blob, reason="imports os.system")
    before = revision_resolve(repo=repo, revision="main").oid
    with pytest.raises(QuarantinedBlobError, match="os.system"):
        commit_create(
            repo=repo,
            operations=[AddFile("model.pkl", blob.sha256)],
            title="x",
            author=owner,
        )
    assert revision_resolve(repo=repo, revision="main").oid == before


@pytest.mark.django_db
def test_deleting_a_missing_file_is_an_entry_error(repo, owner):
    with pytest.raises(EntryNotFoundError):
        commit_create(
            repo=repo, operations=[DeleteFile("nope.txt")], title="x", author=owner
        )
    with pytest.raises(EntryNotFoundError):
        commit_create(
            repo=repo, operations=[DeleteFolder("nope")], title="x", author=owner
        )


@pytest.mark.django_db
def test_case_insensitive_duplicates_are_refused(repo, owner):
    commit_files(repo, {"Model.bin": b"1"}, author=owner)
    with pytest.raises(ValidationError, match="differ only by case"):
        commit_files(repo, {"model.bin": b"2"}, author=owner)


@pytest.mark.django_db
def test_file_and_folder_with_the_same_name_are_refused(repo, owner):
    commit_files(repo, {"weights": b"1"}, author=owner)
    with pytest.raises(ValidationError, match="both a file and a folder"):
        commit_files(repo, {"weights/part1": b"2"}, author=owner)


@pytest.mark.django_db
def test_stale_parent_is_a_conflict(repo, owner):
    base = revision_resolve(repo=repo, revision="main").oid
    commit_files(repo, {"a.txt": b"a"}, author=owner)
    sha = blob_upload_bytes(data=b"b").sha256
    with pytest.raises(StaleParentError, match="has moved"):
        commit_create(
            repo=repo,
            operations=[AddFile("b.txt", sha)],
            title="late",
            author=owner,
            expected_parent=base,
        )
    assert paths_at(repo) == [".gitattributes", "a.txt"]


@pytest.mark.django_db
def test_cannot_commit_to_a_tag_or_a_missing_branch(repo, owner):
    tag_create(repo=repo, name="v1")
    sha = blob_upload_bytes(data=b"x").sha256
    with pytest.raises(ValidationError, match="is a tag"):
        commit_create(
            repo=repo,
            operations=[AddFile("x", sha)],
            title="x",
            author=owner,
            revision="v1",
        )
    with pytest.raises(RevisionNotFoundError):
        commit_create(
            repo=repo,
            operations=[AddFile("x", sha)],
            title="x",
            author=owner,
            revision="dev",
        )


@pytest.mark.django_db
def test_invalid_card_is_refused_with_a_helpful_message(repo, owner):
    with pytest.raises(InvalidCardError, match="README.md"):
        commit_files(
            repo, {"README.md": b"---\nlicense: not-a-license\n---\n"}, author=owner
        )
    assert paths_at(repo) == [".gitattributes"]


@pytest.mark.django_db
def test_card_metadata_lands_on_commit_and_repo_head(repo, owner):
    card = (
        b"---\nlicense: apache-2.0\npipeline_tag: text-generation\n"
        b"library_name: transformers\ntags: [code]\nbase_model: gpt2\n"
        b"datasets: [wikitext]\nlanguage: en\n---\n# Card\n"
    )
    commit = commit_files(repo, {"README.md": card}, author=owner)
    repo.refresh_from_db()
    assert commit.card_data["license"] == "apache-2.0"
    assert repo.license == "apache-2.0"
    assert repo.pipeline_tag == "text-generation"
    assert repo.library_name == "transformers"
    assert repo.tags == ["code"]
    assert repo.base_model == ["gpt2"]
    assert repo.language == ["en"]
    # A commit on another branch leaves the repo's head metadata alone.
    branch_create(repo=repo, name="dev")
    commit_files(
        repo, {"README.md": b"---\nlicense: mit\n---\n"}, author=owner, revision="dev"
    )
    repo.refresh_from_db()
    assert repo.license == "apache-2.0"


@pytest.mark.django_db
def test_branches_tags_and_pr_refs(repo, owner):
    first = commit_files(repo, {"a.txt": b"a"}, author=owner)
    branch_create(repo=repo, name="feature/x", revision=first.oid)
    tag_create(repo=repo, name="v1.0")
    pull_request_ref_create(repo=repo, number=1, revision="main")
    commit_files(repo, {"b.txt": b"b"}, author=owner, revision="refs/pr/1")
    assert paths_at(repo, "feature/x") == [".gitattributes", "a.txt"]
    assert paths_at(repo, "refs/pr/1") == [".gitattributes", "a.txt", "b.txt"]
    assert paths_at(repo, "main") == [".gitattributes", "a.txt"]
    assert revision_resolve(repo=repo, revision=first.oid) == first
    with pytest.raises(RefExistsError):
        branch_create(repo=repo, name="v1.0")
    with pytest.raises(ValidationError):
        branch_create(repo=repo, name="bad..name")
    with pytest.raises(ValidationError):
        branch_create(repo=repo, name="refs/heads/x")
    branch_delete(repo=repo, name="feature/x")
    tag_delete(repo=repo, name="v1.0")
    with pytest.raises(RevisionNotFoundError):
        revision_resolve(repo=repo, revision="feature/x")
    with pytest.raises(ValidationError):
        branch_delete(repo=repo, name="main")


@pytest.mark.django_db
def test_revision_split_handles_slashes_in_revision_names(repo, owner):
    branch_create(repo=repo, name="e2e/feature-x")
    assert revision_split(repo=repo, rest="refs/pr/3/a/b.txt") == (
        "refs/pr/3",
        "a/b.txt",
    )
    assert revision_split(repo=repo, rest="e2e/feature-x/w.bin") == (
        "e2e/feature-x",
        "w.bin",
    )
    assert revision_split(repo=repo, rest="main/dir/f.txt") == ("main", "dir/f.txt")


@pytest.mark.django_db
def test_revision_split_resolve_agrees_with_split_then_resolve(
    repo, owner, django_assert_num_queries
):
    head = commit_files(repo, {"w.bin": b"1"}, author=owner)
    branch_create(repo=repo, name="e2e")
    branch_create(repo=repo, name="e2e/feature-x")
    for rest in (
        "main/dir/f.txt",
        "main",
        "e2e/feature-x/w.bin",
        "e2e/feature-x",
        "e2e/other/w.bin",
        f"{head.oid}/w.bin",
    ):
        revision, path = revision_split(repo=repo, rest=rest)
        commit = revision_resolve(repo=repo, revision=revision)
        assert revision_split_resolve(repo=repo, rest=rest) == (commit, revision, path)
    with django_assert_num_queries(1):
        revision_split_resolve(repo=repo, rest="e2e/feature-x/a/b.txt")
    for rest in ("nope/w.bin", "e2e-feature/w.bin", f"{'0' * 40}/w.bin"):
        with pytest.raises(RevisionNotFoundError):
            revision_split_resolve(repo=repo, rest=rest)


@pytest.mark.django_db
def test_tree_listing_history_and_diff(repo, owner):
    c1 = commit_files(
        repo, {"a.txt": b"1", "dir/b.txt": b"2"}, author=owner, title="one"
    )
    c2 = commit_files(repo, {"a.txt": b"changed"}, author=owner, title="two")
    c3 = commit_files(repo, {"dir/c.txt": b"3"}, author=owner, title="three")
    top = tree_list(commit=c3)
    assert [(i.type, i.path) for i in top] == [
        ("directory", "dir"),
        ("file", ".gitattributes"),
        ("file", "a.txt"),
    ]
    assert [i.path for i in tree_list(commit=c3, path="dir")] == [
        "dir/b.txt",
        "dir/c.txt",
    ]
    assert (
        len([i for i in tree_list(commit=c3, recursive=True) if i.type == "file"]) == 4
    )
    with pytest.raises(EntryNotFoundError):
        tree_list(commit=c3, path="missing")
    history = [c.title for c in commit_history(repo=repo, revision="main")]
    assert history == ["three", "two", "one", "initial commit"]
    assert [
        c.oid for c in commit_history(repo=repo, revision="main", path="a.txt")
    ] == [
        c2.oid,
        c1.oid,
    ]
    assert [c.oid for c in commit_history(repo=repo, revision="main", path="dir")] == [
        c3.oid,
        c1.oid,
    ]
    changes = commit_diff(old=c1, new=c3)
    assert [(c.status, c.path) for c in changes] == [
        ("modified", "a.txt"),
        ("added", "dir/c.txt"),
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_commits_with_the_same_parent_exactly_one_wins(owner):
    repo = make_repo(owner, "race")
    parent = revision_resolve(repo=repo, revision="main").oid
    shas = [blob_upload_bytes(data=f"file {i}".encode()).sha256 for i in range(6)]
    barrier = threading.Barrier(len(shas))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        try:
            barrier.wait()
            commit_create(
                repo=repo,
                operations=[AddFile(f"f{i}.txt", shas[i])],
                title=f"writer {i}",
                author=owner,
                expected_parent=parent,
            )
            result = "won"
        except StaleParentError:
            result = "conflict"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(shas))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 5 + ["won"]
    assert Commit.objects.filter(repo=repo).count() == 2
    assert len(paths_at(repo)) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_commits_without_parent_lose_no_file(owner):
    repo = make_repo(owner, "pile")
    shas = [blob_upload_bytes(data=f"file {i}".encode()).sha256 for i in range(5)]
    barrier = threading.Barrier(len(shas))
    errors: list[BaseException] = []

    def attempt(i: int) -> None:
        try:
            barrier.wait()
            commit_create(
                repo=repo,
                operations=[AddFile(f"f{i}.txt", shas[i])],
                title=f"w{i}",
                author=owner,
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(shas))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert paths_at(repo) == [".gitattributes"] + [f"f{i}.txt" for i in range(5)]
    assert len(list(commit_history(repo=repo, revision="main"))) == 6
