"""Which validators a file gets, chosen by content, and their combined verdict.

A file is checked as every format a common loader would read it as
(:func:`sniff.sniff` lists them), not as the one its first bytes suggest:
a valid safetensors file can also be a zip that ``torch.load`` opens, a
pickle can start with ``GGUF``. Every claimed format's findings count, and
a file that two readers can parse is quarantined as a polyglot whatever
each of them found in it.

The route (the formats claimed) is part of the verdict's version string,
with a digest of every validator's version and of the name's class: a
verdict cached for a blob is reused only for the same route, the same
validators and an extension the rules treat alike, so the same bytes
uploaded as ``x.bin`` (scanned as a pickle) and as ``x.dat`` are never
confused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from workers.validators import (
    datasets,
    gguf,
    npy,
    onnx,
    pickles,
    picklescan_check,
    safetensors,
    sniff,
    zips,
)
from workers.validators.base import (
    Finding,
    Source,
    Verdict,
    make_verdict,
)

REGISTRY_VERSION = "2"

Validator = Callable[[Source, str], Verdict]


# torch.load opens any tar as a pre-1.0 checkpoint and unpickles its
# "storages" member (then "tensors" and "pickle") before checking anything.
_TORCH_TAR_MEMBER = b"storages"
_MAX_TAR_MEMBERS = 100_000


def _tar_has_torch_member(source: Source) -> bool:
    """Walk the tar's headers (never its data) for torch's "storages" member;
    a long name (PAX or GNU record) that mentions it counts too."""
    offset = 0
    for _ in range(_MAX_TAR_MEMBERS):
        block = source.read_at(offset, 512)
        if len(block) < 512 or not block.strip(b"\0"):
            return False
        name = block[:100].split(b"\0", 1)[0]
        try:
            size = _tar_number(block[124:136])
        except ValueError:
            return False  # tarfile stops here too
        if name == _TORCH_TAR_MEMBER:  # tarfile.getmember matches it exactly
            return True
        long_name = block[156:157] in (b"x", b"g", b"L") and size <= 1 << 20
        if long_name and _TORCH_TAR_MEMBER in source.read_at(offset + 512, size):
            return True
        offset += 512 + -(-size // 512) * 512
    return True  # more members than are walked: assume the worst


def _tar_number(field: bytes) -> int:
    """A tar number field: octal text, or base-256 (GNU, for sizes > 8 GB)."""
    if field[0] == 0x80:
        return int.from_bytes(field[1:], "big")
    return int(field.split(b"\0", 1)[0].strip() or b"0", 8)


def _validate_tar(source: Source, path: str) -> Verdict:
    named = sniff.extension(path) in sniff.PICKLE_EXTENSIONS
    if named or _tar_has_torch_member(source):
        return make_verdict(
            [
                Finding(
                    "unsafe",
                    "archive.tar_checkpoint",
                    "This file is a tar archive "
                    + (
                        "with a checkpoint's name"
                        if named
                        else "laid out as "
                        "a pre-1.0 PyTorch checkpoint (a 'storages' member)"
                    )
                    + ": torch.load opens such archives and unpickles their "
                    "members without the checks a zip checkpoint gets. "
                    "Publish the weights as safetensors.",
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


_TAR_VERSION = "2"
_PICKLESCAN = f"ps{picklescan_check.PICKLESCAN_VERSION}"
_BY_READER: dict[str, tuple[str, Validator]] = {
    "safetensors": (safetensors.VALIDATOR_VERSION, safetensors.validate_safetensors),
    "gguf": (gguf.VALIDATOR_VERSION, gguf.validate_gguf),
    "onnx": (onnx.VALIDATOR_VERSION, onnx.validate_onnx),
    "zip": (
        f"{zips.VALIDATOR_VERSION}.{pickles.VALIDATOR_VERSION}{_PICKLESCAN}",
        zips.validate_zip,
    ),
    "tar": (_TAR_VERSION, _validate_tar),
    "npy": (f"{pickles.VALIDATOR_VERSION}{_PICKLESCAN}", npy.validate_npy),
    "pickle": (f"{pickles.VALIDATOR_VERSION}{_PICKLESCAN}", pickles.validate_pickle),
    "parquet": (datasets.VALIDATOR_VERSION, datasets.validate_parquet),
    "csv": (datasets.VALIDATOR_VERSION, datasets.validate_csv),
    "jsonl": (datasets.VALIDATOR_VERSION, datasets.validate_jsonl),
}
# Every file is checked by every reader's sniff, so every verdict depends on
# every validator's version.
_SUITE = "|".join(
    [REGISTRY_VERSION, sniff.VALIDATOR_VERSION]
    + [f"{name}={version}" for name, (version, _) in sorted(_BY_READER.items())]
)
_VERSION_MAX = 32  # BlobVerdict.validator_version
_READERS_SHOWN = {
    "safetensors": "safetensors",
    "gguf": "GGUF",
    "onnx": "ONNX",
    "zip": "a zip archive",
    "tar": "a tar archive",
    "npy": "a NumPy array",
    "pickle": "a Python pickle",
    "parquet": "Parquet",
    "csv": "CSV",
    "jsonl": "JSON Lines",
}


def route(path: str, source: Source) -> str:
    """What a file is checked as: ``"safetensors"``, ``"safetensors+zip"``,
    … or, when no reader claims it, one of :data:`sniff.KINDS`."""
    return sniff.sniff(source, path).route


def validators_for(path: str, source: Source) -> list[tuple[str, str, Validator]]:
    """(name, version, callable) of each validator that applies to a file."""
    return [(name, *_BY_READER[name]) for name in sniff.sniff(source, path).readers]


def version_for(path: str, source: Source) -> str:
    """The version string a verdict on this file carries (at most 32 chars)."""
    return _version(route(path, source), path)


def _version(kind: str, path: str) -> str:
    ext = sniff.extension(path)
    named = "pickle" if ext in sniff.PICKLE_EXTENSIONS else ext
    if ext not in sniff.NAMED_EXTENSIONS:
        named = ""
    digest = hashlib.sha256(f"{_SUITE}|{named}".encode()).hexdigest()[:6]
    suffix = f"/r{REGISTRY_VERSION}.{digest}"
    if len(kind) + len(suffix) > _VERSION_MAX:
        kind = "multi-" + hashlib.sha256(kind.encode()).hexdigest()[:8]
    return kind + suffix


def validate_file(path: str, source: Source) -> Verdict:
    """Validate one file as every format it can be read as. Never executes
    or unpickles anything.

    Unexpected exceptions propagate: a validator bug must mark the run
    errored, never pass the file.
    """
    sniffed = sniff.sniff(source, path)
    version = _version(sniffed.route, path)
    if not sniffed.readers:
        return _unclaimed(source, path, sniffed, version)
    results = [(name, _BY_READER[name][1](source, path)) for name in sniffed.readers]
    if "onnx" not in sniffed.readers:
        # ONNX has no magic: a file is one if it parses as one.
        as_onnx = onnx.validate_onnx(source, path)
        if as_onnx.readable:
            results.append(("onnx", as_onnx))
    return _combine(results, version, zip_found=sniffed.zip_found)


def _unclaimed(
    source: Source, path: str, sniffed: sniff.Sniffed, version: str
) -> Verdict:
    if source.size:
        as_onnx = onnx.validate_onnx(source, path)
        if as_onnx.readable:
            return _combine([("onnx", as_onnx)], version)
    return make_verdict([], {"format": sniffed.fallback}, validator_version=version)


def _combine(
    results: list[tuple[str, Verdict]], version: str, *, zip_found: bool = False
) -> Verdict:
    """One verdict from each reader's; a file two readers parse is a polyglot.

    A zip counts as read when a zip reader opens it, even if the strict
    check refuses its structure (zipfile opens archives appended to data).
    """
    readable = [
        name
        for name, verdict in results
        if verdict.readable or (name == "zip" and zip_found)
    ]
    findings: list[Finding] = []
    if len(readable) > 1:
        findings.append(_polyglot(readable))
    metadata: dict[str, Any] = {}
    # The formats the file really is describe it first.
    for _name, verdict in sorted(results, key=lambda item: not item[1].readable):
        for key, value in verdict.metadata.items():
            metadata.setdefault(key, value)
    for _name, verdict in results:
        findings.extend(verdict.findings)
    if len(readable) > 1:
        metadata["formats"] = readable
    return make_verdict(findings, metadata, validator_version=version)


def _polyglot(readers: list[str]) -> Finding:
    shown = [_READERS_SHOWN[name] for name in readers]
    listed = ", ".join(shown[:-1]) + f" and {shown[-1]}"
    return Finding(
        "unsafe",
        "format.polyglot",
        f"This file reads as {listed} at once: programs that open it one way "
        "see different content from those that open it the other, a trick "
        "used to pass checks as harmless weights while another loader runs "
        "code. Publish each format as its own file.",
        {"formats": readers},
    )
