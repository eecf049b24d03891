"""Dataset and space repos through the real huggingface_hub client (issue 18).

Everything the client does for models works with ``repo_type="dataset"``
and ``"space"`` at the URLs it builds (``/api/datasets/...``,
``/datasets/ns/name/resolve/...``), with the same visibility rules; an id
may be a model and a dataset at once.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import requests
from huggingface_hub import CommitOperationAdd, HfApi, HfFileSystem, hf_hub_download
from huggingface_hub.errors import RepositoryNotFoundError

from hub.accounts.services import token_create
from hub.catalog.models import ModelRepo, RepoRedirect

CSV = b"text,label\nhello,1\nworld,0\n"


@pytest.fixture
def jun_api(hub_url, jun) -> HfApi:
    return HfApi(endpoint=hub_url, token=jun[1])


def _commit(api: HfApi, repo_id: str, files: dict[str, bytes], repo_type: str):
    operations = [
        CommitOperationAdd(path_in_repo=path, path_or_fileobj=io.BytesIO(data))
        for path, data in files.items()
    ]
    return api.create_commit(
        repo_id, operations, commit_message="Add data", repo_type=repo_type
    )


def test_a_dataset_is_created_committed_listed_and_downloaded(api, hub_url, hf_cache):
    url = api.create_repo("maya/corpus", repo_type="dataset")
    assert url == f"{hub_url}/datasets/maya/corpus"
    assert url.repo_type == "dataset"
    big = bytes(range(256)) * 64  # an LFS file (binary)
    _commit(
        api, "maya/corpus", {"data/train.csv": CSV, "data/blob.bin": big}, "dataset"
    )

    files = api.list_repo_files("maya/corpus", repo_type="dataset")
    assert set(files) == {".gitattributes", "data/train.csv", "data/blob.bin"}
    info = api.dataset_info("maya/corpus", files_metadata=True)
    assert info.id == "maya/corpus"
    assert {s.rfilename for s in info.siblings} == set(files)
    path = hf_hub_download(
        "maya/corpus",
        "data/train.csv",
        repo_type="dataset",
        endpoint=hub_url,
        cache_dir=hf_cache,
        token=api.token,
    )
    assert Path(path).read_bytes() == CSV
    # Unchecked files reach their owner only, as for models (fail closed).
    path = hf_hub_download(
        "maya/corpus",
        "data/blob.bin",
        repo_type="dataset",
        endpoint=hub_url,
        cache_dir=hf_cache,
        token=api.token,
    )
    assert Path(path).read_bytes() == big
    # Range on the dataset's resolve URL.
    answer = requests.get(
        f"{hub_url}/datasets/maya/corpus/resolve/main/data/train.csv",
        headers={"Range": "bytes=0-3"},
        timeout=30,
    )
    assert answer.status_code == 206 and answer.content == b"text"
    refs = api.list_repo_refs("maya/corpus", repo_type="dataset")
    assert [b.name for b in refs.branches] == ["main"]
    commits = api.list_repo_commits("maya/corpus", repo_type="dataset")
    assert commits[0].title == "Add data"


def test_a_model_and_a_dataset_share_an_id_without_mixing(api, hf_cache, hub_url):
    api.create_repo("maya/twin", repo_type="dataset")
    api.create_repo("maya/twin")
    _commit(api, "maya/twin", {"rows.csv": CSV}, "dataset")
    _commit(api, "maya/twin", {"config.json": b"{}"}, "model")
    assert "rows.csv" in api.list_repo_files("maya/twin", repo_type="dataset")
    assert "rows.csv" not in api.list_repo_files("maya/twin")
    assert "config.json" not in api.list_repo_files("maya/twin", repo_type="dataset")
    assert [d.id for d in api.list_datasets(author="maya")] == ["maya/twin"]
    assert [m.id for m in api.list_models(author="maya")] == ["maya/twin"]
    # A model URL never reaches the dataset's file.
    answer = requests.get(f"{hub_url}/maya/twin/resolve/main/rows.csv", timeout=30)
    assert answer.status_code == 404
    # Creating it again is a 409 of its own type only.
    with pytest.raises(Exception, match="already exists"):
        api.create_repo("maya/twin", repo_type="dataset")
    api.delete_repo("maya/twin", repo_type="dataset")
    assert ModelRepo.objects.filter(name="twin").get().repo_type == "model"


def test_datasets_are_listed_searched_and_sorted(api):
    for name in ("alpha-text", "beta-text", "gamma-images"):
        api.create_repo(f"maya/{name}", repo_type="dataset")
    api.create_repo("maya/alpha-model")
    assert {d.id for d in api.list_datasets(search="text")} == {
        "maya/alpha-text",
        "maya/beta-text",
    }
    assert [d.id for d in api.list_datasets(search="alpha")] == ["maya/alpha-text"]
    newest = [d.id for d in api.list_datasets(sort="created_at")]
    assert newest == ["maya/gamma-images", "maya/beta-text", "maya/alpha-text"]
    assert [d.id for d in api.list_datasets(author="maya", limit=2)] == newest[:2]


def test_a_private_dataset_stays_hidden_from_strangers(api, jun_api, hub_url):
    api.create_repo("maya/secret-data", repo_type="dataset", private=True)
    _commit(api, "maya/secret-data", {"train.csv": CSV}, "dataset")
    with pytest.raises(RepositoryNotFoundError):
        jun_api.dataset_info("maya/secret-data")
    with pytest.raises(RepositoryNotFoundError):
        jun_api.list_repo_files("maya/secret-data", repo_type="dataset")
    assert list(jun_api.list_datasets(author="maya")) == []
    for url in (
        f"{hub_url}/datasets/maya/secret-data/resolve/main/train.csv",
        f"{hub_url}/api/datasets/maya/secret-data",
        f"{hub_url}/api/datasets/maya/secret-data/tree/main",
    ):
        assert requests.get(url, timeout=30).status_code == 404
        answer = requests.get(url, headers=_bearer(jun_api.token), timeout=30)
        assert answer.status_code == 404
    with pytest.raises(RepositoryNotFoundError):
        _commit(jun_api, "maya/secret-data", {"x.csv": CSV}, "dataset")
    assert [d.id for d in api.list_datasets(author="maya")] == ["maya/secret-data"]


def test_a_repo_limited_token_reaches_only_the_typed_ids_it_names(api, maya, hub_url):
    api.create_repo("maya/held", repo_type="dataset", private=True)
    api.create_repo("maya/held", private=True)
    _, secret = token_create(
        user=maya[0], name="only-data", scope="write", repo_ids=["datasets/maya/held"]
    )
    limited = HfApi(endpoint=hub_url, token=secret)
    _commit(limited, "maya/held", {"train.csv": CSV}, "dataset")
    assert limited.dataset_info("maya/held").id == "maya/held"
    with pytest.raises(RepositoryNotFoundError):
        limited.model_info("maya/held")
    with pytest.raises(Exception, match="403|not allowed|cannot"):
        limited.create_repo("maya/other", repo_type="dataset")


def test_a_dataset_is_renamed_with_a_redirect_of_its_own_type(api):
    api.create_repo("maya/old-data", repo_type="dataset")
    api.move_repo("maya/old-data", "maya/new-data", repo_type="dataset")
    assert api.dataset_info("maya/old-data").id == "maya/new-data"
    assert RepoRedirect.objects.get().old_full_name == "datasets/maya/old-data"
    with pytest.raises(RepositoryNotFoundError):
        api.model_info("maya/old-data")


def test_hffilesystem_walks_a_dataset(api, hub_url):
    api.create_repo("maya/fs-data", repo_type="dataset")
    _commit(
        api,
        "maya/fs-data",
        {"data/train.csv": CSV, "data/test.csv": CSV[:20], "README.md": b"# d\n"},
        "dataset",
    )
    fs = HfFileSystem(endpoint=hub_url, token=api.token)
    root = "datasets/maya/fs-data"
    assert sorted(str(path) for path in fs.ls(f"{root}/data", detail=False)) == [
        f"{root}/data/test.csv",
        f"{root}/data/train.csv",
    ]
    assert sorted(fs.glob(f"{root}/**/*.csv")) == [
        f"{root}/data/test.csv",
        f"{root}/data/train.csv",
    ]
    assert fs.info(f"{root}/data/train.csv")["size"] == len(CSV)
    with fs.open(f"{root}/data/train.csv", "rb") as handle:
        assert handle.read() == CSV
    walked = {folder: sorted(files) for folder, _, files in fs.walk(root)}
    assert walked[f"{root}/data"] == ["test.csv", "train.csv"]


def test_a_space_is_stored_and_served_as_a_plain_repo(api, hub_url, hf_cache):
    api.create_repo("maya/demo", repo_type="space", space_sdk="gradio")
    app = b"import gradio\nprint('never run here')\n"
    _commit(api, "maya/demo", {"app.py": app}, "space")
    path = hf_hub_download(
        "maya/demo",
        "app.py",
        repo_type="space",
        endpoint=hub_url,
        cache_dir=hf_cache,
        token=api.token,
    )
    assert Path(path).read_bytes() == app
    assert [s.id for s in api.list_spaces(author="maya")] == ["maya/demo"]
    assert api.space_info("maya/demo").id == "maya/demo"


def test_an_unknown_repo_type_is_a_clear_400(api, hub_url, maya):
    answer = requests.post(
        f"{hub_url}/api/repos/create",
        json={"name": "x", "type": "kernel"},
        headers=_bearer(maya[1]),
        timeout=30,
    )
    assert answer.status_code == 400
    assert "Unknown repo type 'kernel'" in answer.json()["error"]
    assert not ModelRepo.objects.filter(name="x").exists()


def _bearer(secret: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}
