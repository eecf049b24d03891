"""Discussions, pull requests, refs, gating and large uploads on datasets,
through the real huggingface_hub client with ``repo_type="dataset"``
(issue 18): everything the client does for models, at the dataset URLs.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import requests
from huggingface_hub import CommitOperationAdd, HfApi, hf_hub_download
from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

from hub.catalog.models import ModelRepo
from hub.storage.models import Blob
from hub.storage.services import blob_mark_checked

DATA = "maya/talk"


@pytest.fixture
def jun_api(hub_url, jun) -> HfApi:
    return HfApi(endpoint=hub_url, token=jun[1])


@pytest.fixture
def dataset(api) -> str:
    api.create_repo(DATA, repo_type="dataset")
    api.upload_file(
        path_or_fileobj=b"text\nhello\n",
        path_in_repo="train.csv",
        repo_id=DATA,
        repo_type="dataset",
    )
    return DATA


def test_discussions_and_a_pull_request_are_merged_on_a_dataset(api, jun_api, dataset):
    opened = jun_api.create_discussion(
        dataset, "Label noise?", description="Row 3 looks off.", repo_type="dataset"
    )
    assert (opened.num, opened.repo_type, opened.repo_id) == (1, "dataset", dataset)
    api.comment_discussion(dataset, 1, "Checking.", repo_type="dataset")
    details = api.get_discussion_details(dataset, 1, repo_type="dataset")
    assert [e.content for e in details.events if e.type == "comment"] == [
        "Row 3 looks off.",
        "Checking.",
    ]
    pr = jun_api.create_commit(
        dataset,
        [CommitOperationAdd("test.csv", io.BytesIO(b"text\nbye\n"))],
        commit_message="Add a test split",
        repo_type="dataset",
        create_pr=True,
    )
    assert pr.pr_num == 2
    listed = api.get_repo_discussions(dataset, repo_type="dataset")
    assert {(d.num, d.is_pull_request) for d in listed} == {(1, False), (2, True)}
    # Not a model's: the model URL of the same id knows nothing of it.
    with pytest.raises(RepositoryNotFoundError):
        api.get_discussion_details(dataset, 2)
    api.merge_pull_request(dataset, 2, repo_type="dataset")
    assert "test.csv" in api.list_repo_files(dataset, repo_type="dataset")
    merged = api.get_discussion_details(dataset, 2, repo_type="dataset")
    assert merged.status == "merged"


def test_branches_and_tags_of_a_dataset(api, dataset):
    api.create_branch(dataset, branch="v2-draft", repo_type="dataset")
    api.upload_file(
        path_or_fileobj=b"text\nnew\n",
        path_in_repo="train.csv",
        repo_id=dataset,
        repo_type="dataset",
        revision="v2-draft",
    )
    api.create_tag(dataset, tag="v1.0", repo_type="dataset")
    refs = api.list_repo_refs(dataset, repo_type="dataset")
    assert {b.name for b in refs.branches} == {"main", "v2-draft"}
    assert [t.name for t in refs.tags] == ["v1.0"]
    on_tag = api.list_repo_tree(dataset, revision="v1.0", repo_type="dataset")
    assert "train.csv" in {f.path for f in on_tag}
    api.delete_branch(dataset, branch="v2-draft", repo_type="dataset")
    api.delete_tag(dataset, tag="v1.0", repo_type="dataset")
    refs = api.list_repo_refs(dataset, repo_type="dataset")
    assert [b.name for b in refs.branches] == ["main"] and refs.tags == []


def test_a_gated_dataset_takes_access_requests(
    api, jun_api, hub_url, jun, dataset, tmp_path
):
    api.update_repo_settings(dataset, gated="manual", repo_type="dataset")
    assert jun_api.dataset_info(dataset).gated == "manual"
    with pytest.raises(GatedRepoError):
        hf_hub_download(
            dataset,
            "train.csv",
            repo_type="dataset",
            endpoint=hub_url,
            token=jun[1],
            cache_dir=tmp_path / "before",
        )
    api.grant_access(dataset, "jun", repo_type="dataset")
    accepted = api.list_accepted_access_requests(dataset, repo_type="dataset")
    assert [r.username for r in accepted] == ["jun"]
    path = hf_hub_download(
        dataset,
        "train.csv",
        repo_type="dataset",
        endpoint=hub_url,
        token=jun[1],
        cache_dir=tmp_path / "granted",
    )
    assert Path(path).read_bytes() == b"text\nhello\n"
    api.reject_access_request(
        dataset, "jun", repo_type="dataset", rejection_reason="Not for now"
    )
    with pytest.raises(GatedRepoError):
        hf_hub_download(
            dataset,
            "train.csv",
            repo_type="dataset",
            endpoint=hub_url,
            token=jun[1],
            cache_dir=tmp_path / "after",
        )
    api.update_repo_settings(dataset, gated="auto", repo_type="dataset")
    answer = requests.get(
        f"{hub_url}/datasets/{dataset}/resolve/main/train.csv", timeout=30
    )
    assert answer.status_code == 401
    assert answer.headers["X-Error-Code"] == "GatedRepo"


def test_lfs_multipart_upload_to_a_dataset(api, hub_url, settings, dataset):
    # LFS from 1 MiB, multipart from 3 MiB in 1 MiB parts (the e2e
    # conftest turns Xet off in this process, so the client speaks LFS).
    settings.HUB_INLINE_UPLOAD_MAX_BYTES = 1024 * 1024
    settings.HUB_LFS_MULTIPART_THRESHOLD_BYTES = 3 * 1024 * 1024
    settings.HUB_LFS_MULTIPART_CHUNK_BYTES = 1024 * 1024
    big = os.urandom(3 * 1024 * 1024 + 5000)
    api.upload_file(
        path_or_fileobj=big,
        path_in_repo="shards/big.parquet",
        repo_id=dataset,
        repo_type="dataset",
    )
    sha = hashlib.sha256(big).hexdigest()
    assert Blob.objects.get(pk=sha).size == len(big)
    path = hf_hub_download(
        dataset,
        "shards/big.parquet",
        repo_type="dataset",
        endpoint=hub_url,
        token=api.token,
    )
    assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == sha


XET_UPLOAD = textwrap.dedent(
    """
    import hashlib, json, sys
    from huggingface_hub import HfApi, hf_hub_download
    from huggingface_hub.utils._runtime import is_xet_available

    endpoint, token, big, cache = sys.argv[1:5]
    api = HfApi(endpoint=endpoint, token=token)
    api.upload_file(
        path_or_fileobj=big, path_in_repo="data/train.bin", repo_id="maya/talk",
        repo_type="dataset",
    )
    path = hf_hub_download(
        "maya/talk", "data/train.bin", repo_type="dataset", endpoint=endpoint,
        token=token, cache_dir=cache,
    )
    data = open(path, "rb").read()
    print(json.dumps({"xet": is_xet_available(),
                      "sha256": hashlib.sha256(data).hexdigest()}))
    """
)


def test_a_stock_client_commits_to_a_dataset_through_xet(
    hub_url, maya, settings, tmp_path, dataset
):
    settings.HUB_INLINE_UPLOAD_MAX_BYTES = 1000
    big = tmp_path / "train.bin"
    big.write_bytes(os.urandom(300_000))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update(HF_HOME=str(tmp_path / "home"), HF_HUB_DISABLE_TELEMETRY="1")
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            XET_UPLOAD,
            hub_url,
            maya[1],
            str(big),
            str(tmp_path / "cache"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    sha = hashlib.sha256(big.read_bytes()).hexdigest()
    assert result == {"xet": True, "sha256": sha}
    blob = Blob.objects.get(pk=sha)
    assert blob.xet_file is not None
    blob_mark_checked(sha256=sha)
    repo = ModelRepo.objects.get(name="talk")
    assert repo.repo_type == "dataset"
