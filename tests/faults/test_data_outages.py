"""PostgreSQL restarted in the middle of a commit; Redis down for 30 s of commits.

PostgreSQL is the truth: a commit it was writing when it went away is
either whole (it committed first) or absent, and the client is told with an
HTTP error, never a half tree. Redis only carries messages and caches:
while it is down commits still land (or fail clearly); once it is back the
checks queued meanwhile run, each once.
"""

from __future__ import annotations

import threading
import time

from huggingface_hub import CommitOperationAdd
from huggingface_hub.errors import HfHubHTTPError

from tests.faults.topology import Topology, wait_for

FINAL = ("succeeded", "failed", "errored")
FILES = 300


def many_files(tag: str) -> list[CommitOperationAdd]:
    return [
        CommitOperationAdd(f"shards/{tag}/{i:05d}.json", f'{{"{tag}": {i}}}\n'.encode())
        for i in range(FILES)
    ]


def hub_writing(topo: Topology) -> bool:
    """A hub connection is inside a transaction that wrote tree entries."""
    try:
        rows = topo.sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = 'hub' "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
            "AND backend_xid IS NOT NULL"
        )
    except Exception:  # noqa: BLE001 - PostgreSQL is what we are breaking
        return False
    return rows[0][0] > 0


def commit_caught_writing(topo: Topology, api, repo_id: str) -> tuple[dict, str]:
    """Start a commit of FILES files; return once PostgreSQL is writing it
    (its outcome holder and the head before it). A commit that lands before
    it is seen writing is checked whole and another one started."""
    for attempt in range(5):
        before = api.repo_info(repo_id).sha
        outcome: dict = {}

        def commit(tag: str = f"a{attempt}", outcome: dict = outcome) -> None:
            try:
                outcome["result"] = api.create_commit(
                    repo_id, operations=many_files(tag), commit_message=tag
                )
            except Exception as exc:  # noqa: BLE001 - the outcome under test
                outcome["error"] = exc

        thread = threading.Thread(target=commit)
        thread.start()
        outcome["thread"] = thread
        caught = wait_for(
            lambda thread=thread: hub_writing(topo) or not thread.is_alive(),
            120,
            "the commit's transaction",
            0.005,
        )
        if thread.is_alive() and caught:
            return outcome, before
        thread.join()
        assert "error" not in outcome, repr(outcome.get("error"))
    raise AssertionError("never caught a commit in its transaction")


def test_postgres_restarted_mid_commit_leaves_the_whole_commit_or_nothing(topology):
    topo = topology
    api = topo.api("fay")
    repo_id = api.create_repo("fay/pg-restart").repo_id
    outcome, before = commit_caught_writing(topo, api, repo_id)
    topo.ctl("stop", "postgres")
    try:
        # Meanwhile a commit is refused: 503, the database named, retry later.
        try:
            api.create_commit(
                repo_id,
                operations=[CommitOperationAdd("down.txt", b"down\n")],
                commit_message="while PostgreSQL is down",
            )
        except HfHubHTTPError as exc:
            assert exc.response.status_code == 503, str(exc)
            assert "database did not answer" in str(exc), str(exc)
        else:
            raise AssertionError("a commit landed while PostgreSQL was down")
    finally:
        topo.ctl("start", "postgres")
    outcome["thread"].join(timeout=180)
    assert not outcome["thread"].is_alive()
    wait_for(lambda: topo.readyz()[0] == 200, 60, "/readyz after the restart")
    head = api.repo_info(repo_id).sha
    files = [f for f in api.list_repo_files(repo_id) if f.startswith("shards/")]
    if "error" in outcome:
        # Nothing: the client was told (503, retry) and the branch is as it was.
        error = outcome["error"]
        assert isinstance(error, HfHubHTTPError), repr(error)
        assert error.response.status_code == 503, str(error)
        assert "database did not answer" in str(error), str(error)
        assert head == before
    else:
        # The whole commit: it was committed just before PostgreSQL stopped.
        assert head == outcome["result"].oid
    per_commit = {f.split("/")[1] for f in files}
    for folder in per_commit:
        count = sum(f.startswith(f"shards/{folder}/") for f in files)
        assert count == FILES, f"{folder}: a commit with {count} of {FILES} files"
    assert "down.txt" not in api.list_repo_files(repo_id)
    # And the hub takes the same commit again.
    again = api.create_commit(
        repo_id, operations=many_files("b"), commit_message="again"
    )
    assert api.repo_info(repo_id).sha == again.oid
    # The cut commit's inline files were stored before its transaction was
    # lost: objects without rows, which GC deletes after the grace period.
    # Nothing else is wrong; collected now, the hub is green.
    report = topo.check_invariants(allow=frozenset({("objects", "orphan")}))
    orphans = [f["subject"] for f in report["findings"]]
    assert all(o.startswith("blobs/") for o in orphans), orphans
    assert len(orphans) <= FILES, orphans
    topo.run_manage("hub_fsck", "--repair", "--grace-seconds", "0")
    topo.assert_recovered()


def test_commits_during_30s_without_redis_land_and_their_checks_run_after(topology):
    topo = topology
    api = topo.api("fay")
    repo_id = api.create_repo("fay/redis-down").repo_id
    topo.ctl("stop", "redis")
    landed, refused = [], []
    started = time.monotonic()
    try:
        index = 0
        while time.monotonic() - started < 30:
            began = time.monotonic()
            try:
                landed.append(
                    api.upload_file(
                        path_or_fileobj=f'{{"step": {index}}}\n'.encode(),
                        path_in_repo=f"config-{index}.json",
                        repo_id=repo_id,
                    )
                )
            except HfHubHTTPError as exc:
                refused.append(exc)
            took = time.monotonic() - began
            assert took < 20, f"a commit took {took:.1f}s without Redis"
            index += 1
            time.sleep(2)
    finally:
        topo.ctl("start", "redis")
    assert not refused, [str(e) for e in refused]
    assert len(landed) >= 5
    history = {c.commit_id for c in api.list_repo_commits(repo_id)}
    assert {c.oid for c in landed} <= history

    def checks_final():
        rows = topo.sql(
            "SELECT c.oid, r.kind, r.path, r.status FROM jobs_validationrun r "
            "JOIN catalog_commit c ON c.id = r.commit_id "
            "JOIN catalog_modelrepo m ON m.id = c.repo_id WHERE m.name = 'redis-down'"
        )
        done = {oid for oid, _, _, status in rows if status in FINAL}
        pending = [r for r in rows if r[3] not in FINAL]
        return rows if not pending and {c.oid for c in landed} <= done else None

    rows = wait_for(checks_final, 120, "the checks queued without Redis to run", 0.5)
    keys = [(oid, kind, path) for oid, kind, path, _ in rows]
    assert len(keys) == len(set(keys)), "a check was created twice"
    attempts = topo.sql(
        "SELECT max(r.attempts) FROM jobs_validationrun r "
        "JOIN catalog_commit c ON c.id = r.commit_id "
        "JOIN catalog_modelrepo m ON m.id = c.repo_id WHERE m.name = 'redis-down'"
    )
    assert attempts[0][0] == 1, "a check ran twice"
    topo.assert_recovered()
