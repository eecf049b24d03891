"""Dataset card metadata (issue 18): the dataset fields are checked by their
own rules, with messages naming the field; model-only rules do not apply; the
card renders through the same sanitizer as a model's, with links into the
dataset.
"""

from __future__ import annotations

import pytest

from hub.catalog.cards import card_parse, card_validate_yaml
from hub.catalog.errors import InvalidCardError
from hub.core.errors import ValidationError
from hub.web.presenters.model_page import card_html
from tests.factories import commit_files, make_repo, make_user
from workers.validators.base import BytesSource
from workers.validators.repo import validate_repo

pytestmark = pytest.mark.django_db

GOOD = [
    "configs:\n- config_name: default\n  data_files: data/*.csv\n",
    "configs:\n- config_name: default\n  data_files: [a.csv, b.csv]\n",
    "configs:\n- config_name: default\n  data_files:\n  - split: train\n"
    "    path: [a/*.parquet, b/*.parquet]\n  - split: test\n    path: t.parquet\n",
    "configs:\n- config_name: a\n  default: true\n  data_files: a.csv\n"
    "- config_name: b\n  data_files: b.csv\n  sep: ';'\n",
    "dataset_info:\n  features:\n  - name: text\n    dtype: string\n"
    "  - name: tokens\n    sequence: string\n  splits:\n  - name: train\n"
    "    num_bytes: 10\n    num_examples: 3\n",
    "task_categories: [text-classification, other]\nsize_categories: n>1T\n"
    "task_ids: [sentiment-classification]\npretty_name: Reviews\n",
    "language: [en, 'no']\nlicense: other\nlicense_name: my-terms\n",
]


@pytest.mark.parametrize("yaml_text", GOOD)
def test_valid_dataset_metadata_passes(yaml_text):
    card = card_validate_yaml(yaml_text, repo_type="dataset")
    assert card.raw


BAD = {
    "size_categories: 1K-10K\n": ("size_categories", "n<1K, 1K<n<10K"),
    "task_categories: text-classfication\n": ("task_categories", "Did you mean"),
    "configs: default\n": ("configs", "a list of configs"),
    "configs:\n- config_name: a\n- config_name: a\n": ("configs", "used twice"),
    "configs:\n- config_name: a\n  default: 'yes'\n": ("configs", "true or false"),
    "configs:\n- config_name: a\n  data_files:\n  - split: train\n": (
        "configs",
        "`path` of split 'train'",
    ),
    "configs:\n- config_name: a\n  data_files:\n  - {split: t, path: x}\n"
    "  - {split: t, path: y}\n": ("configs", "listed twice"),
    "configs:\n- config_name: a\n  data_files:\n  - {split: t, paths: x}\n": (
        "configs",
        "other keys",
    ),
    "dataset_info: [1]\n": ("dataset_info", "must be a mapping"),
    "dataset_info:\n  features:\n  - dtype: string\n": ("dataset_info", "`name`"),
    "dataset_info:\n  splits:\n  - name: train\n    num_examples: -1\n": (
        "dataset_info",
        "whole numbers",
    ),
    "pretty_name: [a, 1]\n": ("pretty_name", "list of strings"),
    "license: nope\n": ("license", "license"),
}


@pytest.mark.parametrize("yaml_text", list(BAD))
def test_invalid_dataset_metadata_names_the_field(yaml_text):
    field, hint = BAD[yaml_text]
    with pytest.raises(ValidationError) as refused:
        card_validate_yaml(yaml_text, repo_type="dataset")
    message = refused.value.message
    assert message.startswith("Invalid dataset card metadata")
    assert f"`{field}`" in message and hint in message
    assert refused.value.details["field"] == field


def test_model_only_rules_do_not_judge_a_dataset_card():
    text = "---\npipeline_tag: tabular-thing\nlibrary_name: [x]\n---\n"
    card = card_parse(text, repo_type="dataset")
    assert card.pipeline_tag == "" and card.library_name == ""
    with pytest.raises(ValidationError, match="Invalid model card metadata"):
        card_parse(text)
    # And the dataset rules do not judge a model card.
    assert card_parse("---\nsize_categories: lots\n---\n").raw


def test_a_dataset_commit_refuses_a_bad_card_and_keeps_the_branch():
    maya = make_user("maya")
    repo = make_repo(maya, "cards", repo_type="dataset")
    commit_files(repo, {"train.csv": b"a\n1\n"}, author=maya)
    with pytest.raises(InvalidCardError, match="size_categories"):
        commit_files(
            repo, {"README.md": b"---\nsize_categories: huge\n---\n"}, author=maya
        )
    repo.refresh_from_db()
    card = b"---\nsize_categories: n<1K\ntask_categories: translation\n---\n# D\n"
    commit_files(repo, {"README.md": card}, author=maya)
    repo.refresh_from_db()
    assert repo.card_data["size_categories"] == "n<1K"


def test_a_dataset_card_renders_sanitized_with_links_into_the_dataset():
    maya = make_user("maya")
    repo = make_repo(maya, "rendered", repo_type="dataset")
    readme = (
        b"---\nlicense: mit\n---\n# Rows\n<script>alert(1)</script>\n"
        b"[train](data/train.csv) ![plot](plot.png)\n"
    )
    head = commit_files(repo, {"README.md": readme}, author=maya)
    html, has_readme = card_html(repo, head)
    assert has_readme and "<h1>Rows</h1>" in html
    assert "<script>" not in html and "alert(1)" not in html
    assert f'href="/datasets/maya/rendered/blob/{head.oid}/data/train.csv"' in html
    assert f'src="/datasets/maya/rendered/resolve/{head.oid}/plot.png"' in html


def test_the_repo_validator_reads_a_dataset_card_by_the_dataset_rules():
    card = b"---\nlicense: mit\npipeline_tag: not-a-task\nsize_categories: n<1K\n---\n"
    files = {"README.md": (len(card), BytesSource(card))}
    as_dataset = validate_repo(files, repo_type="dataset")
    assert not [f for f in as_dataset.findings if f.code == "card.invalid"]
    as_model = validate_repo(files)
    assert [f.code for f in as_model.findings if f.code == "card.invalid"]
