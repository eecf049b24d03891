"""Two commits racing on one branch, through nginx and gunicorn.

The HF protocol's ``parentCommit`` (``create_commit(parent_commit=...)``)
says "apply on top of this head or not at all": of two commits made on the
same head, one lands and the other is refused with 409/412 and a message
saying the branch moved. Without it a commit applies on top of whatever the
head is when it lands: both land, one after the other, and neither loses
the other's files.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from huggingface_hub import CommitOperationAdd
from huggingface_hub.errors import HfHubHTTPError

pytestmark = pytest.mark.faults_quick

ROUNDS = 5


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at once (released together); each one's result or error."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except Exception as exc:  # noqa: BLE001 - the race's outcome
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_of_two_commits_on_the_same_parent_one_lands_the_other_is_refused(
    streaming_topology,
):
    topo = streaming_topology
    api = topo.api("ada")
    repo_id = api.create_repo("ada/race-parent").repo_id
    for round_ in range(ROUNDS):
        head = api.repo_info(repo_id).sha

        def commit(who: str, head: str = head, round_: int = round_):
            return api.create_commit(
                repo_id,
                operations=[
                    CommitOperationAdd(f"{who}-{round_}.txt", f"{who}\n".encode())
                ],
                commit_message=f"{who} in round {round_}",
                parent_commit=head,
            )

        results = race(lambda: commit("left"), lambda: commit("right"))
        landed = [r for r in results if not isinstance(r, Exception)]
        refused = [r for r in results if isinstance(r, Exception)]
        assert len(landed) == 1 and len(refused) == 1, results
        error = refused[0]
        assert isinstance(error, HfHubHTTPError), repr(error)
        assert error.response.status_code in (409, 412)
        assert "has moved" in str(error) and head in str(error)
        # The winner's commit is the head, on top of the old head; the
        # loser's file is nowhere.
        winner = landed[0]
        assert api.repo_info(repo_id).sha == winner.oid
        commits = api.list_repo_commits(repo_id)
        assert [c.commit_id for c in commits[:2]] == [winner.oid, head]
        files = set(api.list_repo_files(repo_id))
        loser = "right" if f"left-{round_}.txt" in files else "left"
        assert f"{loser}-{round_}.txt" not in files
    topo.assert_recovered()


def test_two_commits_without_a_parent_both_land_one_on_top_of_the_other(
    streaming_topology, tmp_path
):
    topo = streaming_topology
    api = topo.api("ada")
    repo_id = api.create_repo("ada/race-free").repo_id
    for round_ in range(ROUNDS):
        head = api.repo_info(repo_id).sha

        def commit(who: str, round_: int = round_):
            return api.create_commit(
                repo_id,
                operations=[
                    CommitOperationAdd(f"{who}-{round_}.txt", f"{who}\n".encode()),
                    CommitOperationAdd("shared.txt", f"{who} {round_}\n".encode()),
                ],
                commit_message=f"{who} in round {round_}",
            )

        left, right = race(lambda: commit("left"), lambda: commit("right"))
        assert not isinstance(left, Exception), repr(left)
        assert not isinstance(right, Exception), repr(right)
        # Linear history: head -> first -> second, no lost update.
        commits = [c.commit_id for c in api.list_repo_commits(repo_id)]
        assert set(commits[:2]) == {left.oid, right.oid}
        assert commits[2] == head
        files = set(api.list_repo_files(repo_id))
        assert {f"left-{round_}.txt", f"right-{round_}.txt"} <= files
        # shared.txt holds what the later of the two wrote.
        last = "left" if commits[0] == left.oid else "right"
        path = api.hf_hub_download(
            repo_id, "shared.txt", revision=commits[0], cache_dir=str(tmp_path)
        )
        with open(path) as handle:
            assert handle.read() == f"{last} {round_}\n"
    topo.assert_recovered()
