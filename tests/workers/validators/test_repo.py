"""Repo-level checks: card and license, config, tokenizer, index, quota."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.workers.validators.corpus import (
    onnx_model,
    onnx_tensor,
    safetensors_bytes,
    tensor,
)
from workers.validators.base import BytesSource
from workers.validators.repo import RepoFile, validate_repo

LLAMA_WEIGHTS = safetensors_bytes(
    {
        "model.layers.0.self_attn.q_proj.weight": tensor("F32", [2], 0, 8),
        "model.layers.0.mlp.up_proj.weight": tensor("F32", [2], 8, 16),
    },
    bytes(16),
)


def files(mapping: dict[str, bytes | str]) -> dict[str, RepoFile]:
    out: dict[str, RepoFile] = {}
    for name, content in mapping.items():
        data = content.encode() if isinstance(content, str) else content
        out[name] = (len(data), BytesSource(data))
    return out


def card(yaml_text: str) -> str:
    return f"---\n{yaml_text}---\n# A model\n"


GOOD: dict[str, bytes | str] = {
    "README.md": card("license: apache-2.0\npipeline_tag: text-generation\n"),
    "config.json": json.dumps({"model_type": "llama", "hidden_size": 2}),
    "model.safetensors": LLAMA_WEIGHTS,
    "tokenizer.json": json.dumps({"version": "1.0", "model": {}}),
    "tokenizer_config.json": "{}",
}


@pytest.mark.django_db
def test_complete_repo_passes():
    verdict = validate_repo(files(GOOD), quota_bytes=10**9)
    assert verdict.status == "passed"
    assert verdict.findings == ()
    assert verdict.metadata["license"] == "apache-2.0"
    assert verdict.metadata["model_type"] == "llama"
    assert verdict.metadata["files"] == 5
    assert verdict.validator_version == "repo/1"


@pytest.mark.django_db
def test_unknown_license_id_fails_with_the_card_message():
    verdict = validate_repo(files({**GOOD, "README.md": card("license: apache2\n")}))
    assert verdict.status == "failed"
    assert verdict.codes == ["card.invalid"]
    assert "apache-2.0" in verdict.findings[0].message


@pytest.mark.django_db
def test_license_other_needs_a_name_and_a_license_file():
    verdict = validate_repo(files({**GOOD, "README.md": card("license: other\n")}))
    assert verdict.status == "failed"
    assert verdict.codes == ["card.license_name_missing", "card.license_file_missing"]

    named = card("license: other\nlicense_name: lab-license\n")
    verdict = validate_repo(files({**GOOD, "README.md": named, "LICENSE.md": "x"}))
    assert verdict.status == "passed"


@pytest.mark.django_db
def test_missing_card_or_license_is_a_warning():
    without_readme = {k: v for k, v in GOOD.items() if k != "README.md"}
    assert validate_repo(files(without_readme)).codes == ["card.missing"]
    no_license = card("tags: [x]\n")
    verdict = validate_repo(files({**GOOD, "README.md": no_license}))
    assert verdict.status == "warning"
    assert verdict.codes == ["card.no_license"]


HOSTILE_YAML = {
    "billion_laughs": "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
    "python_tag": "license: !!python/object/apply:os.system ['touch {canary}']\n",
    "custom_tag": "license: !evil mit\n",
    "duplicate_keys": "license: mit\nlicense: apache-2.0\n",
    "deep_nesting": "a: " + "[" * 50 + "]" * 50 + "\n",
    "wrong_type": "license: [mit, apache-2.0]\n",
    "not_a_mapping": "- just\n- a list\n",
    "unclosed": "license: 'mit\n",
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(HOSTILE_YAML))
def test_hostile_card_yaml_fails(case, tmp_path: Path):
    canary = tmp_path / "canary"
    text = card(HOSTILE_YAML[case].replace("{canary}", str(canary)))
    verdict = validate_repo(files({**GOOD, "README.md": text}))
    assert verdict.status == "failed"
    assert verdict.codes == ["card.invalid"]
    assert not canary.exists()


def test_readme_that_is_not_utf8_fails():
    verdict = validate_repo(files({"README.md": b"\xff\xfe---\n"}))
    assert verdict.codes == ["card.invalid"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("{not json", "config.invalid"),
        ("[1, 2]", "config.invalid"),
        ('{"model_type": 3}', "config.invalid"),
        ('{"hidden_size": 2}', "config.no_model_type"),
        ('{"model_type": "gpt2"}', "config.model_type_mismatch"),
    ],
)
def test_config_problems(content, code):
    verdict = validate_repo(files({**GOOD, "config.json": content}))
    assert verdict.codes == [code]


@pytest.mark.django_db
def test_model_type_without_known_markers_is_not_guessed():
    verdict = validate_repo(files({**GOOD, "config.json": '{"model_type": "mamba"}'}))
    assert verdict.status == "passed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]
)
def test_tokenizer_files_must_parse(name):
    verdict = validate_repo(files({**GOOD, name: '{"unterminated": '}))
    assert verdict.status == "failed"
    assert verdict.codes == ["tokenizer.invalid"]


@pytest.mark.django_db
def test_sharded_index_must_point_at_existing_shards():
    index = {
        "weight_map": {"a": "model-00001.safetensors", "b": "model-00002.safetensors"}
    }
    shard = {"model-00001.safetensors": LLAMA_WEIGHTS}
    content = {**GOOD, **shard, "model.safetensors.index.json": json.dumps(index)}
    verdict = validate_repo(files(content))
    assert verdict.codes == ["index.missing_shard"]
    assert "model-00002.safetensors" in verdict.findings[0].message


@pytest.mark.django_db
def test_onnx_external_data_must_exist_in_the_repo():
    model = onnx_model([onnx_tensor("w", [4], location="weights.bin")])
    content = {**GOOD, "onnx/model.onnx": model}
    assert validate_repo(files(content)).codes == ["onnx.external_data_missing"]
    content["onnx/weights.bin"] = bytes(16)
    assert validate_repo(files(content)).status == "passed"


@pytest.mark.django_db
def test_total_size_over_quota_fails():
    verdict = validate_repo(files(GOOD), quota_bytes=100)
    assert verdict.status == "failed"
    assert verdict.codes == ["repo.over_quota"]
    assert verdict.findings[0].details["quota"] == 100
