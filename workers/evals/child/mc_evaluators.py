"""The evaluators run inside the sandboxed child (they import torch).

Each takes the run's spec and settings and returns ``metrics``, ``primary``
(name, value, higher_is_better), ``details`` and the ``settings`` it really
used; a result that is not a number (a model that cannot load, non-finite
outputs) is an :class:`EvalFailure` with a reason code.

Loading is always ``local_files_only=True``, ``trust_remote_code=False``
and ``use_safetensors=True``: pickles and custom code are never loaded.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

LOAD = {"local_files_only": True, "trust_remote_code": False}
GENERATION_PROMPT = "The history of the river valley"
GENERATION_TOKENS = 16
DOCUMENT_SEPARATOR = "\n---\n"


class EvalFailure(Exception):
    """A result, not a crash: the run ends with this status and reason."""

    def __init__(self, status: str, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message


def _load_model(auto_class: Any, model_dir: str) -> Any:
    import torch

    try:
        model = auto_class.from_pretrained(
            model_dir, dtype=torch.float32, use_safetensors=True, **LOAD
        )
    except ValueError as exc:
        text = str(exc)
        if "Unrecognized configuration class" in text or "does not recognize" in text:
            raise EvalFailure(
                "skipped",
                "unsupported_architecture",
                f"This architecture cannot be loaded without custom code: {text[:300]}",
            ) from None
        if "trust_remote_code" in text:
            raise EvalFailure(
                "skipped",
                "custom_code",
                "This checkpoint needs custom code, which is never run.",
            ) from None
        raise EvalFailure("failed", "load_error", text[:500]) from None
    except (OSError, KeyError, RuntimeError) as exc:
        raise EvalFailure(
            "failed", "load_error", f"{type(exc).__name__}: {str(exc)[:500]}"
        ) from None
    model.eval()
    return model


def _load_tokenizer(model_dir: str) -> Any:
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(model_dir, **LOAD)
    except (OSError, ValueError, KeyError) as exc:
        raise EvalFailure(
            "failed",
            "tokenizer_error",
            f"The tokenizer cannot be loaded: {type(exc).__name__}: {str(exc)[:300]}",
        ) from None


def _max_positions(config: Any) -> int | None:
    for name in ("max_position_embeddings", "n_positions", "n_ctx", "seq_length"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 1:
            return value
    return None


def corpus_documents(text: str) -> list[str]:
    """The held-out corpus split into its documents."""
    return [d.strip("\n") for d in text.split(DOCUMENT_SEPARATOR) if d.strip()]


def causal_lm_windows(
    token_docs: list[list[int]], *, prefix_id: int, context_length: int
) -> list[list[int]]:
    """Non-overlapping windows: ``[prefix] + up to context_length-1 tokens``.

    Every document token is predicted exactly once, each window starting
    from the prefix token (BOS, else EOS), as in lm-eval-harness's rolling
    log-likelihood.
    """
    step = context_length - 1
    windows = []
    for ids in token_docs:
        for start in range(0, len(ids), step):
            windows.append([prefix_id, *ids[start : start + step]])
    return windows


def evaluate_causal_lm(spec: dict[str, Any], settings: dict[str, Any]) -> dict:
    """Bits per byte and token perplexity on the shipped held-out text, plus a
    greedy-generation smoke test from a fixed prompt."""
    import torch
    from transformers import AutoModelForCausalLM

    model_dir = spec["model_dir"]
    tokenizer = _load_tokenizer(model_dir)
    model = _load_model(AutoModelForCausalLM, model_dir)
    prefix_id = tokenizer.bos_token_id
    if prefix_id is None:
        prefix_id = tokenizer.eos_token_id
    if prefix_id is None:
        raise EvalFailure(
            "failed",
            "tokenizer_unsupported",
            "The tokenizer has neither a BOS nor an EOS token to start windows.",
        )
    context = int(settings["context_length"])
    model_max = _max_positions(model.config)
    if model_max is not None:
        context = min(context, model_max)
    batch_size = int(settings["batch_size"])
    max_tokens = int(settings["max_tokens"])

    text = Path(spec["data"]["path"]).read_text(encoding="utf-8")
    token_docs: list[list[int]] = []
    n_bytes = 0
    n_tokens = 0
    for doc in corpus_documents(text):
        ids = tokenizer(doc, add_special_tokens=False)["input_ids"]
        if n_tokens + len(ids) > max_tokens:
            break
        token_docs.append(ids)
        n_tokens += len(ids)
        n_bytes += len(doc.encode("utf-8"))
    if not token_docs:
        raise EvalFailure(
            "failed", "token_budget", "Not one document fits the token budget."
        )
    windows = causal_lm_windows(token_docs, prefix_id=prefix_id, context_length=context)
    by_length: dict[int, list[list[int]]] = {}
    for window in windows:
        by_length.setdefault(len(window), []).append(window)
    total_nats = 0.0
    started = time.perf_counter()
    with torch.inference_mode():
        for length in sorted(by_length, reverse=True):
            group = by_length[length]
            for i in range(0, len(group), batch_size):
                batch = torch.tensor(group[i : i + batch_size], dtype=torch.long)
                logits = model(input_ids=batch).logits.float()
                logprobs = torch.log_softmax(logits[:, :-1, :], dim=-1)
                target = batch[:, 1:].unsqueeze(-1)
                nll = -logprobs.gather(-1, target).squeeze(-1)
                total_nats += float(nll.double().sum())
    elapsed = time.perf_counter() - started
    if not math.isfinite(total_nats):
        raise EvalFailure(
            "failed",
            "non_finite",
            "The model's loss on the held-out text is not finite.",
        )
    generation = _generation_smoke_test(model, tokenizer)
    bits_per_byte = total_nats / math.log(2) / n_bytes
    return {
        "metrics": {
            "bits_per_byte": bits_per_byte,
            "token_perplexity": math.exp(total_nats / n_tokens),
            "nats": total_nats,
            "tokens": n_tokens,
            "bytes": n_bytes,
            "documents": len(token_docs),
            "tokens_per_second": n_tokens / elapsed if elapsed > 0 else 0.0,
            "generation_ok": 1,
        },
        "primary": {
            "name": "bits_per_byte",
            "value": bits_per_byte,
            "higher_is_better": False,
        },
        "details": {
            "generation": generation,
            "vocab_size": len(tokenizer),
            "windows": len(windows),
            "eval_seconds": elapsed,
        },
        "settings": {
            "context_length_used": context,
            "prefix_token_id": prefix_id,
            "data_sha256": spec["data"]["sha256"],
        },
    }


def _generation_smoke_test(model: Any, tokenizer: Any) -> dict[str, Any]:
    import torch

    prompt = tokenizer(GENERATION_PROMPT, return_tensors="pt", add_special_tokens=False)
    pad = tokenizer.pad_token_id
    if pad is None:
        pad = tokenizer.eos_token_id
    try:
        with torch.inference_mode():
            out = model.generate(
                **prompt,
                max_new_tokens=GENERATION_TOKENS,
                do_sample=False,
                pad_token_id=pad,
                output_scores=True,
                return_dict_in_generate=True,
            )
    except Exception as exc:
        raise EvalFailure(
            "failed",
            "generation_failed",
            f"Greedy generation failed: {type(exc).__name__}: {str(exc)[:300]}",
        ) from None
    scores = out.scores
    if not scores or not all(bool(torch.isfinite(s).all()) for s in scores):
        raise EvalFailure(
            "failed",
            "generation_failed",
            "Greedy generation produced no tokens or non-finite logits.",
        )
    new_ids = out.sequences[0, prompt["input_ids"].shape[1] :].tolist()
    return {
        "prompt": GENERATION_PROMPT,
        "output": tokenizer.decode(new_ids, skip_special_tokens=True),
        "new_tokens": len(new_ids),
    }


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
    tokenizer = _load_tokenizer(str(model_dir))
    model = _load_model(AutoModel, str(model_dir))
    pooling = _pooling_mode(model_dir)
    items = json.loads(Path(spec["data"]["path"]).read_text())["items"]
    sentences = [s for item in items for s in item]
    max_length = min(int(getattr(tokenizer, "model_max_length", 256) or 256), 256)
    vectors = []
    started = time.perf_counter()
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


FIXED_INPUT_LENGTH = 16


def evaluate_forward_pass(spec: dict[str, Any], settings: dict[str, Any]) -> dict:
    """One forward pass on fixed token ids; every output must be finite."""
    import torch
    from transformers import AutoModel

    model = _load_model(AutoModel, spec["model_dir"])
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
