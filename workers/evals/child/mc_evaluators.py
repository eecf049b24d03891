"""The evaluators run inside the sandboxed child (they import torch).

Each takes the run's spec and settings and returns ``metrics``, ``primary``
(name, value, higher_is_better), ``details`` and the ``settings`` it really
used; a result that is not a number (a model that cannot load, non-finite
outputs) is an :class:`~mc_loading.EvalFailure` with a reason code. The
causal language model evaluator lives in ``mc_causal_lm.py``, the loading
every evaluator shares in ``mc_loading.py``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mc_causal_lm import evaluate_causal_lm
from mc_loading import EvalFailure, load_model, load_tokenizer


def _pooling_mode(model_dir: Path) -> str:
    path = model_dir / "1_Pooling" / "config.json"
    if path.is_file():
        try:
            config = json.loads(path.read_text())
        except (OSError, ValueError):
            config = {}
        if config.get("pooling_mode_cls_token"):
            return "cls"
        if config.get("pooling_mode_max_tokens"):
            return "max"
    return "mean"


def evaluate_sentence_embedding(spec: dict[str, Any], settings: dict[str, Any]) -> dict:
    """Margin and ranking accuracy on the shipped (anchor, related, unrelated)
    sentence triples: the related sentence must be closer to the anchor."""
    import torch
    from transformers import AutoModel

    model_dir = Path(spec["model_dir"])
    tokenizer = load_tokenizer(str(model_dir))
    model = load_model(AutoModel, str(model_dir))
    pooling = _pooling_mode(model_dir)
    items = json.loads(Path(spec["data"]["path"]).read_text())["items"]
    sentences = [s for item in items for s in item]
    max_length = min(int(getattr(tokenizer, "model_max_length", 256) or 256), 256)
    started = time.perf_counter()
    vectors = _embeddings(model, tokenizer, sentences, pooling, max_length)
    elapsed = time.perf_counter() - started
    emb = torch.cat(vectors).view(len(items), 3, -1)
    related = (emb[:, 0] * emb[:, 1]).sum(-1).double()
    unrelated = (emb[:, 0] * emb[:, 2]).sum(-1).double()
    if not (torch.isfinite(related).all() and torch.isfinite(unrelated).all()):
        raise EvalFailure("failed", "non_finite", "The embeddings are not finite.")
    accuracy = float((related > unrelated).double().mean())
    margin = float((related - unrelated).mean())
    return {
        "metrics": {
            "ranking_accuracy": accuracy,
            "margin": margin,
            "mean_related_similarity": float(related.mean()),
            "mean_unrelated_similarity": float(unrelated.mean()),
            "pairs": len(items),
            "sentences_per_second": len(sentences) / elapsed if elapsed > 0 else 0.0,
        },
        "primary": {
            "name": "ranking_accuracy",
            "value": accuracy,
            "higher_is_better": True,
        },
        "details": {"pooling": pooling, "dimensions": int(emb.shape[-1])},
        "settings": {
            "pooling": pooling,
            "max_length": max_length,
            "data_sha256": spec["data"]["sha256"],
        },
    }


def _embeddings(
    model: Any, tokenizer: Any, sentences: list[str], pooling: str, max_length: int
) -> list[Any]:
    """Unit-length pooled vectors of the sentences, in batches of 16."""
    import torch

    vectors = []
    with torch.inference_mode():
        for i in range(0, len(sentences), 16):
            enc = tokenizer(
                sentences[i : i + 16],
                padding=True,
                truncation=True,
                max_length=max_length,
                return_tensors="pt",
            )
            hidden = model(**enc).last_hidden_state.float()
            mask = enc["attention_mask"].unsqueeze(-1).float()
            if pooling == "cls":
                pooled = hidden[:, 0]
            elif pooling == "max":
                pooled = hidden.masked_fill(mask == 0, -1e9).max(dim=1).values
            else:
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            vectors.append(torch.nn.functional.normalize(pooled, dim=-1))
    return vectors


FIXED_INPUT_LENGTH = 16


def evaluate_forward_pass(spec: dict[str, Any], settings: dict[str, Any]) -> dict:
    """One forward pass on fixed token ids; every output must be finite."""
    import torch
    from transformers import AutoModel

    model = load_model(AutoModel, spec["model_dir"])
    vocab = int(getattr(model.config, "vocab_size", 0) or 0)
    if vocab < 2:
        raise EvalFailure(
            "skipped",
            "unsupported_inputs",
            "This model does not take token ids; only a forward pass on fixed "
            "token input is supported for it.",
        )
    span = min(vocab, 1000)
    ids = torch.tensor([[(7 * i + 3) % span for i in range(FIXED_INPUT_LENGTH)]])
    try:
        with torch.inference_mode():
            outputs = model(input_ids=ids, attention_mask=torch.ones_like(ids))
    except (TypeError, ValueError) as exc:
        raise EvalFailure(
            "skipped",
            "unsupported_inputs",
            f"The model needs inputs other than token ids: {str(exc)[:300]}",
        ) from None
    tensors = [v for v in outputs.values() if isinstance(v, torch.Tensor)]
    total = sum(t.numel() for t in tensors)
    finite = sum(int(torch.isfinite(t).sum()) for t in tensors)
    if total == 0:
        raise EvalFailure("failed", "no_outputs", "The forward pass returned nothing.")
    fraction = finite / total
    if fraction < 1:
        raise EvalFailure(
            "failed",
            "non_finite",
            f"{total - finite} of {total} output values are not finite.",
        )
    return {
        "metrics": {"finite_fraction": fraction, "output_values": total},
        "primary": {
            "name": "finite_fraction",
            "value": fraction,
            "higher_is_better": True,
        },
        "details": {
            "output_shapes": {
                k: list(v.shape)
                for k, v in outputs.items()
                if isinstance(v, torch.Tensor)
            }
        },
        "settings": {"input_length": FIXED_INPUT_LENGTH},
    }


EVALUATORS: dict[str, Callable[[dict[str, Any], dict[str, Any]], dict]] = {
    "causal_lm": evaluate_causal_lm,
    "sentence_embedding": evaluate_sentence_embedding,
    "forward_pass": evaluate_forward_pass,
}
