"""Pickle scanning by disassembly: every stream, every import, nothing loaded.

A pickle is a small program; loading it runs it. The only way it reaches a
Python function is an import (GLOBAL, STACK_GLOBAL, INST) or the extension
registry (EXT1/2/4). This module walks every opcode with
``pickletools.genops`` (never ``pickle.load``), keeps a symbolic stack and
memo (``pickle_machine.py``) so that STACK_GLOBAL's module and name can be
resolved statically, and compares each import against
:data:`~workers.validators.pickle_policy.ALLOWED_GLOBALS`: what real
PyTorch and NumPy checkpoints need and nothing else.

Fail-closed: a stream that cannot be disassembled completely, an import
whose name is computed at load time, a call through something that was not
imported by name, bytes after the last stream: all quarantine. A second
scanner from PyPI (picklescan, ``picklescan_check.py``) reads the same
bytes; any finding of its quarantines too. How far a loader gets on any
file is ``pickle_reach.py``; NumPy arrays of objects are ``npy.py``.
"""

from __future__ import annotations

import pickletools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hub.core.sizes import human_size
from workers.validators.base import (
    Finding,
    Source,
    Verdict,
    make_verdict,
)
from workers.validators.pickle_machine import (
    Broken,
    Global,
    Machine,
    MemoryReader,
    Reader,
)
from workers.validators.pickle_policy import (
    ALLOWED_GLOBALS,
    danger_of,
    display_global,
    normalise_global,
)
from workers.validators.picklescan_check import picklescan_findings

VALIDATOR_VERSION = "2"

# Pickles outside a zip are read whole to be scanned; above this they are
# refused (quarantined) rather than half-read. A torch zip's data.pkl is a
# few hundred KB even for a 70B model: its tensors live in other members.
MAX_PICKLE_BYTES = 64 * 1024 * 1024

# torch.save's legacy (pre-1.6, non-zip) format: five pickles, then raw
# tensor bytes torch.load reads without unpickling them.
TORCH_LEGACY_STREAMS = 5

# Findings that mean "the bytes are not a complete, well-formed pickle".
PARSE_FAILURES = frozenset(
    {"pickle.malformed", "pickle.truncated", "pickle.trailing_data"}
)


@dataclass
class PickleScan:
    """What a scan found: findings, imports (raw, as written) and extent."""

    findings: list[Finding] = field(default_factory=list)
    imports: list[tuple[str, str]] = field(default_factory=list)
    streams: int = 0
    end: int = 0
    is_legacy_torch: bool = False
    protocol: int | None = None

    @property
    def is_unsafe(self) -> bool:
        return any(finding.severity == "unsafe" for finding in self.findings)


