"""Checks of a commit as a whole: card, license, config, tokenizer, size.

Given every file of the tree (path → (size, Source)), this reads only small
files (README, JSON configs) and safetensors headers. Problems a model
owner must fix fail the check; guesses (a config whose ``model_type`` does
not look like the weights) are warnings.
"""

from __future__ import annotations

import codecs
import json
import posixpath
from collections.abc import Mapping
from typing import Any

from hub.catalog.cards import CardMetadata, card_parse
from hub.core.errors import ValidationError
from hub.core.sizes import human_size
from workers.validators import datasets, onnx, safetensors
from workers.validators.base import (
    Finding,
    FormatError,
    Severity,
    Source,
    Verdict,
    make_verdict,
)

VALIDATOR_VERSION = "1"

RepoFile = tuple[int, Source]

MAX_README_BYTES = 1024 * 1024
MAX_CONFIG_BYTES = 16 * 1024 * 1024
MAX_TOKENIZER_BYTES = 64 * 1024 * 1024
MAX_HEADERS_CHECKED = 64
LICENSE_FILE_PREFIXES = ("license", "licence", "copying")

# JSON files transformers reads; each must parse as a JSON object.
_JSON_FILES: dict[str, tuple[str, int]] = {
    "tokenizer.json": ("tokenizer", MAX_TOKENIZER_BYTES),
    "tokenizer_config.json": ("tokenizer", MAX_CONFIG_BYTES),
    "special_tokens_map.json": ("tokenizer", MAX_CONFIG_BYTES),
    "generation_config.json": ("config", MAX_CONFIG_BYTES),
    "model.safetensors.index.json": ("index", MAX_CONFIG_BYTES),
}

# model_type → substrings at least one tensor name of such a model contains.
# Deliberately loose (a warning, not a failure): it catches a config.json
# copied from another model, not exotic but valid checkpoints.
_FAMILY_MARKERS: dict[str, tuple[str, ...]] = {
    **{
        name: ("self_attn", "attention")
        for name in (
            "llama",
            "mistral",
            "mixtral",
            "qwen2",
            "qwen3",
            "gemma",
            "gemma2",
            "gemma3",
            "phi3",
            "olmo",
            "starcoder2",
        )
    },
    "gpt2": ("attn.c_attn", "c_attn"),
    "gpt_neox": ("attention.query_key_value",),
    "bert": ("attention.self", "attention.output"),
    "roberta": ("attention.self", "attention.output"),
    "distilbert": ("attention.q_lin",),
    "t5": ("SelfAttention", "EncDecAttention"),
    "vit": ("attention.attention", "attention"),
    "whisper": ("self_attn",),
}


def _finding(severity: Severity, code: str, message: str, **details: Any) -> Finding:
    return Finding(severity, code, message, details)


def _read_text(source: Source, size: int, cap: int) -> tuple[str, bool]:
    """The first ``cap`` bytes as UTF-8 text; True when the file was longer."""
    raw = source.read_at(0, min(size, cap))
    text = codecs.getincrementaldecoder("utf-8")().decode(raw, final=size <= cap)
    return text, size > cap


def _load_json(
    path: str, file: RepoFile, cap: int, code: str
) -> tuple[Any, Finding | None]:
    size, source = file
    if size > cap:
        return None, _finding(
            "error",
            code,
            f"{path} is {human_size(size)}; at most {human_size(cap)} is read.",
            path=path,
        )
    try:
        text, _ = _read_text(source, size, cap)
        data = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return None, _finding(
            "error",
            code,
            f"{path} is not valid JSON ({str(exc)[:200]}).",
            path=path,
        )
    if not isinstance(data, dict):
        return None, _finding(
            "error", code, f"{path} must contain a JSON object ({{...}}).", path=path
        )
    return data, None


def _check_card(
    files: Mapping[str, RepoFile],
    findings: list[Finding],
    metadata: dict[str, Any],
    repo_type: str = "model",
) -> None:
    readme = files.get("README.md")
    if readme is None:
        findings.append(
            _finding(
                "warning",
                "card.missing",
                "The repository has no README.md: add a model card saying what "
                "the model is, how it was trained and under which license.",
            )
        )
        return
    size, source = readme
    try:
        text, _ = _read_text(source, size, MAX_README_BYTES)
    except UnicodeDecodeError:
        findings.append(
            _finding(
                "error",
                "card.invalid",
                "README.md is not UTF-8 text.",
                path="README.md",
            )
        )
        return
    try:
        card = card_parse(text, repo_type=repo_type)
    except ValidationError as exc:
        findings.append(
            _finding(
                "error",
                "card.invalid",
                exc.message,
                path="README.md",
                **{k: v for k, v in exc.details.items() if k in ("field", "line")},
            )
        )
        return
    metadata["license"] = card.license or None
    _check_license(card, files, findings)


def _check_license(
    card: CardMetadata, files: Mapping[str, RepoFile], findings: list[Finding]
) -> None:
    if not card.license:
        findings.append(
            _finding(
                "warning",
                "card.no_license",
                "The model card does not name a license. Add 'license: <id>' to "
                "the README's metadata so people know how they may use the model.",
                path="README.md",
            )
        )
        return
    if card.license != "other":
        return
    if not card.license_name:
        findings.append(
            _finding(
                "error",
                "card.license_name_missing",
                "The model card says 'license: other' but gives no "
                "license_name. Add 'license_name: <short-id>' (and "
                "license_link) to the metadata.",
                path="README.md",
                field="license_name",
            )
        )
    has_file = any(
        "/" not in path and path.lower().startswith(LICENSE_FILE_PREFIXES)
        for path in files
    )
    if not has_file:
        findings.append(
            _finding(
                "error",
                "card.license_file_missing",
                "The model card says 'license: other' but the repository has no "
                "LICENSE file. Add the license text as LICENSE (or LICENSE.md).",
                path="README.md",
            )
        )


