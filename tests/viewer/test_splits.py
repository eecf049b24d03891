"""Which files make which split: the Hugging Face conventions, checked
against the ``datasets`` library itself resolving the same files on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from datasets.data_files import DataFilesDict, get_data_patterns
from datasets.load import infer_module_for_data_files
from datasets.packaged_modules import _MODULE_TO_EXTENSIONS
from datasets.utils.metadata import MetadataConfigs

from hub.viewer.splits import ConfigFiles, SplitFiles, dataset_splits

# The layouts of the Hugging Face documentation ("Structure your
# repository", "File names and splits") and a few edges around them.
LAYOUTS = {
    "single-file": ["README.md", "my_data.csv"],
    "split-in-file-name": ["train.csv", "test.csv", "validation.csv"],
    "keywords-with-separators": ["my_train_file.jsonl", "test-1.jsonl", "dev.jsonl"],
    "split-folders": [
        "data/train/a.parquet",
        "data/train/b.parquet",
        "data/test/c.parquet",
    ],
    "top-level-split-folders": ["train/x.csv", "valid/y.csv", "eval/z.csv"],
    "sharded": [
        "data/train-00000-of-00002.parquet",
        "data/train-00001-of-00002.parquet",
        "data/test-00000-of-00001.parquet",
        "data/random-00000-of-00001.parquet",
    ],
    "hidden-files-ignored": [".cache/train.csv", "__pycache__/test.csv", "data.csv"],
    "keyword-inside-a-word-is-not-a-split": ["contest.csv", "trainer.csv"],
    "most-common-format-wins": [
        "a.csv",
        "b.csv",
        "c.parquet",
        "notes.txt",
        "README.md",
    ],
    "folders-win-over-file-names": ["train/test.csv", "test/train.csv"],
    "non-data-files-only": ["README.md", ".gitattributes", "script.py"],
}


def _as_datasets_sees_it(tmp_path: Path, paths: list[str]) -> dict[str, list[str]]:
    for path in paths:
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"x")
    try:
        patterns = get_data_patterns(str(tmp_path))
        files = DataFilesDict.from_patterns(patterns, base_path=str(tmp_path))
        module, _ = infer_module_for_data_files(files)
    except Exception:  # no data files at all: datasets refuses to load
        return {}
    files = files.filter(extensions=_MODULE_TO_EXTENSIONS[module], file_names=[])
    return {
        split: sorted(str(Path(f).relative_to(tmp_path)) for f in found)
        for split, found in files.items()
        if found
    }


def _ours(paths: list[str], card: dict | None = None) -> dict[str, list[str]]:
    configs = dataset_splits(paths, card)
    assert len(configs) <= 1
    if not configs:
        return {}
    return {s.name: list(s.files) for s in configs[0].splits}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_file_name_layouts_split_as_datasets_splits_them(name, tmp_path):
    paths = LAYOUTS[name]
    expected = _as_datasets_sees_it(tmp_path, paths)
    assert _ours(paths) == expected


def test_documented_layouts_by_hand():
    assert _ours(LAYOUTS["single-file"]) == {"train": ["my_data.csv"]}
    assert _ours(LAYOUTS["sharded"]) == {
        "train": [
            "data/train-00000-of-00002.parquet",
            "data/train-00001-of-00002.parquet",
        ],
        "test": ["data/test-00000-of-00001.parquet"],
        "random": ["data/random-00000-of-00001.parquet"],
    }
    assert list(_ours(LAYOUTS["split-in-file-name"])) == ["train", "validation", "test"]
    assert _ours(LAYOUTS["keyword-inside-a-word-is-not-a-split"]) == {
        "train": ["contest.csv", "trainer.csv"]
    }
    assert _ours(LAYOUTS["non-data-files-only"]) == {}


CARD = {
    "configs": [
        {
            "config_name": "main_data",
            "data_files": [
                {"split": "train", "path": "main/train-*.csv"},
                {"split": "test", "path": ["main/test.csv", "extra/test2.csv"]},
            ],
            "default": True,
        },
        {"config_name": "additional", "data_files": "additional/*.csv"},
        {"config_name": "in_dir", "data_dir": "nested"},
        {"config_name": "empty", "data_files": "nothing/*.csv"},
    ]
}
CARD_FILES = [
    "main/train-0.csv",
    "main/train-1.csv",
    "main/test.csv",
    "extra/test2.csv",
    "additional/one.csv",
    "nested/train.jsonl",
    "nested/test.jsonl",
    "README.md",
]


def test_card_configs_name_their_files_and_default():
    assert dataset_splits(CARD_FILES, CARD) == [
        ConfigFiles(
            "main_data",
            True,
            (
                SplitFiles("train", ("main/train-0.csv", "main/train-1.csv")),
                SplitFiles("test", ("extra/test2.csv", "main/test.csv")),
            ),
        ),
        ConfigFiles(
            "additional", False, (SplitFiles("train", ("additional/one.csv",)),)
        ),
        ConfigFiles(
            "in_dir",
            False,
            (
                SplitFiles("train", ("nested/train.jsonl",)),
                SplitFiles("test", ("nested/test.jsonl",)),
            ),
        ),
    ]


def test_default_config_rules_match_datasets():
    def default(configs):
        return next(
            (
                c.name
                for c in dataset_splits(["a.csv"], {"configs": configs})
                if c.is_default
            ),
            None,
        )

    cases = [
        [{"config_name": "x", "data_files": "a.csv"}],
        [
            {"config_name": "x", "data_files": "a.csv"},
            {"config_name": "default", "data_files": "a.csv"},
        ],
        [
            {"config_name": "x", "data_files": "a.csv"},
            {"config_name": "y", "data_files": "a.csv", "default": True},
        ],
        [
            {"config_name": "x", "data_files": "a.csv"},
            {"config_name": "y", "data_files": "a.csv"},
        ],
    ]
    for configs in cases:
        assert isinstance(configs, list)
        expected = MetadataConfigs(
            {c["config_name"]: c for c in configs}
        ).get_default_config_name()
        assert default(configs) == expected


@pytest.mark.parametrize(
    "card",
    [
        {"configs": "not a list"},
        {"configs": [{"data_files": "a.csv"}]},  # no config_name
        {"configs": [{"config_name": "x", "data_files": {"train": 3}}]},
        {"configs": [{"config_name": "x", "data_files": [{"split": "t", "path": 3}]}]},
        {"configs": [7, None]},
    ],
)
def test_malformed_cards_never_raise(card):
    configs = dataset_splits(["train.csv", "a.csv"], card)
    assert all(isinstance(c, ConfigFiles) for c in configs)
