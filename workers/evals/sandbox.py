"""Run one evaluation child in a sandbox and get back one validated JSON object.

The child is a fresh interpreter (``python -I`` on a file path: no
PYTHONPATH, no user site, not even the script's own folder trusted) in its
own process group and session, with:

- no network: a new, empty network namespace (``unshare --net``: not even
  loopback is up) plus the offline switches of the HF libraries;
- no capabilities (``setpriv``: bounding and inheritable sets cleared,
  no-new-privs), so even as uid 0 it cannot undo any of this, mount, or
  write files it does not own (its inputs belong to another uid, 0444);
- an environment built from scratch: PATH, HOME and TMPDIR in its throw-away
  directory, thread counts and offline switches; never the worker's
  database URL, broker URL or secrets;
- rlimits: address space (scaled to the weights by the caller), CPU time,
  file size, open files and tasks;
- a wall-clock timeout, after which the whole process group is killed.

If network isolation is unavailable (no ``unshare``, no privileges), the run
is refused unless the deployment explicitly allows running without it.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from workers.evals.schema import ResultSchemaError, validate_result

STDOUT_LIMIT = 1_000_000
LOG_TAIL_LINES = 60
LOG_TAIL_BYTES = 16_000
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "DO_NOT_TRACK": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "1",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
}
_MEMORY_MARKERS = (
    "MemoryError",
    "Cannot allocate memory",
    "std::bad_alloc",
    "can't allocate memory",
    "DefaultCPUAllocator",
)


@dataclass(frozen=True)
class Limits:
    """Resource limits of one child."""

    wall_seconds: float = 1800
    cpu_seconds: int = 3600
    address_space_bytes: int = 8 << 30
    file_size_bytes: int = 256 << 20
    open_files: int = 256
    tasks: int = 256  # threads and processes the child may add


@dataclass
class SandboxOutcome:
    """What happened: ``kind`` is ``ok`` or why there is no valid result."""

    kind: str  # ok | timeout | cpu_time | memory_limit | file_size_limit |
    #            crashed | invalid_result | unavailable
    payload: dict[str, Any] | None = None
    returncode: int | None = None
    log_tail: str = ""
    error: str = ""
    duration_seconds: float = 0.0
    isolation: dict[str, Any] = field(default_factory=dict)


@cache
def _probe(command: tuple[str, ...]) -> bool:
    try:
        done = subprocess.run(
            [*command, "true"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def isolation_prefix() -> tuple[list[str] | None, dict[str, Any]]:
    """The command prefix that cuts the network and drops capabilities.

    (None, info) when no network isolation is possible here.
    """
    unshare = shutil.which("unshare")
    setpriv = shutil.which("setpriv")
    if unshare is None:
        return None, {"network": "unavailable", "why": "no unshare command"}
    candidates = [(unshare, "--net", "--"), (unshare, "--net", "--map-root-user", "--")]
    for prefix in candidates:
        if _probe(prefix):
            command = list(prefix)
            info: dict[str, Any] = {"network": "none (new network namespace)"}
            if setpriv is not None:
                drop = (
                    setpriv,
                    "--bounding-set=-all",
                    "--inh-caps=-all",
                    "--no-new-privs",
                )
            if setpriv is not None and _probe((*prefix, *drop)):
                command += list(drop)
                info["capabilities"] = "none"
            else:
                info["capabilities"] = "kept (setpriv unavailable)"
            return command, info
    return None, {
        "network": "unavailable",
        "why": "unshare --net is not permitted (needs root or user namespaces)",
    }


def child_environment(
    *, workdir: Path, threads: int, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The child's whole environment: nothing inherited from the worker."""
    home = workdir / "home"
    tmp = workdir / "tmp"
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "HF_HOME": str(home / "hf"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "OMP_NUM_THREADS": str(threads),
        "MKL_NUM_THREADS": str(threads),
        "OPENBLAS_NUM_THREADS": str(threads),
        **OFFLINE_ENV,
        **(extra or {}),
    }


def _uid_tasks(uid: int) -> int:
    """Tasks (threads) owned by ``uid`` right now: RLIMIT_NPROC counts them all."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        uid_line = next((x for x in text.splitlines() if x.startswith("Uid:")), "")
        parts = uid_line.split()
        if len(parts) > 1 and parts[1] == str(uid):
            threads = next(
                (x for x in text.splitlines() if x.startswith("Threads:")), "Threads: 1"
            )
            count += int(threads.split()[1])
    return count


def _set_limits(limits: Limits, nproc: int) -> Any:
    def apply() -> None:
        resource.setrlimit(
            resource.RLIMIT_AS, (limits.address_space_bytes, limits.address_space_bytes)
        )
        resource.setrlimit(
            resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5)
        )
        resource.setrlimit(
            resource.RLIMIT_FSIZE, (limits.file_size_bytes, limits.file_size_bytes)
        )
        resource.setrlimit(
            resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files)
        )
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def log_tail(path: Path) -> str:
    """The last lines of a child's log file."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - LOG_TAIL_BYTES))
            data = f.read()
    except OSError:
        return ""
    lines = data.decode("utf-8", errors="replace").splitlines()
    return "\n".join(lines[-LOG_TAIL_LINES:])


