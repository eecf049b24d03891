"""The evaluators, run for real in the sandboxed child on tiny models built
here (a 2-layer GPT-2 with a BPE tokenizer trained offline, a tiny BERT).

The causal-LM numbers are checked against an independent computation: a
plain transformers forward pass with ``labels`` over the same windows,
summing the mean loss times the predicted tokens.
"""

from __future__ import annotations

import hashlib
import json
import math
import pickle
from pathlib import Path
from typing import Any

import pytest

from hub.jobs import evalsuite
from tests.workers.evals.tinymodels import (
    inputs_of,
    save_causal_lm,
    save_sentence_encoder,
)
from workers.evals.data import DATA_DIR
from workers.evals.runner import CHILD_SCRIPT
from workers.evals.sandbox import Limits, SandboxOutcome, run_child

pytestmark = pytest.mark.slow  # each child imports torch: seconds per run

LIMITS = Limits(wall_seconds=240, cpu_seconds=480, address_space_bytes=6 << 30)
XS = evalsuite.size_tier_of(1_000_000)


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, Path]:
    import torch

    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("tiny-models")
    return {
        "random": save_causal_lm(root / "random"),
        "trained": save_causal_lm(root / "trained", trained=True),
        "encoder": save_sentence_encoder(root / "encoder"),
    }


def evaluate(
    model_dir: Path, evaluator: str, tmp_path: Path, *, inputs: Any = None
) -> SandboxOutcome:
    info = evalsuite.EVALUATORS[evaluator]
    data = None
    if info.data_file:
        data = {"path": str(DATA_DIR / info.data_file), "sha256": info.data_sha256}
    spec = {
        "evaluator": evaluator,
        "model_dir": str(model_dir),
        "inputs": inputs if inputs is not None else inputs_of(model_dir),
        "data": data,
        "settings": {**XS.as_settings(), "threads": 1, "seed": 0},
    }
    workdir = tmp_path / f"work-{evaluator}"
    workdir.mkdir(parents=True)
    (workdir / "spec.json").write_text(json.dumps(spec))
    return run_child(
        CHILD_SCRIPT, [str(workdir / "spec.json")], workdir=workdir, limits=LIMITS
    )


@pytest.fixture(scope="module")
def causal_outcomes(models, tmp_path_factory) -> dict[str, SandboxOutcome]:
    """One sandboxed run per tiny causal LM, shared by the tests below."""
    root = tmp_path_factory.mktemp("causal-runs")
    return {
        name: evaluate(models[name], "causal_lm", root / name)
        for name in ("random", "trained")
    }


