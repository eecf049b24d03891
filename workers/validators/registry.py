"""Which validators a file gets, chosen by content, and their combined verdict.

The route (what the content sniffs as, with the extension as a tie-break
towards the stricter check) is part of the verdict's version string: a
verdict cached for a blob is reused only for the same route and the same
validator versions, so the same bytes uploaded as ``x.bin`` (scanned as a
pickle) and as ``x.dat`` are never confused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workers.validators import gguf, onnx, pickles, safetensors, sniff, zips
from workers.validators.base import (
    Finding,
    Source,
    Verdict,
    make_verdict,
)

REGISTRY_VERSION = "1"

Validator = Callable[[Source, str], Verdict]


def _validate_tar(source: Source, path: str) -> Verdict:
    if sniff.extension(path) in sniff.PICKLE_EXTENSIONS:
        return make_verdict(
            [
                Finding(
                    "unsafe",
                    "archive.tar_checkpoint",
                    "This file is a tar archive with a checkpoint's name: "
                    "torch.load opens such archives and unpickles their members "
                    "without the checks a zip checkpoint gets. Publish the "
                    "weights as safetensors.",
                )
            ],
            {"format": "tar"},
        )
    return make_verdict(
        [
            Finding(
                "warning",
                "archive.not_checked",
                "This file is a tar archive; its members are not checked.",
            )
        ],
        {"format": "tar"},
    )


_PICKLESCAN = f"ps{pickles.PICKLESCAN_VERSION}"
_BY_KIND: dict[str, list[tuple[str, str, Validator]]] = {
    "safetensors": [
        ("safetensors", safetensors.VALIDATOR_VERSION, safetensors.validate_safetensors)
    ],
    "zip": [
        (
            "zip",
            f"{zips.VALIDATOR_VERSION}.{pickles.VALIDATOR_VERSION}{_PICKLESCAN}",
            zips.validate_zip,
        )
    ],
    "pickle": [
        ("pickle", f"{pickles.VALIDATOR_VERSION}{_PICKLESCAN}", pickles.validate_pickle)
    ],
    "gguf": [("gguf", gguf.VALIDATOR_VERSION, gguf.validate_gguf)],
    "onnx": [("onnx", onnx.VALIDATOR_VERSION, onnx.validate_onnx)],
    "tar": [("tar", "1", _validate_tar)],
}
# A file whose content matched nothing but whose name claims a format gets
# that format's validator, which then fails it: the name never passes a file.
_BY_EXTENSION = {
    ".safetensors": "safetensors",
    ".gguf": "gguf",
    ".onnx": "onnx",
    ".zip": "zip",
    ".npz": "zip",
}


def route(path: str, source: Source) -> str:
    """The kind of validation a file gets (see :data:`sniff.KINDS`)."""
    if source.size == 0:
        return "empty"
    kind = sniff.sniff(source, path)
    if kind in ("text", "unknown"):
        return _BY_EXTENSION.get(sniff.extension(path), kind)
    return kind


def validators_for(path: str, source: Source) -> list[tuple[str, str, Validator]]:
    """(name, version, callable) of each validator that applies to a file."""
    return list(_BY_KIND.get(route(path, source), []))


def version_for(path: str, source: Source) -> str:
    """The version string a verdict on this file carries (at most 32 chars)."""
    return _version(route(path, source))


def _version(kind: str) -> str:
    parts = "+".join(version for _, version, _ in _BY_KIND.get(kind, []))
    return f"{kind}/r{REGISTRY_VERSION}" + (f".{parts}" if parts else "")


def _looks_like_pickle_start(source: Source) -> bool:
    head = source.read_at(0, 2)
    return len(head) == 2 and head[0] == 0x80 and head[1] <= 5


def validate_file(path: str, source: Source) -> Verdict:
    """Validate one file by content. Never executes or unpickles anything.

    Unexpected exceptions propagate: a validator bug must mark the run
    errored, never pass the file.
    """
    kind = route(path, source)
    version = _version(kind)
    if kind == "empty":
        return make_verdict([], {"format": "empty"}, validator_version=version)
    chosen = _BY_KIND.get(kind, [])
    if not chosen:
        return make_verdict([], {"format": kind}, validator_version=version)
    findings: list[Finding] = []
    metadata: dict[str, Any] = {}
    for _name, _validator_version, validator in chosen:
        verdict = validator(source, path)
        findings.extend(verdict.findings)
        for key, value in verdict.metadata.items():
            metadata.setdefault(key, value)
    combined = make_verdict(findings, metadata, validator_version=version)
    if (
        kind == "safetensors"
        and combined.status == "failed"
        and _looks_like_pickle_start(source)
    ):
        # A broken "safetensors" file that starts like a pickle may be a
        # pickle in disguise, which torch.load would unpickle: scan it as
        # one. A stream that dies before importing anything runs nothing.
        scan, found = pickles.pickle_findings(source, where="This file")
        if (
            scan.imports
            or scan.streams
            or any(f.code not in pickles.PARSE_FAILURES for f in scan.findings)
        ):
            combined = make_verdict(
                findings + found, metadata, validator_version=version
            )
    return combined