def kill_group(pid: int) -> None:
    """SIGKILL a child's whole process group (it has its own session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def run_child(
    script: Path,
    args: list[str],
    *,
    workdir: Path,
    limits: Limits,
    threads: int = 1,
    allow_without_network_isolation: bool = False,
    python: str | None = None,
) -> SandboxOutcome:
    """Run ``python -I script *args`` sandboxed in ``workdir``; validate its answer.

    ``workdir`` must exist; the child gets ``home/`` and ``tmp/`` in it and
    writes its stdout and stderr to ``out/``. The answer is the child's
    whole stdout, which must be one JSON object valid against the result
    schema.
    """
    prefix, isolation = isolation_prefix()
    if prefix is None:
        if not allow_without_network_isolation:
            return _unavailable(isolation)
        prefix = []
        isolation["network"] = "not isolated (explicitly allowed)"
    for sub in ("home", "tmp", "out"):
        (workdir / sub).mkdir(exist_ok=True)
    command = [*prefix, python or sys.executable, "-I", str(script), *args]
    started = time.monotonic()
    returncode, timed_out = _spawn(command, workdir, limits, threads)
    duration = time.monotonic() - started
    tail = log_tail(workdir / "out" / "stderr")
    outcome = SandboxOutcome(
        kind="ok",
        returncode=returncode,
        log_tail=tail,
        duration_seconds=duration,
        isolation=isolation,
    )
    if timed_out:
        outcome.kind = "timeout"
        outcome.error = f"No answer within {limits.wall_seconds:g} s: killed."
        return outcome
    if returncode != 0:
        explain_failure(outcome, limits, returncode, duration, tail)
        return outcome
    _read_answer(outcome, workdir / "out" / "stdout", tail)
    return outcome


def _unavailable(isolation: dict[str, Any]) -> SandboxOutcome:
    return SandboxOutcome(
        kind="unavailable",
        error=(
            "Evaluations are refused on this worker: it cannot cut the "
            f"child's network ({isolation.get('why')}). Run the eval "
            "worker as root, or set HUB_EVAL_ALLOW_NO_NETWORK_ISOLATION="
            "true to accept running with the offline switches only."
        ),
        isolation=isolation,
    )


def sandbox_popen(
    command: list[str],
    *,
    workdir: Path,
    limits: Limits,
    env: dict[str, str],
    stdin: Any,
    stdout: Any,
    stderr: Any,
) -> subprocess.Popen[bytes]:
    """Start ``command`` in its own session under ``limits`` with ``env`` only."""
    nproc = _uid_tasks(os.getuid()) + limits.tasks
    return subprocess.Popen(
        command,
        cwd=workdir,
        env=env,
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        start_new_session=True,
        preexec_fn=_set_limits(limits, nproc),
        close_fds=True,
    )


def _spawn(
    command: list[str], workdir: Path, limits: Limits, threads: int
) -> tuple[int, bool]:
    """Run the child to its end or its wall-clock limit: (returncode, timed out)."""
    stdout_path = workdir / "out" / "stdout"
    stderr_path = workdir / "out" / "stderr"
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        proc = sandbox_popen(
            command,
            workdir=workdir,
            limits=limits,
            env=child_environment(workdir=workdir, threads=threads),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        try:
            returncode = proc.wait(timeout=limits.wall_seconds)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(proc.pid)
            returncode = proc.wait()
        finally:
            kill_group(proc.pid)  # anything the child left behind
    return returncode, timed_out


def explain_failure(
    outcome: SandboxOutcome,
    limits: Limits,
    returncode: int,
    duration: float,
    tail: str,
) -> None:
    if returncode == -signal.SIGXCPU or (
        returncode == -signal.SIGKILL
        and duration < limits.wall_seconds
        and _cpu_used_up(limits, duration)
    ):
        outcome.kind = "cpu_time"
        outcome.error = f"The child used its {limits.cpu_seconds} s of CPU time."
    elif returncode == -signal.SIGXFSZ:
        outcome.kind = "file_size_limit"
        outcome.error = "The child wrote a file over the size limit."
    elif any(marker in tail for marker in _MEMORY_MARKERS):
        outcome.kind = "memory_limit"
        outcome.error = (
            f"The child needed more than {limits.address_space_bytes >> 20} MiB "
            "of address space."
        )
    else:
        outcome.kind = "crashed"
        outcome.error = f"The child exited with status {returncode}."


def _read_answer(outcome: SandboxOutcome, stdout_path: Path, tail: str) -> None:
    with open(stdout_path, "rb") as answer:  # may be up to RLIMIT_FSIZE long
        raw = answer.read(STDOUT_LIMIT + 1)
    try:
        if len(raw) > STDOUT_LIMIT:
            raise ResultSchemaError("the answer is larger than 1 MB")
        text = raw.decode("utf-8").strip()
        if "\n" in text:
            raise ResultSchemaError("the answer is more than one line")
        payload = json.loads(text)
        validate_result(payload)
    except (UnicodeDecodeError, json.JSONDecodeError, ResultSchemaError) as exc:
        outcome.kind = "invalid_result"
        outcome.error = f"The child's answer is not a valid result: {exc}"
        snippet = raw[:300].decode("utf-8", errors="replace")
        outcome.log_tail = (tail + f"\n[stdout] {snippet}").strip()
        return
    outcome.payload = payload


def _cpu_used_up(limits: Limits, duration: float) -> bool:
    # SIGKILL at the hard CPU limit: only plausible once the soft one passed.
    return duration * os.cpu_count() >= limits.cpu_seconds  # type: ignore[operator]
