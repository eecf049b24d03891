"""Two moves to one free name at the same moment: one wins, the other gets
the clear 409 (not a 500 from the database's unique index)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from hub.catalog.errors import RepoExistsError
from hub.catalog.models import ModelRepo
from hub.catalog.services.repos import repo_move
from tests.factories import make_repo, make_user, namespace_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_a_move_racing_another_to_the_same_name_is_refused_cleanly():
    owner = make_user("ann")
    first, second = make_repo(owner, "one"), make_repo(owner, "two")
    moved, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def winner() -> None:
        try:
            with transaction.atomic():
                repo_move(repo=first, namespace=namespace_of(owner), name="target")
                moved.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=winner)
    thread.start()
    assert moved.wait(10)
    # The winner has not committed: this move passes the name check, then
    # waits on the unique index until the winner commits.
    threading.Timer(0.5, release.set).start()
    try:
        repo_move(repo=second, namespace=namespace_of(owner), name="Target")
    except RepoExistsError as exc:
        outcome["refused"] = exc.message
    thread.join(10)
    assert outcome["refused"] == "Repository ann/Target already exists."
    assert sorted(ModelRepo.objects.values_list("name", flat=True)) == [
        "target",
        "two",
    ]
