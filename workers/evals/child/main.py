"""Entry point of the sandboxed evaluation child: ``python -I main.py SPEC``.

Started by the eval worker in a throw-away directory, in its own network
namespace, without capabilities, with resource limits and an environment
that holds nothing but offline switches and thread counts. It re-checks the
sha256 of every input, loads safetensors weights only (never pickles, never
remote code, never the network), evaluates, and prints exactly one JSON
object on stdout. Everything libraries print goes to stderr, which the
worker keeps as the run's log.

This file and the ``mc_*.py`` modules beside it are the only code that
imports torch; the worker process never does.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mc_evaluators import EVALUATORS  # noqa: E402
from mc_loading import EvalFailure  # noqa: E402

SCHEMA_VERSION = 1


def sha256_file(path: Path, pieces: list[list[int]] | None = None) -> str:
    """sha256 of a file, or of its (offset, length) pieces in order."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        if pieces is None:
            while chunk := f.read(1 << 20):
                h.update(chunk)
            return h.hexdigest()
        for offset, length in pieces:
            f.seek(offset)
            left = length
            while left > 0 and (chunk := f.read(min(left, 1 << 20))):
                h.update(chunk)
                left -= len(chunk)
    return h.hexdigest()


def verify_inputs(spec: dict[str, Any]) -> None:
    """Every input and the data file must still hash to what the hub recorded."""
    model_dir = Path(spec["model_dir"])
    for item in spec["inputs"]:
        path = model_dir / item["path"]
        if not path.is_file() or sha256_file(path) != item["sha256"]:
            raise EvalFailure(
                "failed",
                "input_mismatch",
                f"{item['path']} does not match its recorded sha256; nothing "
                "was loaded.",
            )
        if item["path"].endswith((".bin", ".pt", ".pth", ".ckpt", ".pkl")):
            raise EvalFailure(
                "skipped", "pickle_weights", "Pickle weights are never loaded."
            )
    data = spec.get("data") or {}
    files = data.get("files") or ([data] if data else [])
    for item in files:
        if sha256_file(Path(item["path"]), item.get("pieces")) != item["sha256"]:
            raise EvalFailure(
                "failed",
                "data_mismatch",
                "The evaluation data does not match its recorded sha256.",
            )


def environment(threads: int) -> dict[str, Any]:
    import safetensors
    import tokenizers
    import torch
    import transformers

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
        "safetensors": safetensors.__version__,
        "threads": threads,
        "interop_threads": torch.get_num_interop_threads(),
        "machine": platform.machine(),
        "system": platform.system(),
        "dtype": "float32",
        "deterministic": True,
    }


def main(argv: list[str]) -> int:
    # Keep stdout for the one JSON answer; anything printed by a library
    # lands on stderr (the run's log) instead.
    answer = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    started = time.monotonic()
    spec = json.loads(Path(argv[1]).read_text())
    settings = dict(spec.get("settings") or {})
    threads = int(settings.get("threads") or 1)
    payload: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "status": "failed",
        "reason": "",
        "message": "",
        "metrics": {},
        "details": {},
        "environment": {},
        "settings": settings,
    }
    _evaluate(spec, settings, threads, payload)
    payload["duration_seconds"] = round(time.monotonic() - started, 3)
    answer.write(_answer_text(payload) + "\n")
    answer.flush()
    return 0


def _evaluate(
    spec: dict[str, Any],
    settings: dict[str, Any],
    threads: int,
    payload: dict[str, Any],
) -> None:
    """Check the inputs, run the evaluator and record its outcome in ``payload``."""
    try:
        verify_inputs(spec)
        import torch

        torch.set_num_threads(threads)
        torch.manual_seed(int(settings.get("seed") or 0))
        torch.use_deterministic_algorithms(True)
        payload["environment"] = environment(threads)

        evaluate = EVALUATORS.get(spec["evaluator"])
        if evaluate is None:
            raise EvalFailure(
                "failed", "unknown_evaluator", f"No evaluator {spec['evaluator']!r}."
            )
        outcome = evaluate(spec, settings)
        payload.update(
            status="finished",
            metrics=outcome["metrics"],
            primary=outcome["primary"],
            details=outcome.get("details", {}),
        )
        payload["settings"] = {**settings, **outcome.get("settings", {})}
    except EvalFailure as exc:
        payload.update(status=exc.status, reason=exc.reason, message=exc.message)
    except MemoryError:
        payload.update(
            reason="memory_limit",
            message="The model needed more memory than the sandbox allows.",
        )
    except Exception as exc:  # reported as a failure with the traceback in the log
        traceback.print_exc()
        payload.update(
            reason="evaluation_error",
            message=f"{type(exc).__name__}: {str(exc)[:500]}",
        )


def _answer_text(payload: dict[str, Any]) -> str:
    """The one JSON line; a non-finite number fails the run instead."""
    try:
        return json.dumps(payload, allow_nan=False, default=str)
    except ValueError:  # a NaN or infinity slipped into the numbers
        payload.update(
            status="failed",
            reason="non_finite",
            message="The evaluation produced a non-finite number.",
            metrics={},
            details={},
        )
        payload.pop("primary", None)
        return json.dumps(payload, allow_nan=False, default=str)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
