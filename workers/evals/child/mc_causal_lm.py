"""The causal language model evaluator (runs inside the sandboxed child).

Bits per byte and token perplexity on held-out text (the shipped corpus or
a dataset split, ``mc_data``), read in non-overlapping windows, plus a
greedy-generation smoke test.
"""

from __future__ import annotations

import math
import time
from typing import Any

from mc_data import held_out_documents
from mc_loading import EvalFailure, load_model, load_tokenizer, max_positions

GENERATION_PROMPT = "The history of the river valley"
GENERATION_TOKENS = 16


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
    """Bits per byte and token perplexity on the held-out text, plus a
    greedy-generation smoke test from a fixed prompt."""
    from transformers import AutoModelForCausalLM

    model_dir = spec["model_dir"]
    tokenizer = load_tokenizer(model_dir)
    model = load_model(AutoModelForCausalLM, model_dir)
    prefix_id = _prefix_token(tokenizer)
    context = int(settings["context_length"])
    model_max = max_positions(model.config)
    if model_max is not None:
        context = min(context, model_max)
    batch_size = int(settings["batch_size"])
    max_tokens = int(settings["max_tokens"])

    documents, read = held_out_documents(spec["data"])
    token_docs, n_tokens, n_bytes = _token_documents(documents, tokenizer, max_tokens)
    windows = causal_lm_windows(token_docs, prefix_id=prefix_id, context_length=context)
    total_nats, elapsed = _total_nats(model, windows, batch_size)
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
            **({"data": read} if read else {}),
        },
        "settings": {
            "context_length_used": context,
            "prefix_token_id": prefix_id,
            **_data_settings(spec["data"]),
        },
    }


def _prefix_token(tokenizer: Any) -> int:
    """The token every window starts from: BOS, else EOS."""
    prefix_id = tokenizer.bos_token_id
    if prefix_id is None:
        prefix_id = tokenizer.eos_token_id
    if prefix_id is None:
        raise EvalFailure(
            "failed",
            "tokenizer_unsupported",
            "The tokenizer has neither a BOS nor an EOS token to start windows.",
        )
    return int(prefix_id)


def _data_settings(data: dict[str, Any]) -> dict[str, Any]:
    """How the held-out data is named in the result's settings."""
    if data.get("kind") != "dataset":
        return {"data_sha256": data["sha256"]}
    return {
        "dataset": data["dataset"],
        "dataset_commit": data["commit"],
        "dataset_split": data["split"],
        "dataset_column": data["column"],
        "dataset_files": [
            {"path": f["name"], "sha256_read": f["sha256"], "whole": f["complete"]}
            for f in data["files"]
        ],
    }


def _token_documents(
    documents: list[str], tokenizer: Any, max_tokens: int
) -> tuple[list[list[int]], int, int]:
    """The corpus' documents as token ids, within the token budget, and the
    numbers of tokens and bytes they hold."""
    token_docs: list[list[int]] = []
    n_bytes = 0
    n_tokens = 0
    for doc in documents:
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
    return token_docs, n_tokens, n_bytes


def _total_nats(
    model: Any, windows: list[list[int]], batch_size: int
) -> tuple[float, float]:
    """The summed negative log-likelihood of every window (batched by length),
    and the seconds it took. Raises EvalFailure when it is not finite."""
    import torch

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
    return total_nats, elapsed


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
