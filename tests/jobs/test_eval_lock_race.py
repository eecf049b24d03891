"""A check finishing on a commit while another commit lands on top of it.

Found by the fault suite (tests/faults/test_racing_commits.py): the last
check of a commit locks the commit row to decide on its evals; a commit
landing on that branch holds the repo row (it updated it) and, when it
commits, checks its parent's key. Locking the repo row too, or the commit
row FOR UPDATE, deadlocked the two and the committer got a 500.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from hub.catalog.models import Ref
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import AddFile
from hub.jobs.services.evals import eval_runs_after_validation
from hub.storage.services import blob_upload_bytes
from tests.factories import commit_files, make_repo, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_a_check_finishing_as_a_commit_lands_on_top_deadlocks_neither():
    owner = make_user("ann")
    repo = make_repo(owner, "racing")
    head = commit_files(repo, {"a.txt": b"a\n"})
    operations = [AddFile("b.txt", blob_upload_bytes(data=b"b\n").sha256)]
    written, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def committer() -> None:
        try:
            with transaction.atomic():
                outcome["commit"] = commit_create(
                    repo=repo, operations=operations, title="Add b", author=owner
                )
                written.set()
                release.wait(10)
        except Exception as exc:  # noqa: BLE001 - what the test looks for
            outcome["committer"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=committer)
    thread.start()
    assert written.wait(10)
    # The committer has not committed yet: it holds the repo row, and its
    # COMMIT will check the key of its parent, the commit the check is on.
    threading.Timer(0.5, release.set).start()
    try:
        with transaction.atomic():
            eval_runs_after_validation(commit_id=head.pk)
    except Exception as exc:  # noqa: BLE001 - what the test looks for
        outcome["check"] = exc
    thread.join(15)
    assert "committer" not in outcome and "check" not in outcome, outcome
    landed = outcome["commit"]
    assert Ref.objects.get(repo=repo, name="main").commit_id == landed.pk  # type: ignore[attr-defined]
