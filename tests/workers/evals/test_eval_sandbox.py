"""The eval sandbox with hostile children: each is a real ``python -I``
process under the real isolation (network namespace, no capabilities,
rlimits, process-group kill), no torch involved."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import textwrap
import threading
import time
from pathlib import Path

import pytest

from workers.evals.sandbox import Limits, isolation_prefix, run_child

FAST = Limits(wall_seconds=20, cpu_seconds=20, address_space_bytes=1 << 30)


def valid(message: str, status: str = "failed", reason: str = "probe") -> str:
    """Python source printing a schema-valid answer carrying ``message``."""
    return (
        "import json\n"
        f"print(json.dumps({{'schema_version': 1, 'status': {status!r}, "
        f"'reason': {reason!r}, 'message': str({message})[:2000]}}))\n"
    )


def child(tmp_path: Path, source: str) -> tuple[Path, Path]:
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(source))
    workdir = tmp_path / "work"
    workdir.mkdir()
    return script, workdir


def test_child_that_sleeps_is_killed_with_its_process_group_at_the_timeout(tmp_path):
    script, workdir = child(
        tmp_path,
        """
        import os, subprocess, sys, time
        sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
        grandchild = subprocess.Popen(sleeper)
        open("grandchild.pid", "w").write(str(grandchild.pid))
        time.sleep(120)
        """,
    )
    limits = Limits(wall_seconds=3, cpu_seconds=20, address_space_bytes=1 << 30)
    outcome = run_child(script, [], workdir=workdir, limits=limits)
    assert outcome.kind == "timeout"
    assert outcome.duration_seconds < 15
    pid = int((workdir / "grandchild.pid").read_text())
    status = Path(f"/proc/{pid}/status")

    def stopped() -> bool:
        # Gone, or a zombie waiting for init: either way no longer running.
        try:
            return "State:\tZ" in status.read_text()
        except FileNotFoundError:
            return True

    deadline = time.monotonic() + 10  # SIGKILL is delivered asynchronously
    while not stopped() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stopped()


def test_child_allocating_too_much_memory_hits_the_address_space_limit(tmp_path):
    script, workdir = child(
        tmp_path, "blob = bytearray(2 * 1024 ** 3)\nprint('allocated')\n"
    )
    outcome = run_child(script, [], workdir=workdir, limits=FAST)
    assert outcome.kind == "memory_limit"
    assert "MemoryError" in outcome.log_tail


def test_child_burning_cpu_is_stopped_by_the_cpu_time_limit(tmp_path):
    script, workdir = child(tmp_path, "while True:\n    pass\n")
    limits = Limits(wall_seconds=30, cpu_seconds=1, address_space_bytes=1 << 30)
    outcome = run_child(script, [], workdir=workdir, limits=limits)
    assert outcome.kind == "cpu_time"
    assert outcome.duration_seconds < 25


def test_child_cannot_open_a_socket_to_the_host(tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(8)
    port = server.getsockname()[1]
    accepted: list[object] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            accepted.append(server.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    script, workdir = child(
        tmp_path,
        textwrap.dedent(f"""
        import socket
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=3)
            outcome = "connected"
        except OSError as exc:
            outcome = "blocked: " + str(exc)
        """)
        + valid("outcome"),
    )
    outcome = run_child(script, [], workdir=workdir, limits=FAST)
    thread.join()
    server.close()
    assert outcome.kind == "ok", outcome.error
    assert outcome.payload is not None
    assert outcome.payload["message"].startswith("blocked"), outcome.payload
    assert accepted == []
    assert outcome.isolation["network"].startswith("none")


def test_child_printing_garbage_is_an_invalid_result(tmp_path):
    script, workdir = child(tmp_path, "print('{\"score\": 99.9} and some chatter')\n")
    outcome = run_child(script, [], workdir=workdir, limits=FAST)
    assert outcome.kind == "invalid_result"
    assert outcome.payload is None


def test_child_claiming_a_result_without_numbers_is_an_invalid_result(tmp_path):
    script, workdir = child(tmp_path, valid("'done'", status="finished", reason=""))
    outcome = run_child(script, [], workdir=workdir, limits=FAST)
    assert outcome.kind == "invalid_result"
    assert "metrics" in outcome.error


def test_child_environment_holds_no_secrets_or_database_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://secret@db/hub")
    monkeypatch.setenv("SECRET_KEY", "very-secret")
    monkeypatch.setenv("HF_TOKEN", "hf_secret")
    script, workdir = child(
        tmp_path,
        "import json, os\nenv = json.dumps(dict(os.environ))\n" + valid("env"),
    )
    outcome = run_child(script, [], workdir=workdir, limits=FAST)
    assert outcome.payload is not None
    env = json.loads(outcome.payload["message"])
    assert "DATABASE_URL" not in env
    assert "SECRET_KEY" not in env
    assert "HF_TOKEN" not in env
    assert not any("secret" in value for value in env.values())
    assert env["HF_HUB_OFFLINE"] == "1"
    assert env["TRANSFORMERS_OFFLINE"] == "1"
    assert env["HOME"].startswith(str(workdir))


@pytest.mark.skipif(os.geteuid() != 0, reason="inputs are handed to another uid")
def test_child_cannot_write_its_read_only_inputs(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    weights = inputs / "model.safetensors"
    weights.write_bytes(b"original")
    weights.chmod(0o444)
    os.chown(weights, 65534, 65534)
    inputs.chmod(0o555)
    os.chown(inputs, 65534, 65534)
    script, workdir = child(
        tmp_path,
        textwrap.dedent(f"""
        import os
        results = []
        for attempt in ("write", "chmod", "replace"):
            try:
                if attempt == "write":
                    open({str(weights)!r}, "wb").write(b"tampered")
                elif attempt == "chmod":
                    os.chmod({str(weights)!r}, 0o666)
                else:
                    open({str(inputs / "new.bin")!r}, "wb").write(b"x")
                results.append(attempt + ": allowed")
            except OSError as exc:
                results.append(attempt + ": refused")
        results = ", ".join(results)
        """)
        + valid("results"),
    )
    outcome = run_child(script, [], workdir=workdir, limits=FAST)
    assert outcome.payload is not None, outcome.error
    assert outcome.payload["message"] == (
        "write: refused, chmod: refused, replace: refused"
    )
    assert weights.read_bytes() == b"original"


def test_evals_are_refused_when_the_network_cannot_be_cut(tmp_path, monkeypatch):
    # No unshare on PATH: the worker cannot isolate the child's network.
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert isolation_prefix()[0] is None
    script, workdir = child(tmp_path, valid("'ran'"))
    outcome = run_child(script, [], workdir=workdir, limits=FAST)
    assert outcome.kind == "unavailable"
    assert "HUB_EVAL_ALLOW_NO_NETWORK_ISOLATION" in outcome.error
    assert not (workdir / "out").exists()

    allowed = run_child(
        script,
        [],
        workdir=workdir,
        limits=FAST,
        allow_without_network_isolation=True,
    )
    assert allowed.kind == "ok"
    assert allowed.isolation["network"] == "not isolated (explicitly allowed)"