class Scanner:
    def __init__(self, where: str) -> None:
        self.where = where
        self.result = PickleScan()
        self._seen: set[tuple[str, str]] = set()
        self._flagged: set[str] = set()

    def add(self, code: str, message: str, **details: Any) -> None:
        self.result.findings.append(Finding("unsafe", code, message, details))

    def imported(self, module: str, name: str, pos: int) -> Global:
        key = (module, name)
        if key not in self._seen:
            self._seen.add(key)
            self.result.imports.append(key)
            self._judge(module, name, pos)
        return Global(module, name)

    def _judge(self, module: str, name: str, pos: int) -> None:
        normalised = normalise_global(module, name)
        if normalised in ALLOWED_GLOBALS:
            return
        shown = display_global(module, name)
        details = {"global": f"{module}.{name}", "offset": pos}
        danger = danger_of(module, name)
        if danger is not None:
            self.add(
                "pickle.dangerous_import",
                f"{self.where} imports {shown}, which {danger}.",
                **details,
            )
        elif normalised[0].startswith(("torch.nn.", "__main__", "__torch__")):
            self.add(
                "pickle.full_model",
                f"{self.where} stores a whole {module}.{name} object instead of "
                "only its weights; loading it runs that class's code. Save "
                "model.state_dict() instead, preferably with safetensors.",
                **details,
            )
        else:
            self.add(
                "pickle.global_not_allowed",
                f"{self.where} imports {shown}, which is not one of the "
                "functions a checkpoint needs to rebuild its tensors; loading "
                "it would run code this hub has not vetted. Save the weights "
                "with safetensors instead.",
                **details,
            )

    def _once(self, code: str) -> bool:
        if code in self._flagged:
            return False
        self._flagged.add(code)
        return True

    def dynamic_global(self, pos: int) -> None:
        if self._once("pickle.dynamic_global"):
            self.add(
                "pickle.dynamic_global",
                f"{self.where} imports a function whose name is only computed "
                "while loading, a trick used to hide what it runs.",
                offset=pos,
            )

    def indirect_call(self, pos: int) -> None:
        if self._once("pickle.indirect_call"):
            self.add(
                "pickle.indirect_call",
                f"{self.where} calls something it did not import by name "
                "(the result of another call), a trick used to reach "
                "functions that run commands.",
                offset=pos,
            )

    def modifies_global(self, target: Global, pos: int) -> None:
        if self._once("pickle.modifies_global"):
            self.add(
                "pickle.modifies_global",
                f"{self.where} changes {target.module}.{target.name} itself "
                "while loading, which alters code other files rely on.",
                offset=pos,
                **{"global": f"{target.module}.{target.name}"},
            )

    def extension_code(self, code: Any, pos: int) -> None:
        if self._once("pickle.extension_code"):
            self.add(
                "pickle.extension_code",
                f"{self.where} imports a function through the copyreg "
                f"extension registry (code {code}), so what it loads depends "
                "on the loading program and cannot be checked.",
                offset=pos,
            )


def scan_pickle(
    source: Source, *, where: str = "This file", limit: int = MAX_PICKLE_BYTES
) -> PickleScan:
    """Disassemble every pickle stream in ``source``; never unpickle.

    Streams are scanned back to back until the end of the source (a legacy
    torch file stops after its five pickles: raw tensor bytes follow).
    ``where`` starts each message ("This file", "The archive member 'x'").
    """
    scanner = Scanner(where)
    result = scanner.result
    reader: Reader | MemoryReader
    if source.size <= limit:
        # Small enough to hold: genops then reads through C-level BytesIO.
        reader = MemoryReader(source.read_at(0, source.size))
    else:
        reader = Reader(source, limit)
    if source.size == 0:
        scanner.add("pickle.malformed", f"{where} is empty, not a pickle.")
        return result
    pos = 0
    while pos < source.size:
        if result.is_legacy_torch and result.streams >= TORCH_LEGACY_STREAMS:
            break
        if pos >= reader.end:
            _too_large(scanner, limit)
            break
        reader.seek(pos)
        machine = Machine(scanner)
        ops, error = _run_stream(reader, machine, result)
        if error is None:
            result.streams += 1
            pos = reader.tell()
            result.end = pos
            if result.streams == 1 and machine.is_legacy_magic():
                result.is_legacy_torch = True
            continue
        _stream_failed(scanner, reader, source.size, pos, ops, error, limit)
        result.end = reader.tell()
        break
    parse_failed = any(f.code in PARSE_FAILURES for f in result.findings)
    if (
        result.is_legacy_torch
        and result.streams < TORCH_LEGACY_STREAMS
        and not (parse_failed)
    ):
        scanner.add(
            "pickle.truncated",
            f"{where} starts like a legacy PyTorch file but holds only "
            f"{result.streams} of its {TORCH_LEGACY_STREAMS} pickles.",
        )
    return result


def _run_stream(
    reader: Reader | MemoryReader, machine: Machine, result: PickleScan
) -> tuple[int, str | None]:
    """Follow one stream to its STOP: (opcodes read, why it broke or None)."""
    ops = 0
    try:
        for opcode, arg, op_pos in _genops(reader):
            ops += 1
            if opcode.name == "PROTO" and result.protocol is None:
                result.protocol = arg
            machine.step(opcode.name, arg, op_pos if op_pos is not None else 0)
    except Broken as exc:
        return ops, f"broken:{exc}"
    except Exception as exc:  # genops raises ValueError and friends
        return ops, f"parse:{exc}"
    return ops, None