def _tensor_names(files: Mapping[str, RepoFile]) -> list[str] | None:
    """Tensor names from safetensors headers (None when there is no readable one)."""
    names: list[str] = []
    found = False
    checked = 0
    for path in sorted(files):
        if not path.endswith(".safetensors") or checked >= MAX_HEADERS_CHECKED:
            continue
        checked += 1
        try:
            header = safetensors.read_header(files[path][1])
        except FormatError:
            continue  # the file's own validation reports it
        found = True
        names.extend(tensor.name for tensor in header.tensors)
    return names if found else None


def _check_config(
    files: Mapping[str, RepoFile], findings: list[Finding], metadata: dict[str, Any]
) -> None:
    if "config.json" not in files:
        return
    config, problem = _load_json(
        "config.json", files["config.json"], MAX_CONFIG_BYTES, "config.invalid"
    )
    if problem is not None:
        findings.append(problem)
        return
    model_type = config.get("model_type")
    if model_type is None:
        findings.append(
            _finding(
                "warning",
                "config.no_model_type",
                "config.json has no model_type, so transformers cannot tell "
                "which architecture to build.",
                path="config.json",
            )
        )
        return
    if not isinstance(model_type, str) or not model_type:
        findings.append(
            _finding(
                "error",
                "config.invalid",
                "config.json's model_type must be a non-empty string.",
                path="config.json",
                field="model_type",
            )
        )
        return
    metadata["model_type"] = model_type
    markers = _FAMILY_MARKERS.get(model_type)
    if not markers:
        return
    names = _tensor_names(files)
    if names is None or not names:
        return
    if not any(marker in name for name in names for marker in markers):
        findings.append(
            _finding(
                "warning",
                "config.model_type_mismatch",
                f"config.json says model_type {model_type!r}, but no tensor in "
                f"the safetensors files has a name such a model uses (looked "
                f"for {', '.join(markers)}). Check that config.json belongs to "
                "these weights.",
                path="config.json",
            )
        )


def _check_json_files(files: Mapping[str, RepoFile], findings: list[Finding]) -> None:
    for path, file in sorted(files.items()):
        kind_cap = _JSON_FILES.get(posixpath.basename(path))
        if kind_cap is None:
            continue
        kind, cap = kind_cap
        data, problem = _load_json(path, file, cap, f"{kind}.invalid")
        if problem is not None:
            findings.append(problem)
            continue
        if kind == "index":
            _check_index(path, data, files, findings)


def _check_index(
    path: str,
    data: dict[str, Any],
    files: Mapping[str, RepoFile],
    findings: list[Finding],
) -> None:
    weight_map = data.get("weight_map")
    if not isinstance(weight_map, dict):
        findings.append(
            _finding(
                "error",
                "index.invalid",
                f"{path} has no weight_map object.",
                path=path,
            )
        )
        return
    folder = posixpath.dirname(path)
    missing = sorted(
        {
            shard
            for shard in weight_map.values()
            if not isinstance(shard, str) or posixpath.join(folder, shard) not in files
        },
        key=str,
    )
    if missing:
        findings.append(
            _finding(
                "error",
                "index.missing_shard",
                f"{path} points to {len(missing)} file(s) the repository does not "
                f"have, such as {str(missing[0])!r}.",
                path=path,
            )
        )


def _check_onnx_external(
    files: Mapping[str, RepoFile], findings: list[Finding]
) -> None:
    for path in sorted(files):
        if not path.lower().endswith(".onnx"):
            continue
        try:
            info = onnx.read_onnx(files[path][1])
        except FormatError:
            continue  # the file's own validation reports it
        folder = posixpath.dirname(path)
        for location in info.locations:
            target = posixpath.normpath(posixpath.join(folder, location))
            if target not in files:
                findings.append(
                    _finding(
                        "error",
                        "onnx.external_data_missing",
                        f"{path} keeps weights in {location!r}, which is not in "
                        "the repository.",
                        path=path,
                    )
                )
                break


def validate_repo(
    files: Mapping[str, RepoFile],
    *,
    quota_bytes: int | None = None,
    repo_type: str = "model",
) -> Verdict:
    """Repo-level checks over a whole tree (path → (size, Source)); a
    dataset's loading scripts get a warning."""
    findings: list[Finding] = []
    total = sum(size for size, _ in files.values())
    metadata: dict[str, Any] = {"files": len(files), "total_size": total}
    if quota_bytes is not None and total > quota_bytes:
        findings.append(
            _finding(
                "error",
                "repo.over_quota",
                f"This commit holds {human_size(total)}, over the repository's "
                f"quota of {human_size(quota_bytes)}. Remove files or ask an "
                "administrator for more space.",
                total=total,
                quota=quota_bytes,
            )
        )
    _check_card(files, findings, metadata, repo_type)
    _check_config(files, findings, metadata)
    _check_json_files(files, findings)
    _check_onnx_external(files, findings)
    if repo_type == "dataset":
        findings.extend(datasets.loading_script_findings(list(files)))
    return make_verdict(
        findings, metadata, validator_version=f"repo/{VALIDATOR_VERSION}"
    )
