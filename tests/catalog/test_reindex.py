"""``manage.py hub_reindex``: the derived search data rebuilt from main's card."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from hub.catalog.models import ModelRepo
from hub.catalog.search import repo_search
from tests.databases import on_sqlite
from tests.factories import commit_files, make_repo

README = (
    b"---\nlicense: mit\ntags:\n- vision\npipeline_tag: image-classification\n---\n"
    b"# Fish\n\nDetects zebrafish in tanks.\n\nTrained on quokka photos.\n"
)


def reindex(*args: str) -> dict:
    out = io.StringIO()
    call_command("hub_reindex", *args, "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def found(word: str) -> bool:
    return repo_search(ModelRepo.objects.all(), word).exists()


@pytest.fixture
def stale(owner):
    """A repo whose derived columns and search document were lost."""
    repo = make_repo(owner, "fish")
    commit_files(repo, {"README.md": README}, author=owner)
    assert found("zebrafish")
    ModelRepo.objects.filter(pk=repo.pk).update(
        description="", license="", tags=[], pipeline_tag="", search_vector=None
    )
    assert not found("zebrafish") and not found("quokka")
    return repo


def test_a_stale_repo_is_rebuilt_and_found_again(stale):
    report = reindex("--all")
    assert (report["repos"], report["changed"]) == (1, [stale.full_name])
    stale.refresh_from_db()
    assert stale.description == "Detects zebrafish in tanks."
    assert (stale.license, stale.tags, stale.pipeline_tag) == (
        "mit",
        ["vision"],
        "image-classification",
    )
    assert found("zebrafish")
    if on_sqlite():  # no full-text document: the description is what matches
        assert report["search_documents"] == 0
        assert any("no full-text index" in note for note in report["notes"])
        assert not found("quokka")
    else:  # the card text beyond the description is in the document again
        assert report["search_documents"] == 1
        assert found("quokka")
    assert reindex(stale.full_name)["changed"] == []  # idempotent


def test_facet_counts_are_refreshed_only_where_a_cache_is_shared(stale, settings):
    report = reindex("--all")
    assert report["facet_counts_refreshed"] is False
    assert any("No shared cache" in note for note in report["notes"])
    settings.HUB_SHARED_CACHE = True
    report = reindex("--all")
    assert report["facet_counts_refreshed"] is True
    assert not any("No shared cache" in note for note in report["notes"])


def test_a_namespace_scope_leaves_other_repos_alone(stale, stranger):
    other = make_repo(stranger, "elsewhere")
    ModelRepo.objects.filter(pk=other.pk).update(description="stale words")
    assert reindex(stale.namespace.name)["repos"] == 1
    other.refresh_from_db()
    assert other.description == "stale words"
    out = io.StringIO()
    call_command("hub_reindex", stale.full_name, stdout=out)
    assert "Reindexed 1 repos" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "or --all"),
        (("x", "--all"), "or --all"),
        (("nobody/none",), "There is no repo"),
        (("a//b",), "neither a repo"),
    ],
)
def test_bad_targets_are_refused(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("hub_reindex", *args, stdout=io.StringIO())
