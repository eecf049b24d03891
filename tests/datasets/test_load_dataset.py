"""``datasets.load_dataset`` against the live hub (issue 18).

The real ``datasets`` package, in a child process aimed at this test's live
server (conftest), loads Parquet, CSV, JSON Lines and text files; finds
splits from file and folder names and from the card's ``configs:``; streams;
reaches private and gated datasets with a token only; and pins a revision.
"""

from __future__ import annotations

import io
import json

import pytest
from huggingface_hub import CommitOperationAdd, HfApi

from hub.catalog.models import TreeEntry
from hub.storage.services import blob_mark_checked
from tests.datasets.conftest import parquet_bytes

ROWS = {
    "train": [{"text": "a cat", "label": 1}, {"text": "a dog", "label": 0}],
    "test": [{"text": "a cow", "label": 1}],
    "validation": [{"text": "an owl", "label": 0}],
}


def _csv(rows):
    return (
        "text,label\n" + "".join(f"{r['text']},{r['label']}\n" for r in rows)
    ).encode()


def _jsonl(rows):
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def _text(rows):
    return "".join(f"{r['text']}\n" for r in rows).encode()


ENCODERS = {"parquet": parquet_bytes, "csv": _csv, "jsonl": _jsonl, "txt": _text}


def _commit(api: HfApi, repo_id: str, files: dict[str, bytes], message="Add data"):
    operations = [
        CommitOperationAdd(path_in_repo=path, path_or_fileobj=io.BytesIO(data))
        for path, data in files.items()
    ]
    return api.create_commit(
        repo_id, operations, commit_message=message, repo_type="dataset"
    )


def _publish(api: HfApi, repo_id: str, files: dict[str, bytes], **create) -> str:
    api.create_repo(repo_id, repo_type="dataset", **create)
    return _commit(api, repo_id, files).oid


def _check_all_blobs() -> None:
    """As the validation worker does once it has read the files."""
    for sha in TreeEntry.objects.values_list("blob_id", flat=True).distinct():
        blob_mark_checked(sha256=sha)


def _expected(fmt: str, split: str):
    if fmt == "txt":
        return [{"text": r["text"]} for r in ROWS[split]]
    return ROWS[split]


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl", "txt"])
def test_load_dataset_reads_each_format_with_splits_from_file_names(
    api, hf_datasets, fmt
):
    encode = ENCODERS[fmt]
    _publish(
        api,
        f"maya/by-name-{fmt}",
        {
            f"data/train.{fmt}": encode(ROWS["train"]),
            f"data/test.{fmt}": encode(ROWS["test"]),
            f"data/validation.{fmt}": encode(ROWS["validation"]),
        },
    )
    _check_all_blobs()
    splits = hf_datasets.load_one(f"maya/by-name-{fmt}")
    assert splits == {split: _expected(fmt, split) for split in ROWS}


def test_load_dataset_takes_splits_from_folder_names(api, hf_datasets):
    _publish(
        api,
        "maya/by-folder",
        {
            "train/part-0.jsonl": _jsonl(ROWS["train"][:1]),
            "train/part-1.jsonl": _jsonl(ROWS["train"][1:]),
            "test/all.jsonl": _jsonl(ROWS["test"]),
        },
    )
    _check_all_blobs()
    splits = hf_datasets.load_one("maya/by-folder")
    assert splits == {"train": ROWS["train"], "test": ROWS["test"]}


CONFIGS_CARD = b"""---
license: cc-by-4.0
task_categories:
- text-classification
configs:
- config_name: animals
  default: true
  data_files:
  - split: train
    path: animals/train-*.csv
  - split: test
    path: animals/holdout.csv
- config_name: birds
  data_files: birds/*.csv
---
# Two configs
"""


def test_load_dataset_follows_the_cards_configs(api, hf_datasets):
    # The configs share one file format: ``datasets`` picks the builder of
    # every config from the default config's files.
    _publish(
        api,
        "maya/configs",
        {
            "README.md": CONFIGS_CARD,
            "animals/train-0.csv": _csv(ROWS["train"]),
            "animals/holdout.csv": _csv(ROWS["test"]),
            "birds/owls.csv": _csv(ROWS["validation"]),
        },
    )
    _check_all_blobs()
    (default,) = hf_datasets.load({"path": "maya/configs", "kwargs": {}})
    (birds,) = hf_datasets.load({"path": "maya/configs", "kwargs": {"name": "birds"}})
    assert "splits" in default, default
    assert default["splits"] == {"train": ROWS["train"], "test": ROWS["test"]}
    assert "splits" in birds, birds
    assert birds["splits"] == {"train": ROWS["validation"]}


def test_load_dataset_streams_rows(api, hf_datasets):
    rows = [{"n": n, "text": f"row {n}"} for n in range(5000)]
    _publish(api, "maya/stream", {"data/train.parquet": parquet_bytes(rows)})
    _check_all_blobs()
    splits = hf_datasets.load_one("maya/stream", streaming=True, take=3)
    assert splits == {"train": rows[:3]}


def test_load_dataset_pins_a_revision_by_commit_id(api, hf_datasets):
    first = _publish(api, "maya/versions", {"train.csv": _csv(ROWS["train"])})
    _commit(api, "maya/versions", {"train.csv": _csv(ROWS["test"])}, "Replace")
    _check_all_blobs()
    pinned, head = hf_datasets.load(
        {"path": "maya/versions", "kwargs": {"revision": first}},
        {"path": "maya/versions", "kwargs": {}},
    )
    assert pinned["splits"] == {"train": ROWS["train"]}
    assert head["splits"] == {"train": ROWS["test"]}


def test_a_private_dataset_loads_with_its_owners_token_only(
    api, hf_datasets, maya, jun
):
    _publish(api, "maya/hidden", {"train.csv": _csv(ROWS["train"])}, private=True)
    _check_all_blobs()
    assert hf_datasets.load_one("maya/hidden", token=maya[1]) == {
        "train": ROWS["train"]
    }
    for token in (None, jun[1]):
        refused = hf_datasets.load_one("maya/hidden", token=token)
        assert "DatasetNotFoundError" in refused["error"], refused
        assert "maya/hidden" in refused["message"]


def test_a_gated_dataset_loads_once_access_is_granted(api, hf_datasets, jun):
    _publish(api, "maya/gated", {"train.csv": _csv(ROWS["train"])})
    api.update_repo_settings("maya/gated", gated="manual", repo_type="dataset")
    _check_all_blobs()
    refused_stranger = hf_datasets.load_one("maya/gated", token=jun[1])
    assert "DatasetNotFoundError" in refused_stranger["error"]
    assert "is a gated dataset" in refused_stranger["message"]
    assert "ask for access" in refused_stranger["message"]
    refused_anonymous = hf_datasets.load_one("maya/gated")
    assert "You must be authenticated" in refused_anonymous["message"]

    api.grant_access("maya/gated", "jun", repo_type="dataset")
    assert hf_datasets.load_one("maya/gated", token=jun[1]) == {"train": ROWS["train"]}
