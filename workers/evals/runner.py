"""Execute one claimed eval run: prepare inputs, run the child, record the outcome.

Runs in the eval worker, which never imports torch: the evaluation itself
happens in the sandboxed child (workers/evals/child/main.py). Inputs are
copied out of the blob store while their sha256 is checked, into a
throw-away directory, owned by another uid and read-only; the child checks
the sha256 again before loading anything.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

from hub.jobs import evalsuite
from hub.jobs.models import EvalRun
from hub.jobs.services.eval_plans import REASON_TOO_LARGE, REASON_UNAVAILABLE
from hub.jobs.services.eval_runs import eval_result_get, eval_run_finish
from hub.jobs.services.evals import eval_stack_installed
from hub.storage.selectors import blob_copy_verified
from hub.storage.store import BlobIntegrityError
from workers.evals.data import prepare_data
from workers.evals.sandbox import Limits, SandboxOutcome, run_child

logger = logging.getLogger(__name__)

CHILD_SCRIPT = Path(__file__).resolve().parent / "child" / "main.py"
INPUT_OWNER_UID = 65534  # "nobody": the child (uid 0 without capabilities)
# cannot write or chmod files it does not own.

# Sandbox outcome kind → (run status, reason code).
_OUTCOMES = {
    "unavailable": (EvalRun.Status.FAILED, "sandbox_unavailable"),
    "timeout": (EvalRun.Status.TIMEOUT, "wall_clock"),
    "cpu_time": (EvalRun.Status.TIMEOUT, "cpu_time"),
    "memory_limit": (EvalRun.Status.FAILED, "memory_limit"),
    "file_size_limit": (EvalRun.Status.FAILED, "file_size_limit"),
    "crashed": (EvalRun.Status.FAILED, "child_crashed"),
    "invalid_result": (EvalRun.Status.FAILED, "invalid_result"),
}


class EvalInfrastructureError(Exception):
    """Not the model's fault (missing bytes, a full disk): the run is retried."""


def _copy_verified(sha256: str, size: int, dest: Path) -> None:
    """Stream a blob to ``dest``, checking its size and sha256."""
    try:
        with open(dest, "wb") as out:
            blob_copy_verified(sha256=sha256, size=size, out=out)
    except OSError as exc:
        raise EvalInfrastructureError(f"cannot read blob {sha256[:12]}: {exc}") from exc
    except BlobIntegrityError:
        raise EvalInfrastructureError(
            f"stored bytes of {sha256[:12]} do not match their hash"
        ) from None


def _lock_down(path: Path) -> None:
    """Read-only, and owned by another uid when the worker can arrange it."""
    for item in [*path.rglob("*"), path]:
        item.chmod(0o555 if item.is_dir() else 0o444)
        if os.geteuid() == 0:
            os.chown(item, INPUT_OWNER_UID, INPUT_OWNER_UID)


def _unlock(path: Path) -> None:
    for item in [path, *path.rglob("*")]:
        if item.is_dir():
            item.chmod(0o755)


def eval_limits(*, weights_bytes: int) -> Limits:
    """Limits of one child: address space scaled to the weights (float32)."""
    wall = int(settings.HUB_EVAL_TIMEOUT_SECONDS)
    threads = int(settings.HUB_EVAL_THREADS)
    return Limits(
        wall_seconds=wall,
        cpu_seconds=wall * max(threads, 1) + 60,
        address_space_bytes=(3 << 30) + 4 * weights_bytes,
        file_size_bytes=256 << 20,
        open_files=512,
        tasks=64 + 4 * threads,
    )


def prepare_workdir(run: EvalRun, workdir: Path) -> tuple[Path, int]:
    """Copy the run's inputs and data into ``workdir``; write the child's spec."""
    inputs = workdir / "inputs"
    model_dir = inputs / "model"
    model_dir.mkdir(parents=True)
    weights_bytes = 0
    for item in run.inputs:
        dest = model_dir / item["path"]
        dest.parent.mkdir(parents=True, exist_ok=True)
        _copy_verified(item["sha256"], int(item["size"]), dest)
        if item["path"].endswith(evalsuite.SAFETENSORS_SUFFIXES):
            weights_bytes += int(item["size"])
    data = prepare_data(run, inputs)
    tier = evalsuite.size_tier_of(run.parameter_count)
    spec = {
        "evaluator": run.evaluator,
        "model_dir": str(model_dir),
        "inputs": run.inputs,
        "data": data,
        "settings": {
            **(
                tier.as_settings()
                if run.evaluator == evalsuite.CAUSAL_LM
                else {"size_tier": tier.name}
            ),
            "suite_version": run.suite_version,
            "threads": int(settings.HUB_EVAL_THREADS),
            "seed": 0,
        },
    }
    spec_path = inputs / "spec.json"
    spec_path.write_text(json.dumps(spec))
    _lock_down(inputs)
    return spec_path, weights_bytes


