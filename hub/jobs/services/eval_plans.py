"""Planning eval runs: which checkpoints a commit has (a folder holding
``config.json``), with which evaluator, or why one cannot run."""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from typing import Any

from hub.catalog.models import Commit, TreeEntry
from hub.jobs import evalsuite
from hub.jobs.models import ValidationRun
from hub.storage.selectors import blob_read_bytes

MAX_CHECKPOINTS = 20

# Reason codes (stable, machine-readable; messages say the same in words).
REASON_PICKLE = "pickle_weights"
REASON_CUSTOM_CODE = "custom_code"
REASON_NO_WEIGHTS = "no_weights"
REASON_BAD_CONFIG = "invalid_config"
REASON_TOO_LARGE = "too_large"
REASON_INFRA = "infrastructure"
REASON_UNAVAILABLE = "eval_unavailable"


@dataclass
class CheckpointPlan:
    """What an eval run of one checkpoint will read, or why it cannot run."""

    checkpoint: str
    evaluator: str
    inputs: list[dict[str, Any]]
    inputs_digest: str
    parameter_count: int | None
    skip_reason: str = ""
    skip_message: str = ""


def inputs_digest_of(inputs: list[dict[str, Any]]) -> str:
    """sha256 over the sorted (relative path, sha256) pairs of a run's inputs."""
    h = hashlib.sha256()
    for item in sorted(inputs, key=lambda i: i["path"]):
        h.update(f"{item['path']}\0{item['sha256']}\n".encode())
    return h.hexdigest()


def _relative(path: str, folder: str) -> str | None:
    if not folder:
        return path
    prefix = folder + "/"
    return path[len(prefix) :] if path.startswith(prefix) else None


def _safetensors_parameters(commit: Commit, paths: list[str]) -> int | None:
    """Parameter count of the given files, from their validation metadata."""
    if not paths:
        return None
    total = 0
    found = False
    for run in ValidationRun.objects.filter(
        commit=commit, kind=ValidationRun.Kind.FILE, path__in=paths
    ).only("metadata"):
        counts = (run.metadata or {}).get("parameters") or {}
        if isinstance(counts, dict):
            for n in counts.values():
                if isinstance(n, int):
                    total += n
                    found = True
    return total if found else None


def commit_eval_plans(*, commit: Commit) -> list[CheckpointPlan]:
    """Every checkpoint of a commit (a folder holding ``config.json``) and its plan.

    Weights are safetensors only; a checkpoint with pickle weights and no
    safetensors, or with custom code (``auto_map`` or ``.py`` files), is
    planned as skipped with the reason, never loaded.
    """
    entries = list(
        TreeEntry.objects.filter(commit=commit).only("path", "blob_id", "size")
    )
    folders = sorted(
        posixpath.dirname(e.path)
        for e in entries
        if posixpath.basename(e.path) == "config.json"
        and not posixpath.dirname(e.path).endswith("1_Pooling")
    )[:MAX_CHECKPOINTS]
    return [_checkpoint_plan(commit, folder, entries) for folder in folders]


def _checkpoint_plan(
    commit: Commit, folder: str, entries: list[TreeEntry]
) -> CheckpointPlan:
    """The plan of the checkpoint in ``folder`` (which holds config.json)."""
    local: dict[str, TreeEntry] = {}
    for entry in entries:
        rel = _relative(entry.path, folder)
        if rel is not None:
            local[rel] = entry
    config_entry = local["config.json"]
    top = [rel for rel in local if "/" not in rel]
    weights = sorted(r for r in top if r.endswith(evalsuite.SAFETENSORS_SUFFIXES))
    pickles = [r for r in top if r.endswith(evalsuite.PICKLE_SUFFIXES)]
    others = [r for r in top if r.endswith(evalsuite.OTHER_WEIGHT_SUFFIXES)]
    code = [r for r in top if r.endswith(".py")]
    inputs = [
        {"path": rel, "sha256": local[rel].blob_id, "size": local[rel].size}
        for rel in sorted(local)
        if rel in weights or rel in evalsuite.SUPPORT_FILES
    ]
    full_paths = [posixpath.join(folder, w) if folder else w for w in weights]
    plan = CheckpointPlan(
        checkpoint=folder,
        evaluator=evalsuite.FORWARD_PASS,
        inputs=inputs,
        inputs_digest=inputs_digest_of(inputs),
        parameter_count=_safetensors_parameters(commit, full_paths),
    )
    config = None
    if config_entry.size <= evalsuite.MAX_CONFIG_BYTES:
        config = evalsuite.parse_config(
            blob_read_bytes(
                sha256=config_entry.blob_id, limit=evalsuite.MAX_CONFIG_BYTES
            )
        )
    if config is None:
        plan.skip_reason = REASON_BAD_CONFIG
        plan.skip_message = "config.json is not a JSON object of at most 1 MB."
        return plan
    pipeline_tag = ""
    card_tag = (commit.card_data or {}).get("pipeline_tag")
    if isinstance(card_tag, str):
        pipeline_tag = card_tag
    plan.evaluator = evalsuite.evaluator_for_config(
        config, files=set(local), pipeline_tag=pipeline_tag
    )
    _plan_skips(
        plan, config=config, code=code, weights=weights, pickles=pickles, others=others
    )
    return plan


def _plan_skips(
    plan: CheckpointPlan,
    *,
    config: dict[str, Any],
    code: list[str],
    weights: list[str],
    pickles: list[str],
    others: list[str],
) -> None:
    """Mark a plan skipped when its checkpoint needs code or lacks safetensors."""
    if config.get("auto_map") or code:
        plan.skip_reason = REASON_CUSTOM_CODE
        plan.skip_message = (
            "This checkpoint needs custom code (auto_map or .py files); "
            "evaluations never run uploaded code (trust_remote_code=False)."
        )
    elif not weights and pickles:
        plan.skip_reason = REASON_PICKLE
        plan.skip_message = (
            f"Only pickle weights ({', '.join(sorted(pickles)[:3])}): "
            "evaluations load safetensors only, never pickles. Convert the "
            "weights to safetensors to be evaluated."
        )
    elif not weights:
        found = ", ".join(sorted(others)[:3])
        plan.skip_reason = REASON_NO_WEIGHTS
        plan.skip_message = (
            f"No safetensors weights next to config.json"
            f"{f' (found {found})' if found else ''}; evaluations load "
            "safetensors only."
        )
