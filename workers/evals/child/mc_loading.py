"""What every evaluator of the sandboxed child shares: loading a checkpoint
and its tokenizer safely, and the failure a result can be.

Loading is always ``local_files_only=True``, ``trust_remote_code=False``
and ``use_safetensors=True``: pickles and custom code are never loaded.
"""

from __future__ import annotations

from typing import Any

LOAD = {"local_files_only": True, "trust_remote_code": False}


class EvalFailure(Exception):
    """A result, not a crash: the run ends with this status and reason."""

    def __init__(self, status: str, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message


def load_model(auto_class: Any, model_dir: str) -> Any:
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


def load_tokenizer(model_dir: str) -> Any:
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(model_dir, **LOAD)
    except (OSError, ValueError, KeyError) as exc:
        raise EvalFailure(
            "failed",
            "tokenizer_error",
            f"The tokenizer cannot be loaded: {type(exc).__name__}: {str(exc)[:300]}",
        ) from None


def max_positions(config: Any) -> int | None:
    for name in ("max_position_embeddings", "n_positions", "n_ctx", "seq_length"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 1:
            return value
    return None
