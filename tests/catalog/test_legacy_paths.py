"""A path stored before a naming rule existed can still be deleted (issue 13,
hole 6): otherwise a repo holding ``sub/.git/config`` could never be cleaned."""

from __future__ import annotations

import pytest

from hub.catalog.revisions import revision_resolve
from hub.catalog.services import operations as services
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import DeleteFile, DeleteFolder
from hub.core.errors import ValidationError
from tests.factories import commit_files, make_repo

pytestmark = pytest.mark.django_db


@pytest.fixture
def legacy_repo(owner, monkeypatch):
    """A repo committed by a hub that did not yet check paths below the root."""
    repo = make_repo(owner, "legacy")
    with monkeypatch.context() as old_rules:
        old_rules.setattr(services, "validate_repo_path", lambda path: path)
        commit_files(
            repo,
            {"sub/.git/config": b"[core]\n", "other/.GIT/HEAD": b"ref\n"},
            author=owner,
        )
    return repo


def paths_at(repo):
    head = revision_resolve(repo=repo, revision="main")
    return sorted(head.entries.values_list("path", flat=True))


def test_stored_hostile_file_and_folder_can_be_deleted(legacy_repo, owner):
    commit_create(
        repo=legacy_repo,
        operations=[DeleteFile("sub/.git/config"), DeleteFolder("other/.GIT")],
        title="Remove git folders",
        author=owner,
    )

    assert paths_at(legacy_repo) == [".gitattributes"]


def test_deleting_an_absent_hostile_path_still_names_the_rule(legacy_repo, owner):
    with pytest.raises(ValidationError, match="'.git' directory"):
        commit_create(
            repo=legacy_repo,
            operations=[DeleteFile("elsewhere/.git/config")],
            title="x",
            author=owner,
        )