def run_in_sandbox(run: EvalRun) -> tuple[SandboxOutcome, Limits]:
    """Prepare a throw-away directory, run the child, clean up."""
    root = Path(settings.HUB_EVAL_WORKDIR)
    root.mkdir(parents=True, exist_ok=True)
    try:
        tmp = tempfile.mkdtemp(prefix=f"eval-{run.pk}-", dir=root)
    except OSError as exc:
        raise EvalInfrastructureError(f"cannot create a work directory: {exc}") from exc
    workdir = Path(tmp)
    try:
        try:
            spec_path, weights_bytes = prepare_workdir(run, workdir)
        except OSError as exc:
            raise EvalInfrastructureError(f"cannot prepare inputs: {exc}") from exc
        limits = eval_limits(weights_bytes=weights_bytes)
        outcome = run_child(
            CHILD_SCRIPT,
            [str(spec_path)],
            workdir=workdir,
            limits=limits,
            threads=int(settings.HUB_EVAL_THREADS),
            allow_without_network_isolation=bool(
                settings.HUB_EVAL_ALLOW_NO_NETWORK_ISOLATION
            ),
        )
        return outcome, limits
    finally:
        _unlock(workdir)
        shutil.rmtree(workdir, ignore_errors=True)


def execute_run(run: EvalRun) -> str:
    """Evaluate a claimed (running) run and record how it ended.

    Returns the final status. Raises EvalInfrastructureError for failures
    that are not the model's (the caller retries those).
    """
    if not eval_stack_installed():
        eval_run_finish(
            run=run,
            status=EvalRun.Status.FAILED,
            reason=REASON_UNAVAILABLE,
            message="This eval worker has no eval stack (install the .[eval] "
            "extra: torch, transformers, tokenizers, safetensors).",
        )
        return EvalRun.Status.FAILED
    if not run.force:
        existing = eval_result_get(run=run)
        if existing is not None:
            eval_run_finish(
                run=run,
                status=EvalRun.Status.FINISHED,
                message="Identical files were evaluated before: result re-used.",
                reuse=existing,
            )
            return EvalRun.Status.FINISHED
    max_tier = str(settings.HUB_EVAL_MAX_TIER)
    if evalsuite.tier_rank(run.size_tier) > evalsuite.tier_rank(max_tier):
        eval_run_finish(
            run=run,
            status=EvalRun.Status.SKIPPED,
            reason=REASON_TOO_LARGE,
            message=(
                f"{run.parameter_count:,} parameters (size tier {run.size_tier}) is "
                f"more than this hub's eval workers take (up to tier {max_tier})."
            ),
        )
        return EvalRun.Status.SKIPPED
    outcome, limits = run_in_sandbox(run)
    return record_outcome(run, outcome, limits)


def record_outcome(run: EvalRun, outcome: SandboxOutcome, limits: Limits) -> str:
    """Turn the sandbox's outcome into the run's final status."""
    isolation = ", ".join(f"{k}: {v}" for k, v in outcome.isolation.items())
    log = outcome.log_tail
    if outcome.kind != "ok" or outcome.payload is None:
        status, reason = _OUTCOMES.get(
            outcome.kind, (EvalRun.Status.FAILED, "child_crashed")
        )
        eval_run_finish(
            run=run,
            status=status,
            reason=reason,
            message=outcome.error,
            log=f"{log}\n[sandbox] {isolation}".strip(),
        )
        return status
    payload: dict[str, Any] = outcome.payload
    limits_info = {
        "wall_seconds": limits.wall_seconds,
        "cpu_seconds": limits.cpu_seconds,
        "address_space_mib": limits.address_space_bytes >> 20,
    }
    if payload["status"] != "finished":
        eval_run_finish(
            run=run,
            status=payload["status"],
            reason=payload["reason"],
            message=payload.get("message", ""),
            log=f"{log}\n[sandbox] {isolation}".strip(),
        )
        return str(payload["status"])
    eval_run_finish(
        run=run,
        status=EvalRun.Status.FINISHED,
        log=log,
        outcome={
            "metrics": payload["metrics"],
            "primary": payload["primary"],
            "details": payload.get("details") or {},
            "environment": {**payload["environment"], "sandbox": outcome.isolation},
            "settings": {**payload.get("settings", {}), "limits": limits_info},
            "duration_seconds": outcome.duration_seconds,
            "parameter_count": run.parameter_count,
        },
    )
    return EvalRun.Status.FINISHED
