"""Dataset lists, cards and tags through the real huggingface_hub client
(issue 18).

``list_datasets`` finds datasets by the tags the Hugging Face Hub derives
(card fields such as ``task_categories:`` and ``size_categories:``, the head's
file formats, ``license:``), sorts them the Hub's ways and by author and
search; ``dataset_info`` answers with the card and the files; a dataset card
is validated by its own rules on commit and by ``/api/validate-yaml``.
"""

from __future__ import annotations

import base64
import io
import json
from datetime import timedelta

import pytest
import requests
from django.utils import timezone
from huggingface_hub import CommitOperationAdd, HfApi
from huggingface_hub.errors import HfHubHTTPError

from hub.catalog.models import ModelRepo
from tests.datasets.conftest import parquet_bytes

TEXT_CARD = b"""---
license: mit
language:
- en
- no
task_categories:
- text-classification
size_categories:
- 1K<n<10K
pretty_name: Reviews
tags:
- reviews
---
# Reviews
"""
IMAGE_CARD = b"""---
license: cc-by-4.0
task_categories: image-classification
size_categories: n<1K
---
"""


def _commit(api: HfApi, repo_id: str, files: dict[str, bytes], message="Add"):
    operations = [
        CommitOperationAdd(path_in_repo=path, path_or_fileobj=io.BytesIO(data))
        for path, data in files.items()
    ]
    return api.create_commit(
        repo_id, operations, commit_message=message, repo_type="dataset"
    )


@pytest.fixture
def catalog(api):
    """Three datasets of maya's and a model of the same name (not listed)."""
    api.create_repo("maya/reviews", repo_type="dataset")
    _commit(
        api,
        "maya/reviews",
        {"README.md": TEXT_CARD, "data/train.parquet": parquet_bytes([{"a": 1}])},
    )
    api.create_repo("maya/pictures", repo_type="dataset")
    _commit(api, "maya/pictures", {"README.md": IMAGE_CARD, "cat.png": b"\x89PNG"})
    api.create_repo("maya/notes", repo_type="dataset")
    _commit(api, "maya/notes", {"notes.txt": b"one\ntwo\n", "rows.csv": b"a\n1\n"})
    api.create_repo("maya/reviews")  # a model: never in a dataset list
    return api


def _ids(datasets) -> set[str]:
    return {d.id for d in datasets}


def test_datasets_are_found_by_the_hubs_derived_tags(catalog):
    api = catalog
    assert _ids(api.list_datasets(task_categories="text-classification")) == {
        "maya/reviews"
    }
    assert _ids(api.list_datasets(filter="task_categories:image-classification")) == {
        "maya/pictures"
    }
    assert _ids(api.list_datasets(language="no")) == {"maya/reviews"}
    assert _ids(api.list_datasets(size_categories="n<1K")) == {"maya/pictures"}
    assert _ids(api.list_datasets(filter="license:cc-by-4.0")) == {"maya/pictures"}
    assert _ids(api.list_datasets(filter="format:parquet")) == {"maya/reviews"}
    assert _ids(api.list_datasets(filter="format:csv")) == {"maya/notes"}
    assert _ids(api.list_datasets(filter="modality:text")) == {"maya/notes"}
    assert _ids(api.list_datasets(filter="modality:tabular")) == {
        "maya/reviews",
        "maya/notes",
    }
    assert _ids(api.list_datasets(filter="reviews")) == {"maya/reviews"}
    assert _ids(api.list_datasets(filter=["format:text", "format:csv"])) == {
        "maya/notes"
    }
    assert _ids(api.list_datasets(filter="format:parquet", author="jun")) == set()
    (reviews,) = api.list_datasets(search="review")
    assert reviews.tags == [
        "task_categories:text-classification",
        "language:en",
        "language:no",
        "size_categories:1K<n<10K",
        "format:parquet",
        "modality:tabular",
        "license:mit",
        "reviews",
    ]


def test_dataset_info_has_the_card_files_and_tags(catalog):
    info = catalog.dataset_info("maya/reviews")
    assert info.card_data.pretty_name == "Reviews"
    assert info.card_data.task_categories == ["text-classification"]
    assert info.card_data.size_categories == ["1K<n<10K"]
    assert {s.rfilename for s in info.siblings} == {
        ".gitattributes",
        "README.md",
        "data/train.parquet",
    }
    assert "format:parquet" in info.tags and "license:mit" in info.tags