def independent_nats(model_dir: Path) -> tuple[float, int, int]:
    """Total loss (nats), tokens and bytes of the held-out corpus, computed
    the plain way: ``model(ids, labels=ids).loss`` per window."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
    text = (DATA_DIR / evalsuite.HELDOUT_CORPUS).read_text(encoding="utf-8")
    docs = [d.strip("\n") for d in text.split("\n---\n") if d.strip()]
    context = min(XS.context_length, model.config.n_positions)
    total = 0.0
    tokens = 0
    for doc in docs:
        ids = tokenizer(doc, add_special_tokens=False)["input_ids"]
        tokens += len(ids)
        for start in range(0, len(ids), context - 1):
            window = [tokenizer.bos_token_id, *ids[start : start + context - 1]]
            batch = torch.tensor([window])
            with torch.no_grad():
                loss = model(input_ids=batch, labels=batch).loss
            total += float(loss) * (len(window) - 1)
    return total, tokens, sum(len(d.encode()) for d in docs)


def test_random_init_perplexity_is_about_the_vocabulary_size_and_matches_transformers(
    models, causal_outcomes
):
    outcome = causal_outcomes["random"]
    assert outcome.kind == "ok", (outcome.error, outcome.log_tail)
    payload = outcome.payload
    assert payload is not None and payload["status"] == "finished", payload
    metrics = payload["metrics"]
    vocab = payload["details"]["vocab_size"]
    assert vocab == 512
    assert 0.85 * vocab < metrics["token_perplexity"] < 1.15 * vocab

    nats, tokens, n_bytes = independent_nats(models["random"])
    assert metrics["tokens"] == tokens
    assert metrics["bytes"] == n_bytes
    assert math.isclose(metrics["nats"], nats, rel_tol=1e-4)
    assert math.isclose(
        metrics["bits_per_byte"], nats / math.log(2) / n_bytes, rel_tol=1e-4
    )
    assert math.isclose(
        metrics["token_perplexity"], math.exp(nats / tokens), rel_tol=1e-4
    )
    assert payload["primary"] == {
        "name": "bits_per_byte",
        "value": metrics["bits_per_byte"],
        "higher_is_better": False,
    }
    assert payload["details"]["generation"]["new_tokens"] > 0
    assert payload["environment"]["torch"].startswith("2.")
    assert payload["settings"]["context_length_used"] == 128  # the model's limit
    assert payload["settings"]["data_sha256"] == evalsuite.HELDOUT_CORPUS_SHA256


def test_a_briefly_trained_model_scores_clearly_better_than_random_init(
    models, causal_outcomes
):
    random, trained = causal_outcomes["random"], causal_outcomes["trained"]
    assert random.payload and trained.payload, (trained.error, trained.log_tail)
    r, t = random.payload["metrics"], trained.payload["metrics"]
    assert t["bits_per_byte"] < 0.9 * r["bits_per_byte"]
    assert t["token_perplexity"] < 0.6 * r["token_perplexity"]
    nats, _, _ = independent_nats(models["trained"])
    assert math.isclose(t["nats"], nats, rel_tol=1e-4)


def test_sentence_encoder_gets_a_margin_and_a_ranking_accuracy(models, tmp_path):
    outcome = evaluate(models["encoder"], "sentence_embedding", tmp_path)
    assert outcome.payload is not None, (outcome.error, outcome.log_tail)
    payload = outcome.payload
    assert payload["status"] == "finished", payload
    metrics = payload["metrics"]
    assert metrics["pairs"] == 42
    assert 0 <= metrics["ranking_accuracy"] <= 1
    assert -2 <= metrics["margin"] <= 2
    assert math.isclose(
        metrics["margin"],
        metrics["mean_related_similarity"] - metrics["mean_unrelated_similarity"],
        rel_tol=1e-9,
        abs_tol=1e-12,
    )
    assert payload["details"]["pooling"] == "mean"


def test_other_models_get_a_forward_pass_with_finite_outputs(models, tmp_path):
    outcome = evaluate(models["encoder"], "forward_pass", tmp_path)
    assert outcome.payload is not None, (outcome.error, outcome.log_tail)
    assert outcome.payload["status"] == "finished"
    assert outcome.payload["metrics"]["finite_fraction"] == 1.0


class _Marker:
    """Unpickling this would create a file: proof that a pickle was loaded."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (self.path, "w"))


def test_pickle_weights_are_skipped_and_never_loaded(tmp_path):
    folder = tmp_path / "pickled"
    folder.mkdir()
    marker = tmp_path / "unpickled.txt"
    (folder / "config.json").write_text(
        json.dumps({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2"})
    )
    (folder / "pytorch_model.bin").write_bytes(pickle.dumps(_Marker(str(marker))))
    outcome = evaluate(folder, "causal_lm", tmp_path)
    assert outcome.payload is not None, outcome.error
    assert outcome.payload["status"] == "skipped"
    assert outcome.payload["reason"] == "pickle_weights"
    assert not marker.exists()


def test_a_tampered_input_fails_before_anything_is_loaded(models, tmp_path):
    inputs = inputs_of(models["random"])
    for item in inputs:
        if item["path"] == "model.safetensors":
            item["sha256"] = hashlib.sha256(b"other weights").hexdigest()
    outcome = evaluate(models["random"], "causal_lm", tmp_path, inputs=inputs)
    assert outcome.payload is not None
    assert outcome.payload["status"] == "failed"
    assert outcome.payload["reason"] == "input_mismatch"
