"""transformers loads a model and tokenizer published on the hub, pinned to a revision.

The model is a tiny GPT-2 built here with random weights (no network); it is
published with the real client, then loaded by ``from_pretrained`` in a
fresh process whose only source is the hub (``HF_ENDPOINT``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch", reason="the eval extra (torch) is not installed")
transformers = pytest.importorskip("transformers")

LOAD_SCRIPT = """
import json, sys, torch
from transformers import AutoModelForCausalLM, AutoTokenizer
repo, revision = sys.argv[1], sys.argv[2]
tok = AutoTokenizer.from_pretrained(repo, revision=revision)
model = AutoModelForCausalLM.from_pretrained(repo, revision=revision)
ids = tok("the model commons hub", return_tensors="pt").input_ids
with torch.no_grad():
    logits = model(ids).logits
print(json.dumps({"ids": ids.tolist(), "logits": logits[0, -1, :8].tolist()}))
"""


def build_tiny_gpt2(folder: Path, seed: int) -> list[float]:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    words = ["[UNK]", "[EOS]", "the", "model", "commons", "hub", "a", "file"]
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, "[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", eos_token="[EOS]"
    )
    fast.save_pretrained(folder)
    torch.manual_seed(seed)
    config = GPT2Config(
        vocab_size=len(words), n_positions=32, n_embd=16, n_layer=2, n_head=2
    )
    model = GPT2LMHeadModel(config).eval()
    model.save_pretrained(folder)
    ids = fast("the model commons hub", return_tensors="pt").input_ids
    with torch.no_grad():
        return model(ids).logits[0, -1, :8].tolist()


def load_through_hub(hub_url: str, token: str, cache: str, repo: str, revision: str):
    env = {
        **os.environ,
        "HF_ENDPOINT": hub_url,
        "HF_TOKEN": token,
        "HF_HOME": cache,
        "HF_HUB_DISABLE_XET": "1",
        "TRANSFORMERS_VERBOSITY": "error",
    }
    out = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, repo, revision],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_from_pretrained_loads_the_published_model_at_a_pinned_revision(
    api, maya, hub_url, tmp_path
):
    repo_id = f"{maya[0].username}/tiny-gpt2"
    api.create_repo(repo_id)
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    logits_v1 = build_tiny_gpt2(v1, seed=1)
    api.upload_folder(repo_id=repo_id, folder_path=v1, commit_message="v1")
    api.create_tag(repo_id, tag="v1")
    logits_v2 = build_tiny_gpt2(v2, seed=2)
    api.upload_folder(repo_id=repo_id, folder_path=v2, commit_message="v2")
    v1_sha = api.model_info(repo_id, revision="v1").sha

    for revision, expected in (
        ("main", logits_v2),
        ("v1", logits_v1),
        (v1_sha, logits_v1),
    ):
        got = load_through_hub(
            hub_url, maya[1], str(tmp_path / "cache"), repo_id, revision
        )
        assert got["ids"] == [[2, 3, 4, 5]]
        assert got["logits"] == pytest.approx(expected, abs=1e-5), revision
