"""Inspect one dataset file in the sandboxed child, serving its reads.

The worker side of ``child/main.py``'s protocol: the child asks for byte
ranges and this process reads them from a
:class:`Source` (a ``workers.validators.base.StoreSource`` over the blob
store: ranged reads on S3 and on disk), within a byte budget, so the child
never sees credentials and never reads more than the caps allow. Whatever
happens to the child (a crash in pyarrow's C++, the memory or CPU limit,
silence) becomes an :class:`Inspection` with a plain-words message.
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from workers.evals.sandbox import (
    Limits,
    SandboxOutcome,
    child_environment,
    explain_failure,
    isolation_prefix,
    kill_group,
    log_tail,
    sandbox_popen,
)

CHILD = Path(__file__).resolve().parent / "child" / "main.py"
# Bumped when what the child computes changes: cached previews are redone.
PARSER_VERSION = "1"


DEFAULT_CAPS: dict[str, int] = {
    "rows": 100,
    "footer_max_bytes": 16 << 20,
    # Claims beyond these are refused as absurd; what is read of a row group
    # is its first pages only, within READ_BUDGET_BYTES.
    "row_group_max_bytes": 1 << 30,
    "row_group_max_uncompressed": 4 << 30,
    "schema_columns": 1000,
    "row_columns": 100,
    "cell_max_chars": 1000,
    # The JSON of the rows kept (whole rows, in order; at least one).
    "rows_max_bytes": 2 << 20,
    "text_sample_bytes": 4 << 20,
}
# The child may read the footer and the row groups it needs, and no more.
READ_BUDGET_BYTES = 96 << 20
ANSWER_MAX_BYTES = 16 << 20
CHILD_LIMITS = Limits(
    wall_seconds=60,
    cpu_seconds=30,
    address_space_bytes=2 << 30,
    file_size_bytes=1 << 20,
    open_files=64,
    tasks=16,
)


class Source(Protocol):
    """Random access to a file's bytes (``workers.validators.base.Source``,
    restated: the validators import this module)."""

    @property
    def size(self) -> int: ...

    def read_at(self, offset: int, length: int) -> bytes: ...


@dataclass
class Inspection:
    """The child's answer (``result``), or why there is none (``ok`` false)."""

    result: dict[str, Any]
    bytes_read: int = 0
    isolation: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.result.get("ok"))

    @property
    def message(self) -> str:
        return str(self.result.get("message", ""))


class _Server:
    """Answers the child's reads from ``source`` within the budget."""

    def __init__(self, source: Source, budget: int) -> None:
        self.source = source
        self.budget = budget
        self.served = 0

    def answer(self, request: dict[str, Any], inbox: IO[bytes]) -> None:
        offset, length = int(request["offset"]), int(request["length"])
        if offset < 0 or length < 0 or self.served + length > self.budget:
            error = (
                f"reading {length} more bytes would pass the {self.budget >> 20} "
                "MiB this file may read"
            )
            inbox.write(json.dumps({"error": error}).encode() + b"\n")
        else:
            data = self.source.read_at(offset, length)
            self.served += len(data)
            inbox.write(json.dumps({"length": len(data)}).encode() + b"\n" + data)
        inbox.flush()


def inspect_file(
    source: Source,
    fmt: str,
    *,
    caps: dict[str, int] | None = None,
    limits: Limits = CHILD_LIMITS,
) -> Inspection:
    """Schema, first rows and row count of one dataset file, or the reason
    there are none. Raises only the source's own read errors (the store
    failing): the file's faults are in the answer.

    The child's network is cut where the worker can (``unshare --net``, as
    for evaluations); where it cannot (no privileges, no user namespaces:
    the embedded default on many machines) the child still runs, under its
    rlimits, with no credentials and a scratch environment. Unlike an eval,
    it loads no code a file could name, only pyarrow's parsers, so refusing
    would leave every dataset file unchecked for a small gain."""
    prefix, isolation = isolation_prefix()
    if prefix is None:
        prefix = []
    spec = {
        "format": fmt,
        "size": source.size,
        "caps": {**DEFAULT_CAPS, **(caps or {})},
    }
    server = _Server(source, READ_BUDGET_BYTES)
    with tempfile.TemporaryDirectory(prefix="mc-tabular-") as scratch:
        workdir = Path(scratch)
        for sub in ("home", "tmp", "out"):
            (workdir / sub).mkdir()
        result = _converse(prefix, workdir, spec, server, limits)
    return Inspection(result=result, bytes_read=server.served, isolation=isolation)


def _converse(
    prefix: list[str],
    workdir: Path,
    spec: dict[str, Any],
    server: _Server,
    limits: Limits,
) -> dict[str, Any]:
    env = child_environment(
        workdir=workdir, threads=1, extra={"ARROW_DEFAULT_MEMORY_POOL": "system"}
    )
    started = time.monotonic()
    with open(workdir / "out" / "stderr", "wb") as err:
        proc = sandbox_popen(
            [*prefix, sys.executable, "-I", str(CHILD)],
            workdir=workdir,
            limits=limits,
            env=env,
            stdin=-1,  # subprocess.PIPE
            stdout=-1,
            stderr=err,
        )
        timer = threading.Timer(limits.wall_seconds, kill_group, args=(proc.pid,))
        timer.start()
        try:
            answer = _serve(proc, spec, server)
        finally:
            timer.cancel()
            kill_group(proc.pid)
            returncode = proc.wait()
    if answer is not None:
        return answer
    duration = time.monotonic() - started
    return _failure(limits, returncode, duration, log_tail(workdir / "out" / "stderr"))


def _serve(proc: Any, spec: dict[str, Any], server: _Server) -> dict[str, Any] | None:
    """Answer reads until the child's result; None if it died first."""
    try:
        proc.stdin.write(json.dumps(spec).encode() + b"\n")
        proc.stdin.flush()
        while True:
            line = proc.stdout.readline(ANSWER_MAX_BYTES)
            if not line:
                return None
            message = json.loads(line)
            if not isinstance(message, dict):
                return None
            if message.get("op") == "read":
                server.answer(message, proc.stdin)
            elif message.get("op") == "done":
                result = message.get("result")
                return result if isinstance(result, dict) else None
            else:
                return None
    except (BrokenPipeError, ValueError):
        return None


def _failure(
    limits: Limits, returncode: int, duration: float, tail: str
) -> dict[str, Any]:
    outcome = SandboxOutcome(kind="crashed")
    if returncode == 0:
        outcome.error = "The reader ended without an answer."
    else:
        explain_failure(outcome, limits, returncode, duration, tail)
    if duration >= limits.wall_seconds:
        outcome.kind = "timeout"
        outcome.error = f"Reading took more than {limits.wall_seconds:g} s."
    return {
        "ok": False,
        "code": f"reader.{outcome.kind}",
        "message": "The file could not be read safely: "
        + (outcome.error or "the reader failed."),
    }