def _stream_failed(
    scanner: Scanner,
    reader: Reader | MemoryReader,
    size: int,
    pos: int,
    ops: int,
    error: str,
    limit: int,
) -> None:
    """The finding for a stream that did not end cleanly at ``pos``."""
    where = scanner.where
    streams = scanner.result.streams
    if reader.hit_limit:
        _too_large(scanner, limit)
    elif error.startswith("broken:"):
        scanner.add(
            "pickle.malformed",
            f"{where} cannot be read completely as a pickle "
            f"({error[7:]}); it is refused because what cannot be read "
            "cannot be shown to be safe.",
            stream=streams + 1,
        )
    elif ops == 0 and streams > 0:
        scanner.add(
            "pickle.trailing_data",
            f"{where} has {human_size(size - pos)} after the end of "
            "its last pickle, where extra content can hide.",
            offset=pos,
        )
    elif reader.tell() >= size and "unknown" not in error:
        scanner.add(
            "pickle.truncated",
            f"{where} ends in the middle of a pickle: it was cut short or "
            "made to fail after running its payload. It is refused because "
            "it cannot be read completely.",
            stream=streams + 1,
        )
    else:
        scanner.add(
            "pickle.malformed",
            f"{where} is not a well-formed pickle ({error[6:]}); it is "
            "refused because what cannot be read cannot be shown to be "
            "safe.",
            stream=streams + 1,
        )


def _too_large(scanner: Scanner, limit: int) -> None:
    scanner.add(
        "pickle.too_large",
        f"{scanner.where} holds more than {human_size(limit)} of pickle, more "
        "than this hub scans. Save the weights with safetensors instead.",
    )


def _genops(reader: Reader | MemoryReader) -> Iterator[tuple[Any, Any, int | None]]:
    # pickletools.genops only disassembles: it reads opcodes and their
    # arguments and never imports or calls anything.
    return pickletools.genops(reader)  # type: ignore[arg-type]


def pickle_findings(source: Source, *, where: str) -> tuple[PickleScan, list[Finding]]:
    """Both scanners on one pickle source; returns the scan and all findings."""
    scan = scan_pickle(source, where=where)
    findings = list(scan.findings)
    if not any(f.code == "pickle.too_large" for f in findings) and scan.end > 0:
        data = source.read_at(0, scan.end)
        findings += picklescan_findings(data, where=where, our_imports=scan.imports)
    if scan.is_legacy_torch:
        findings.append(
            Finding(
                "warning",
                "pickle.legacy_torch",
                f"{where} uses PyTorch's pre-1.6 serialization format. Re-save "
                "it with a current PyTorch, or better, with safetensors.",
            )
        )
    return scan, findings


def pickle_format_warning(subject: str) -> Finding:
    """The warning every accepted pickle gets; ``subject`` opens the sentence."""
    return Finding(
        "warning",
        "pickle.format",
        f"{subject} only uses functions that rebuild tensors and containers, "
        "but loading a pickle can run code: safetensors is the safer format "
        "to publish.",
    )


def validate_pickle(source: Source, path: str = "") -> Verdict:
    """A standalone pickle file (a legacy or protocol-0 torch file, a .pkl)."""
    where = "This file"
    scan, findings = pickle_findings(source, where=where)
    if not any(f.severity == "unsafe" for f in findings):
        findings.insert(0, pickle_format_warning("This file is a Python pickle. It"))
    metadata: dict[str, Any] = {
        "format": "pytorch-legacy" if scan.is_legacy_torch else "pickle",
        "streams": scan.streams,
        "imports": sorted(f"{m}.{n}" for m, n in scan.imports)[:200],
    }
    if scan.protocol is not None:
        metadata["protocol"] = scan.protocol
    readable = scan.streams > 0 or bool(scan.imports)
    return make_verdict(findings, metadata, readable=readable)
