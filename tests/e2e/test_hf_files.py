"""Uploads, commits, trees and downloads driven by the real client.

hf-protocol.md 2.6, 2.7, 2.13, 2.15 and 2.16: huggingface_hub 2.4.0 against
the live hub, plus raw HTTP where the client hides what is on the wire
(headers, ranges, NDJSON details).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from pathlib import Path

import pytest
import requests
from huggingface_hub import (
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
    HfApi,
)
from huggingface_hub.errors import (
    EntryNotFoundError,
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from hub.catalog import gitobjects
from hub.catalog.models import Commit, ModelRepo, TreeEntry
from hub.catalog.revisions import revision_resolve
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import AddFile
from hub.catalog.services.refs import tag_create
from hub.storage.services import blob_upload_bytes
from tests.factories import commit_files, make_repo

MIB = 1024 * 1024


@pytest.fixture
def repo(maya) -> ModelRepo:
    return make_repo(maya[0], "files")


@pytest.fixture
def jun_api(hub_url, jun) -> HfApi:
    return HfApi(endpoint=hub_url, token=jun[1])


def bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


def head_of(repo: ModelRepo, revision: str = "main") -> Commit:
    return revision_resolve(repo=repo, revision=revision)


def files_at(repo: ModelRepo, revision: str = "main") -> dict[str, bytes]:
    from hub.storage.services import blob_store

    commit = head_of(repo, revision)
    return {
        entry.path: b"".join(blob_store().iter_range(entry.blob_id))
        for entry in TreeEntry.objects.filter(commit=commit)
        if entry.path != ".gitattributes"
    }


def git_blob_id(data: bytes) -> str:
    return gitobjects.blob_oid_for_bytes(data)


def safetensors_bytes(tensors: dict[str, tuple[str, list[int]]]) -> bytes:
    """A safetensors file written by hand: u64 LE header size, JSON, data."""
    sizes = {"F32": 4, "F16": 2, "I64": 8}
    header: dict = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, (dtype, shape) in tensors.items():
        count = 1
        for dim in shape:
            count *= dim
        length = count * sizes[dtype]
        header[name] = {
            "dtype": dtype,
            "shape": shape,
            "data_offsets": [offset, offset + length],
        }
        offset += length
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + os.urandom(offset)


# Uploads and commits -------------------------------------------------------


def test_upload_file_small_and_download_it(api, repo, hub_url, hf_cache):
    info = api.upload_file(
        path_or_fileobj=b"hello world\n",
        path_in_repo="docs/hello.txt",
        repo_id="maya/files",
        commit_message="Say hello",
        commit_description="A first file.",
    )
    head = head_of(repo)
    assert info.oid == head.oid
    assert info.commit_url == f"{hub_url}/maya/files/commit/{head.oid}"
    assert (head.title, head.description) == ("Say hello", "A first file.")
    assert head.author is not None and head.author.username == "maya"
    path = api.hf_hub_download("maya/files", "docs/hello.txt", cache_dir=hf_cache)
    assert Path(path).read_bytes() == b"hello world\n"


def test_upload_folder_with_allow_and_delete_patterns(api, repo, tmp_path):
    commit_files(repo, {"old/a.log": b"a", "old/b.txt": b"b", "keep.md": b"k"})
    folder = tmp_path / "model"
    (folder / "sub").mkdir(parents=True)
    (folder / "config.json").write_text('{"a": 1}')
    (folder / "sub" / "vocab.txt").write_text("x\ny\n")
    (folder / "notes.tmp").write_text("scratch")
    api.upload_folder(
        repo_id="maya/files",
        folder_path=folder,
        allow_patterns=["*.json", "sub/*"],
        delete_patterns=["*.log"],
    )
    assert files_at(repo) == {
        "config.json": b'{"a": 1}',
        "sub/vocab.txt": b"x\ny\n",
        "old/b.txt": b"b",
        "keep.md": b"k",
    }


def test_create_commit_adds_deletes_and_copies(api, repo):
    weights = os.urandom(3000)
    commit_files(
        repo,
        {
            "model.safetensors": weights,  # LFS by the default .gitattributes
            "tokenizer.json": b'{"v": 1}',
            "drafts/a.txt": b"a",
            "drafts/deep/b.txt": b"b",
            "gone.txt": b"g",
        },
    )
    assert TreeEntry.objects.get(commit=head_of(repo), path="model.safetensors").is_lfs
    api.create_commit(
        "maya/files",
        [
            CommitOperationAdd("new.txt", b"new"),
            CommitOperationDelete("gone.txt"),
            CommitOperationDelete("drafts/"),
            CommitOperationCopy("model.safetensors", "backup/model.safetensors"),
            CommitOperationCopy("tokenizer.json", "backup/tokenizer.json"),
        ],
        commit_message="Reshuffle",
    )
    assert files_at(repo) == {
        "model.safetensors": weights,
        "backup/model.safetensors": weights,
        "tokenizer.json": b'{"v": 1}',
        "backup/tokenizer.json": b'{"v": 1}',
        "new.txt": b"new",
    }
    copied = TreeEntry.objects.get(
        commit=head_of(repo), path="backup/model.safetensors"
    )
    assert copied.is_lfs and copied.size == 3000


def test_deleting_a_missing_file_is_entry_not_found(api, repo):
    with pytest.raises(EntryNotFoundError):
        api.delete_file("nope.txt", repo_id="maya/files")
    with pytest.raises(EntryNotFoundError):
        api.delete_folder("nope", repo_id="maya/files")


def test_stale_parent_commit_is_refused(api, repo):
    stale = head_of(repo).oid
    commit_files(repo, {"moved.txt": b"the branch moved"})
    with pytest.raises(HfHubHTTPError) as caught:
        api.create_commit(
            "maya/files",
            [CommitOperationAdd("late.txt", b"late")],
            commit_message="Late",
            parent_commit=stale,
        )
    assert caught.value.response.status_code == 409
    assert "late.txt" not in files_at(repo)
    current = head_of(repo).oid
    api.create_commit(
        "maya/files",
        [CommitOperationAdd("late.txt", b"late")],
        commit_message="On time",
        parent_commit=current,
    )
    assert files_at(repo)["late.txt"] == b"late"


def test_unchanged_files_make_no_commit(api, repo):
    first = api.upload_file(
        path_or_fileobj=b"same", path_in_repo="same.txt", repo_id="maya/files"
    )
    count = Commit.objects.filter(repo=repo).count()
    again = api.upload_file(
        path_or_fileobj=b"same", path_in_repo="same.txt", repo_id="maya/files"
    )
    assert again.oid == first.oid
    assert Commit.objects.filter(repo=repo).count() == count


def test_unchanged_lfs_stored_file_makes_no_commit(api, repo):
    data = os.urandom(5000)
    first = api.upload_file(
        path_or_fileobj=data, path_in_repo="w.safetensors", repo_id="maya/files"
    )
    assert TreeEntry.objects.get(commit=head_of(repo), path="w.safetensors").is_lfs
    again = api.upload_file(
        path_or_fileobj=data, path_in_repo="w.safetensors", repo_id="maya/files"
    )
    assert again.oid == first.oid


def test_commit_to_a_tag_or_a_commit_id_is_refused(api, repo, maya):
    tag_create(repo=repo, name="v1")
    for revision in ("v1", head_of(repo).oid):
        with pytest.raises(HfHubHTTPError) as caught:
            api.upload_file(
                path_or_fileobj=b"x",
                path_in_repo="x.txt",
                repo_id="maya/files",
                revision=revision,
            )
        assert caught.value.response.status_code == 400


def test_commit_to_a_missing_branch_is_revision_not_found(api, repo):
    with pytest.raises(RevisionNotFoundError):
        api.upload_file(
            path_or_fileobj=b"x",
            path_in_repo="x.txt",
            repo_id="maya/files",
            revision="no-branch",
        )


def test_readers_cannot_commit_but_can_open_a_pull_request(
    jun_api, api, repo, hf_cache
):
    with pytest.raises(HfHubHTTPError) as caught:
        jun_api.upload_file(
            path_or_fileobj=b"x", path_in_repo="x.txt", repo_id="maya/files"
        )
    assert caught.value.response.status_code == 403
    main_before = head_of(repo).oid
    info = jun_api.create_commit(
        "maya/files",
        [CommitOperationAdd("fix.txt", b"a fix")],
        commit_message="Fix it",
        create_pr=True,
    )
    assert info.pr_url.endswith("/maya/files/discussions/1")
    assert info.pr_revision == "refs/pr/1" and info.pr_num == 1
    assert head_of(repo).oid == main_before
    # The PR's author pushes a second commit to refs/pr/1.
    jun_api.upload_file(
        path_or_fileobj=b"more",
        path_in_repo="more.txt",
        repo_id="maya/files",
        revision="refs/pr/1",
    )
    assert set(files_at(repo, "refs/pr/1")) == {"fix.txt", "more.txt"}
    path = api.hf_hub_download(
        "maya/files", "more.txt", revision="refs/pr/1", cache_dir=hf_cache
    )
    assert Path(path).read_bytes() == b"more"
    snapshot = api.snapshot_download(
        "maya/files", revision="refs/pr/1", cache_dir=hf_cache
    )
    assert (Path(snapshot) / "fix.txt").read_bytes() == b"a fix"
    assert api.list_repo_files("maya/files", revision="refs/pr/1") == [
        ".gitattributes",
        "fix.txt",
        "more.txt",
    ]


def test_gitignore_in_the_repo_marks_files_ignored(api, repo, tmp_path):
    commit_files(repo, {".gitignore": b"*.tmp\ncache/\n!keep.tmp\n"})
    folder = tmp_path / "up"
    (folder / "cache").mkdir(parents=True)
    (folder / "a.txt").write_text("a")
    (folder / "b.tmp").write_text("b")
    (folder / "keep.tmp").write_text("k")
    (folder / "cache" / "c.txt").write_text("c")
    api.upload_folder(repo_id="maya/files", folder_path=folder)
    assert set(files_at(repo)) == {".gitignore", "a.txt", "keep.tmp"}


def test_preupload_answer(hub_url, maya, repo, settings):
    settings.HUB_INLINE_UPLOAD_MAX_BYTES = 1000
    data = b"regular content"
    commit_files(repo, {"known.txt": data, "w.safetensors": b"\0" * 2000})
    response = requests.post(
        f"{hub_url}/api/models/maya/files/preupload/main",
        json={
            "files": [
                {"path": "known.txt", "size": len(data), "sample": ""},
                {"path": "w.safetensors", "size": 2000, "sample": ""},
                {"path": "small.safetensors", "size": 10, "sample": ""},
                {"path": "new.bin", "size": 5000, "sample": ""},
            ],
            "gitIgnore": "*.bin\n",
        },
        headers=bearer(maya[1]),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    answer = {f["path"]: f for f in response.json()["files"]}
    assert answer["known.txt"] == {
        "path": "known.txt",
        "uploadMode": "regular",
        "shouldIgnore": False,
        "oid": git_blob_id(data),
    }
    assert answer["w.safetensors"]["uploadMode"] == "lfs"
    assert answer["w.safetensors"]["oid"] == hashlib.sha256(b"\0" * 2000).hexdigest()
    # Stored in LFS by .gitattributes: uploaded as LFS whatever its size, as
    # on the HF Hub (datasets' push_to_hub relies on it, issue 18).
    assert answer["small.safetensors"]["uploadMode"] == "lfs"
    assert "oid" not in answer["small.safetensors"]
    assert answer["new.bin"]["shouldIgnore"] is True
    assert response.json()["commitOid"] == head_of(repo).oid


def test_large_inline_file_is_streamed_into_the_store(api, repo, hf_cache):
    """12 MiB inline: stored as LFS (over the threshold), read back intact."""
    data = os.urandom(12 * MIB + 5)
    api.upload_file(path_or_fileobj=data, path_in_repo="big.bin", repo_id="maya/files")
    entry = TreeEntry.objects.get(commit=head_of(repo), path="big.bin")
    assert entry.is_lfs and entry.blob_id == hashlib.sha256(data).hexdigest()
    path = api.hf_hub_download("maya/files", "big.bin", cache_dir=hf_cache)
    assert Path(path).read_bytes() == data


def test_raw_ndjson_commit_with_escapes_and_several_lines(hub_url, maya, repo):
    content = bytes(range(256)) * 40
    encoded = base64.b64encode(content).decode().replace("/", "\\/")
    lines = [
        {"key": "header", "value": {"summary": "Raw", "description": ""}},
        {"key": "file", "value": {"path": "x/bin.dat", "encoding": "base64"}},
        {"key": "file", "value": {"content": "aGk=", "path": "hi.txt"}},
    ]
    body = (json.dumps(lines[0]) + "\n").encode()
    # Content after the path, with JSON-escaped slashes, and no final newline.
    body += (
        b'{"key":"file","value":{"path":"x/bin.dat","encoding":"base64",'
        b'"content":"' + encoded.encode() + b'"}}\n'
    )
    body += json.dumps(lines[2]).encode()
    response = requests.post(
        f"{hub_url}/api/models/maya/files/commit/main",
        data=body,
        headers={**bearer(maya[1]), "Content-Type": "application/x-ndjson"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json()["success"] is True
    assert files_at(repo) == {"x/bin.dat": content, "hi.txt": b"hi"}
    broken = requests.post(
        f"{hub_url}/api/models/maya/files/commit/main",
        data=b'{"key":"header","value":{"summary":"x"}}\n'
        b'{"key":"file","value":{"content":"not base64!","path":"y"}}\n',
        headers=bearer(maya[1]),
        timeout=30,
    )
    assert broken.status_code == 400
    assert "base64" in broken.json()["error"]


# Trees and paths-info ------------------------------------------------------


def test_list_repo_files_and_tree(api, repo):
    data = os.urandom(100)
    commit_files(
        repo,
        {
            "config.json": b"{}",
            "a/b/c.txt": b"c",
            "a/d.txt": b"d",
            "a/w.safetensors": data,
        },
    )
    assert api.list_repo_files("maya/files") == [
        ".gitattributes",
        "a/b/c.txt",
        "a/d.txt",
        "a/w.safetensors",
        "config.json",
    ]
    top = {e.path: e for e in api.list_repo_tree("maya/files")}
    assert set(top) == {".gitattributes", "config.json", "a"}
    assert top["config.json"].blob_id == git_blob_id(b"{}")
    assert top["config.json"].size == 2 and top["config.json"].lfs is None
    # A folder's oid is its git tree id.
    expected = gitobjects.tree_oid(
        {
            "b/c.txt": git_blob_id(b"c"),
            "d.txt": git_blob_id(b"d"),
            "w.safetensors": gitobjects.lfs_blob_oid(
                sha256=hashlib.sha256(data).hexdigest(), size=100
            ),
        }
    )
    assert top["a"].tree_id == expected
    inside = {e.path: e for e in api.list_repo_tree("maya/files", path_in_repo="a")}
    assert set(inside) == {"a/b", "a/d.txt", "a/w.safetensors"}
    weights = inside["a/w.safetensors"]
    assert weights.lfs.sha256 == hashlib.sha256(data).hexdigest()
    assert weights.lfs.size == 100 and weights.size == 100
    assert not hasattr(weights, "xet_hash") or weights.xet_hash is None
    everything = [e.path for e in api.list_repo_tree("maya/files", recursive=True)]
    assert "a/b" in everything and "a/b/c.txt" in everything
    with pytest.raises(EntryNotFoundError):
        list(api.list_repo_tree("maya/files", path_in_repo="missing"))


def test_tree_pages_through_more_than_1000_files(api, repo, hub_url, maya):
    blob = blob_upload_bytes(data=b"tiny")
    commit_create(
        repo=repo,
        operations=[AddFile(f"data/{n:04d}.txt", blob.sha256) for n in range(1100)],
        title="Many files",
        author=maya[0],
    )
    first = requests.get(
        f"{hub_url}/api/models/maya/files/tree/main/data",
        params={"recursive": "true", "expand": "false"},
        headers=bearer(maya[1]),
        timeout=30,
    )
    assert len(first.json()) == 1000
    next_url = first.links["next"]["url"]
    assert next_url.startswith(f"{hub_url}/api/models/maya/files/tree/")
    assert head_of(repo).oid in next_url  # later pages stay on the same commit
    files = api.list_repo_files("maya/files")
    assert len(files) == 1101 and len(set(files)) == 1101


def test_get_paths_info(api, repo):
    commit_files(repo, {"a/b.txt": b"b", "w.safetensors": b"w" * 50})
    infos = api.get_paths_info(
        "maya/files", ["w.safetensors", "a", "missing.txt", "a/b.txt"]
    )
    by_path = {i.path: i for i in infos}
    assert set(by_path) == {"w.safetensors", "a", "a/b.txt"}
    assert by_path["w.safetensors"].lfs.sha256 == hashlib.sha256(b"w" * 50).hexdigest()
    assert by_path["a"].tree_id == gitobjects.tree_oid({"b.txt": git_blob_id(b"b")})


# Downloads -----------------------------------------------------------------


def test_downloads_by_branch_tag_and_commit(api, repo, hf_cache, maya):
    first = commit_files(repo, {"v.txt": b"one", "sub/x.txt": b"x"})
    commit_files(repo, {"v.txt": b"two"})
    tag_create(repo=repo, name="v1", revision=first.oid)
    for revision, expected in (("main", b"two"), ("v1", b"one"), (first.oid, b"one")):
        path = api.hf_hub_download(
            "maya/files", "v.txt", revision=revision, cache_dir=hf_cache
        )
        assert Path(path).read_bytes() == expected
        folder = api.snapshot_download(
            "maya/files", revision=revision, cache_dir=hf_cache
        )
        assert (Path(folder) / "v.txt").read_bytes() == expected
        assert (Path(folder) / "sub" / "x.txt").read_bytes() == b"x"


def test_file_exists_and_typed_errors(api, repo, hf_cache):
    commit_files(repo, {"here.txt": b"h"})
    assert api.file_exists("maya/files", "here.txt")
    assert not api.file_exists("maya/files", "absent.txt")
    assert not api.file_exists("maya/files", "here.txt", revision="nope")
    assert not api.file_exists("maya/nothing", "here.txt")
    with pytest.raises(EntryNotFoundError):
        api.hf_hub_download("maya/files", "absent.txt", cache_dir=hf_cache)
    with pytest.raises(RevisionNotFoundError):
        api.hf_hub_download(
            "maya/files", "here.txt", revision="nope", cache_dir=hf_cache
        )
    with pytest.raises(RepositoryNotFoundError):
        api.hf_hub_download("maya/nothing", "here.txt", cache_dir=hf_cache)


def test_head_answers_the_metadata_headers(hub_url, maya, repo):
    weights = os.urandom(5000)
    commit = commit_files(repo, {"config.json": b'{"x": 1}', "m.safetensors": weights})
    config = requests.head(
        f"{hub_url}/maya/files/resolve/main/config.json",
        headers={**bearer(maya[1]), "Accept-Encoding": "identity"},
        timeout=10,
    )
    assert config.status_code == 200
    assert config.headers["X-Repo-Commit"] == commit.oid
    config_oid = git_blob_id(b'{"x": 1}')
    assert config.headers["ETag"] == f'"{config_oid}"'
    assert config.headers["X-Linked-Etag"] == config.headers["ETag"]
    assert config.headers["Content-Length"] == "8"
    assert config.headers["X-Linked-Size"] == "8"
    assert config.headers["Accept-Ranges"] == "bytes"
    assert config.headers["X-Content-Type-Options"] == "nosniff"
    assert 'filename="config.json"' in config.headers["Content-Disposition"]
    assert not [h for h in config.headers if h.lower().startswith("x-xet")]
    assert "Link" not in config.headers
    lfs = requests.head(
        f"{hub_url}/maya/files/resolve/{commit.oid}/m.safetensors", timeout=10
    )
    assert lfs.headers["X-Linked-Etag"] == f'"{hashlib.sha256(weights).hexdigest()}"'
    assert lfs.headers["Content-Length"] == "5000"
    missing = requests.head(f"{hub_url}/maya/files/resolve/main/nope", timeout=10)
    assert missing.status_code == 404
    assert missing.headers["X-Error-Code"] == "EntryNotFound"
    assert missing.headers["X-Repo-Commit"] == commit.oid


def test_range_requests_are_exact(hub_url, repo):
    data = os.urandom(10_000)
    commit_files(repo, {"blob.bin": data})
    url = f"{hub_url}/maya/files/resolve/main/blob.bin"

    def get(range_header: str | None) -> requests.Response:
        headers = {"Range": range_header} if range_header else {}
        return requests.get(url, headers=headers, timeout=10)

    part = get("bytes=100-199")
    assert part.status_code == 206
    assert part.content == data[100:200]
    assert part.headers["Content-Range"] == "bytes 100-199/10000"
    assert part.headers["Content-Length"] == "100"
    tail = get("bytes=9990-")
    assert (tail.status_code, tail.content) == (206, data[9990:])
    suffix = get("bytes=-10")
    assert (suffix.status_code, suffix.content) == (206, data[-10:])
    past_end = get("bytes=100-999999")
    assert past_end.content == data[100:]
    assert past_end.headers["Content-Range"] == "bytes 100-9999/10000"
    unsatisfiable = get("bytes=10000-")
    assert unsatisfiable.status_code == 416
    assert unsatisfiable.headers["Content-Range"] == "bytes */10000"
    whole = get("bytes=5-2")  # invalid: ignored, the whole file comes back
    assert (whole.status_code, whole.content) == (200, data)
    full = get(None)
    assert full.content == data and full.headers["Content-Length"] == "10000"


def test_get_safetensors_metadata_reads_the_header_by_ranges(api, repo):
    small = safetensors_bytes({"w": ("F32", [2, 3]), "b": ("F16", [3])})
    commit_files(repo, {"model.safetensors": small})
    meta = api.get_safetensors_metadata("maya/files")
    assert meta.parameter_count == {"F32": 6, "F16": 3}
    # model_info counts the same from the headers, read on the hub side.
    info = api.model_info("maya/files")
    assert info.safetensors.parameters == {"F32": 6, "F16": 3}
    assert info.safetensors.total == 9
    # A header over 100 kB needs the client's second, exact range request.
    many = {f"layers.{n}.weight": ("F32", [2]) for n in range(3000)}
    big = safetensors_bytes(many)
    assert struct.unpack("<Q", big[:8])[0] > 100_000
    commit_files(repo, {"model.safetensors": big})
    meta = api.get_safetensors_metadata("maya/files")
    assert meta.parameter_count == {"F32": 6000}
    assert api.model_info("maya/files").safetensors.total == 6000


def test_odd_file_names_and_slashed_branches(api, repo, hf_cache):
    api.create_branch("maya/files", branch="exp/odd-names")
    name = "dir with space/naïve #1 ?.txt"
    api.upload_file(
        path_or_fileobj=b"odd",
        path_in_repo=name,
        repo_id="maya/files",
        revision="exp/odd-names",
    )
    assert name not in files_at(repo)
    assert files_at(repo, "exp/odd-names")[name] == b"odd"
    assert api.file_exists("maya/files", name, revision="exp/odd-names")
    path = api.hf_hub_download(
        "maya/files", name, revision="exp/odd-names", cache_dir=hf_cache
    )
    assert Path(path).read_bytes() == b"odd"
    tree = api.list_repo_tree(
        "maya/files", path_in_repo="dir with space", revision="exp/odd-names"
    )
    assert [e.path for e in tree] == [name]
    (info,) = api.get_paths_info("maya/files", [name], revision="exp/odd-names")
    assert info.size == 3


def test_empty_files_upload_and_download(api, repo, hf_cache):
    api.upload_file(path_or_fileobj=b"", path_in_repo="empty.txt", repo_id="maya/files")
    assert files_at(repo)["empty.txt"] == b""
    path = api.hf_hub_download("maya/files", "empty.txt", cache_dir=hf_cache)
    assert Path(path).read_bytes() == b""


def test_tree_listing_does_a_fixed_number_of_queries(
    client, repo, maya, django_assert_max_num_queries
):
    blob = blob_upload_bytes(data=b"q")
    commit_create(
        repo=repo,
        operations=[
            AddFile(f"d{n % 7}/s{n % 3}/{n}.txt", blob.sha256) for n in range(300)
        ],
        title="Nested",
        author=maya[0],
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {maya[1]}"}
    # The token's first use from this address is noted once (audit log).
    assert client.get("/api/whoami-v2", **auth).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(
            "/api/models/maya/files/tree/main", {"recursive": "true"}, **auth
        )
    assert response.status_code == 200
    folders = [e for e in response.json() if e["type"] == "directory"]
    assert len(folders) == 7 + 7 * 3 and all(len(f["oid"]) == 40 for f in folders)
