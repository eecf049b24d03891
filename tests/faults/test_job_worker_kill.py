"""kill -9 of a validation worker, and of an eval child, in the middle of a run.

A validation pool process killed mid-check: Celery loses the worker, the
task (acks_late, reject_on_worker_lost) comes back, or the reconciler
re-sends it when the run's heartbeat goes stale; either way the run ends
once, passed. An eval child (the sandboxed interpreter the eval worker
starts) killed mid-run: the run ends once, failed, saying how the child
ended; the eval worker lives on and evaluates the next commit.
"""

from __future__ import annotations

import os
import signal
import zipfile
from pathlib import Path

from tests.faults.topology import (
    MIB,
    Topology,
    cmdline,
    descendants_of,
    wait_for,
)
from tests.workers.evals.tinymodels import save_causal_lm

FINAL = ("succeeded", "failed", "errored")
EVAL_FINAL = ("finished", "failed", "timeout", "skipped")

CARD = """---
license: apache-2.0
pipeline_tag: text-generation
---
# Tiny LM
"""


def torch_archive(path: Path, size: int) -> None:
    """A torch-style zip (a pickle and a large stored tensor): its check
    reads every member, so it lasts while the worker reads ``size`` bytes."""
    zero = b"\0" * MIB
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("archive/data.pkl", b"\x80\x02}q\x00.")
        archive.writestr("archive/version", b"3\n")
        with archive.open("archive/data/0", "w", force_zip64=True) as member:
            for _ in range(size // MIB):
                member.write(zero)


def run_row(topo: Topology, run_id: int) -> tuple[str, int]:
    ((status, attempts),) = topo.sql(
        "SELECT status, attempts FROM jobs_validationrun WHERE id = %s", run_id
    )
    return status, attempts


def test_a_validation_worker_killed_mid_check_is_retried_and_ends_once(
    topology, tmp_path
):
    topo = topology
    api = topo.api("eve")
    repo_id = api.create_repo("eve/kill-validation").repo_id
    weights = tmp_path / "pytorch_model.bin"
    torch_archive(weights, 160 * MIB)
    commit = api.upload_file(
        path_or_fileobj=str(weights), path_in_repo="pytorch_model.bin", repo_id=repo_id
    )

    def running():
        rows = topo.sql(
            "SELECT r.id FROM jobs_validationrun r "
            "JOIN catalog_commit c ON c.id = r.commit_id "
            "WHERE c.oid = %s AND r.path = 'pytorch_model.bin' "
            "AND r.status = 'running'",
            commit.oid,
        )
        return rows[0][0] if rows else None

    run_id = wait_for(running, 180, "the check to start", 0.02)
    pool = topo.children("worker-validation")
    assert pool, "no pool process under the validation worker"
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    wait_for(lambda: run_row(topo, run_id)[0] in FINAL, 120, "the killed run to finish")
    status, attempts = run_row(topo, run_id)
    assert status == "succeeded"
    assert attempts in (1, 2)
    keys = topo.sql(
        "SELECT kind, path, count(*) FROM jobs_validationrun r "
        "JOIN catalog_commit c ON c.id = r.commit_id WHERE c.oid = %s "
        "GROUP BY kind, path HAVING count(*) > 1",
        commit.oid,
    )
    assert keys == [], f"a run was created twice: {keys}"
    topo.assert_recovered()


def eval_runs(topo: Topology, commit_oid: str) -> list[tuple]:
    return topo.sql(
        "SELECT r.status, r.reason, r.message, r.attempts FROM jobs_evalrun r "
        "JOIN catalog_commit c ON c.id = r.commit_id WHERE c.oid = %s",
        commit_oid,
    )


def eval_child(topo: Topology) -> int | None:
    for pid in descendants_of(topo.pid("worker-eval")):
        if "-I" in cmdline(pid)[1:2]:
            return pid
    return None


def test_an_eval_child_killed_mid_run_fails_the_run_once_and_the_next_runs(
    topology, tmp_path
):
    topo = topology
    api = topo.api("eve")
    repo_id = api.create_repo("eve/kill-eval").repo_id
    folder = save_causal_lm(tmp_path / "tiny-lm")
    (folder / "README.md").write_text(CARD)
    first = api.upload_folder(repo_id=repo_id, folder_path=folder)
    child = wait_for(lambda: eval_child(topo), 180, "the eval child to start", 0.05)
    os.kill(child, signal.SIGKILL)

    def final(oid: str):
        runs = eval_runs(topo, oid)
        return runs if runs and all(r[0] in EVAL_FINAL for r in runs) else None

    ((status, reason, message, attempts),) = wait_for(
        lambda: final(first.oid), 120, "the killed eval run to finish"
    )
    assert (status, reason) == ("failed", "child_crashed"), (status, reason, message)
    assert "-9" in message or "SIGKILL" in message, message
    assert attempts == 1
    # The eval worker lives on: the next commit is evaluated.
    (folder / "README.md").write_text(CARD + "\nSecond revision.\n")
    second = api.upload_folder(repo_id=repo_id, folder_path=folder)
    ((status, reason, message, _),) = wait_for(
        lambda: final(second.oid), 240, "the next eval run to finish"
    )
    assert status in ("finished", "skipped"), (status, reason, message)
    topo.assert_recovered()