def test_datasets_are_sorted_the_hubs_ways(catalog, jun):
    api = catalog
    jun_api = HfApi(endpoint=api.endpoint, token=jun[1])
    liked = requests.post(
        f"{api.endpoint}/api/datasets/maya/notes/like",
        headers={"Authorization": f"Bearer {jun[1]}"},
        timeout=30,
    )
    assert liked.json() == {"liked": True, "likes": 1}
    assert jun_api.list_liked_repos("jun").datasets == ["maya/notes"]
    ModelRepo.objects.filter(name="pictures").update(downloads=7)
    # Commit times have whole seconds: the others' are set a day back.
    ModelRepo.objects.update(last_commit_at=timezone.now() - timedelta(days=1))
    _commit(api, "maya/reviews", {"more.csv": b"a\n2\n"}, "More")
    assert [d.id for d in api.list_datasets(sort="likes", limit=1)] == ["maya/notes"]
    assert [d.id for d in api.list_datasets(sort="downloads", limit=1)] == [
        "maya/pictures"
    ]
    assert [d.id for d in api.list_datasets(sort="last_modified", limit=1)] == [
        "maya/reviews"
    ]
    assert [d.id for d in api.list_datasets(sort="created_at")] == [
        "maya/notes",
        "maya/pictures",
        "maya/reviews",
    ]
    assert len(list(api.list_datasets(sort="trending_score"))) == 3
    with pytest.raises(HfHubHTTPError, match="Unknown sort key"):
        list(api.list_datasets(sort="stars"))


BAD_CARDS = {
    b"---\nsize_categories: 5K\n---\n": ("size_categories", "1K<n<10K, 10K"),
    b"---\ntask_categories: [text-clasification]\n---\n": (
        "task_categories",
        "Did you mean 'text-classification'",
    ),
    b"---\nconfigs:\n- config_name: a\n  data_files: 3\n---\n": (
        "configs",
        "{split, path}",
    ),
    b"---\nconfigs:\n- config_name: a\n  default: true\n"
    b"- config_name: b\n  default: true\n---\n": ("configs", "at most one"),
    b"---\nconfigs:\n- data_files: x.csv\n---\n": ("configs", "config_name"),
    b"---\ndataset_info:\n  features: {text: string}\n---\n": (
        "dataset_info",
        "features",
    ),
    b"---\nlicense: not-a-license\n---\n": ("license", "license"),
}


@pytest.mark.parametrize("card", list(BAD_CARDS))
def test_a_bad_dataset_card_is_refused_naming_the_field(api, hub_url, maya, card):
    field, hint = BAD_CARDS[card]
    api.create_repo("maya/carded", repo_type="dataset")
    # The client checks the card with /api/validate-yaml before it commits.
    with pytest.raises(ValueError, match="Invalid dataset card metadata") as refused:
        _commit(api, "maya/carded", {"README.md": card})
    assert field in str(refused.value) and hint in str(refused.value)
    # The commit itself refuses it too, whatever the client checked.
    answer = requests.post(
        f"{hub_url}/api/datasets/maya/carded/commit/main",
        data=_ndjson_commit({"README.md": card}),
        headers={
            "Authorization": f"Bearer {maya[1]}",
            "Content-Type": "application/x-ndjson",
        },
        timeout=30,
    )
    assert answer.status_code == 400
    assert field in answer.json()["error"] and hint in answer.json()["error"]
    assert api.list_repo_files("maya/carded", repo_type="dataset") == [".gitattributes"]
    answer = requests.post(
        f"{hub_url}/api/validate-yaml",
        json={"content": card.decode(), "repoType": "dataset"},
        timeout=30,
    )
    assert answer.status_code == 400
    (error,) = answer.json()["errors"]
    assert field in error["message"] and hint in error["message"]


def _ndjson_commit(files: dict[str, bytes]) -> bytes:
    lines = [{"key": "header", "value": {"summary": "Card"}}]
    lines += [
        {
            "key": "file",
            "value": {
                "path": path,
                "content": base64.b64encode(data).decode(),
                "encoding": "base64",
            },
        }
        for path, data in files.items()
    ]
    return "\n".join(json.dumps(line) for line in lines).encode()


FULL_CARD = b"""---
license: apache-2.0
pipeline_tag: not-a-model-task
library_name: whatever
configs:
- config_name: default
  default: true
  data_files:
  - split: train
    path: data/train-*.parquet
  - split: test
    path: [data/test.parquet, extra/test-*.parquet]
- config_name: raw
  data_files: raw/*.csv
  sep: ";"
dataset_info:
- config_name: default
  features:
  - name: text
    dtype: string
  - name: label
    dtype:
      class_label:
        names:
          '0': neg
          '1': pos
  splits:
  - name: train
    num_bytes: 100
    num_examples: 2
---
# A dataset card with the fields a model card does not have
"""


def test_a_full_dataset_card_passes_and_model_rules_do_not_apply(api, hub_url):
    api.create_repo("maya/full", repo_type="dataset")
    _commit(api, "maya/full", {"README.md": FULL_CARD})
    info = api.dataset_info("maya/full")
    assert info.card_data.configs[1]["config_name"] == "raw"
    answer = requests.post(
        f"{hub_url}/api/validate-yaml",
        json={"content": FULL_CARD.decode(), "repoType": "dataset"},
        timeout=30,
    )
    assert answer.json()["errors"] == []
    # The same card on a model is held to the model's rules.
    as_model = requests.post(
        f"{hub_url}/api/validate-yaml",
        json={"content": FULL_CARD.decode(), "repoType": "model"},
        timeout=30,
    )
    assert "pipeline_tag" in as_model.json()["errors"][0]["message"]
