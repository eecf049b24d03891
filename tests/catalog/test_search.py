"""Catalog search in hub/: the document, text queries, FilterSet, facets, trending."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from celery.signals import before_task_publish
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone

from hub.catalog import facets as catalog_filters
from hub.catalog.facets import repo_catalog_counts, repo_facets_visible
from hub.catalog.filters import ModelRepoFilter
from hub.catalog.models import ModelRepo, RepoDailyStat
from hub.catalog.search import card_description, repo_id_text, repo_search
from hub.catalog.services.repos import (
    repo_create_with_license,
    repo_move,
    repo_record_download,
)
from hub.catalog.visibility import repo_list_visible
from tests.factories import commit_files, make_org, make_repo, namespace_of
from workers.tasks import recompute_trending, refresh_facets


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def found(text: str, user=None) -> set[str]:
    qs = repo_search(repo_list_visible(user=user), text)
    return {repo.full_name for repo in qs}


# The document ----------------------------------------------------------------------


def test_description_is_the_first_prose_paragraph():
    body = """
# Llama Code

[![badge](https://img.shields.io/x.svg)](https://x)
<!-- a comment
spanning lines -->
<p align="center"><img src="logo.png"></p>

| table | row |
|---|---|

A **code** model fine-tuned from [Llama](https://example.com/llama) for
`Python`.

Second paragraph.
"""
    assert card_description(body) == "A code model fine-tuned from Llama for Python."
    assert card_description("```\ncode first\n```\n\nThen prose.") == "Then prose."
    assert card_description("") == ""
    long = card_description("word " * 200)
    assert len(long) <= 300 and long.endswith("…")


def test_id_text_splits_names_into_words():
    assert repo_id_text("meta-llama", "Llama-2-7b_hf") == (
        "meta-llama Llama-2-7b_hf meta llama Llama 2 7b hf"
    )


@pytest.mark.postgres  # the search document is a tsvector
def test_commit_to_main_sets_description_and_search_document(owner):
    repo = make_repo(owner, "doc-model")
    commit_files(
        repo,
        {
            "README.md": b"---\nlicense: mit\n---\n# Title\n\nFirst paragraph here."
            b"\n\nLater text mentions photosynthesis.\n"
        },
    )
    repo.refresh_from_db()

    assert repo.description == "First paragraph here."
    assert found("photosynthesis") == {"owner/doc-model"}
    assert found("paragraph") == {"owner/doc-model"}

    # A commit that drops the README clears both.
    from hub.catalog.services.commits import commit_create
    from hub.catalog.services.operations import DeleteFile

    commit_create(
        repo=repo, operations=[DeleteFile("README.md")], title="rm", author=owner
    )
    repo.refresh_from_db()
    assert repo.description == ""
    assert found("photosynthesis") == set()
    assert found("doc-model") == {"owner/doc-model"}


def test_commit_to_another_branch_leaves_the_document(owner):
    from hub.catalog.services.refs import branch_create

    repo = make_repo(owner, "branchy")
    commit_files(repo, {"README.md": b"Original words.\n"})
    branch_create(repo=repo, name="dev")
    commit_files(repo, {"README.md": b"Replaced vocabulary.\n"}, revision="dev")

    assert found("original") == {"owner/branchy"}
    assert found("vocabulary") == set()


def test_rename_and_move_refresh_the_id_words_only(owner):
    org = make_org("newhome", creator=owner)
    repo = make_repo(owner, "oldname")
    commit_files(repo, {"README.md": b"Keeps its zebrafish text.\n"})

    repo_move(repo=repo, namespace=namespace_of(org), name="shinyname")

    assert found("shinyname") == {"newhome/shinyname"}
    assert found("newhome") == {"newhome/shinyname"}
    assert found("oldname") == set()
    assert found("zebrafish") == {"newhome/shinyname"}


def test_repo_created_with_a_license_declares_it(owner):
    repo = repo_create_with_license(
        namespace=namespace_of(owner),
        name="licensed",
        creator=owner,
        license_id="apache-2.0",
    )
    repo.refresh_from_db()
    assert repo.license == "apache-2.0"
    assert repo.card_data == {"license": "apache-2.0"}


# Text queries ----------------------------------------------------------------------


def test_search_never_widens_the_visible_set(owner, stranger):
    make_repo(owner, "visible-one")
    hidden = make_repo(owner, "hidden-one", is_private=True)
    commit_files(hidden, {"README.md": b"Unicorn content.\n"})

    assert found("unicorn", user=stranger) == set()
    assert found("hidden", user=stranger) == set()
    assert found("unicorn", user=owner) == {"owner/hidden-one"}
    assert found("one", user=stranger) == {"owner/visible-one"}


@pytest.mark.postgres  # pg_trgm similarity
def test_similar_names_and_empty_queries(owner):
    make_repo(owner, "mistral-instruct")
    make_repo(owner, "bert-base")

    assert found("mistrl") == {"owner/mistral-instruct"}
    assert found("   ") == {"owner/mistral-instruct", "owner/bert-base"}
    assert found("owner/bert-base") == {"owner/bert-base"}


# FilterSet -------------------------------------------------------------------------


def test_filterset_orders_by_default_and_validates(owner):
    a = make_repo(owner, "a")
    b = make_repo(owner, "b")
    ModelRepo.objects.filter(pk=a.pk).update(trending_score=5)

    good = ModelRepoFilter(QueryDict(""), queryset=repo_list_visible(user=None))
    assert good.is_valid()
    assert [r.pk for r in good.qs] == [a.pk, b.pk]

    bad = ModelRepoFilter(
        QueryDict("sort=size&license_term=cheap&task=nope&license=zzz"),
        queryset=repo_list_visible(user=None),
    )
    assert not bad.is_valid()
    assert set(bad.errors) == {"sort", "license_term", "task", "license"}


# Facets ----------------------------------------------------------------------------


def test_facets_count_the_given_set_only(owner, stranger):
    for name, license_id, tags in [
        ("one", "mit", ["x", "y"]),
        ("two", "mit", ["y"]),
        ("three", "apache-2.0", []),
    ]:
        repo = make_repo(owner, name)
        commit_files(
            repo,
            {"README.md": f"---\nlicense: {license_id}\ntags: {tags}\n---\n".encode()},
        )
    secret = make_repo(owner, "secret", is_private=True)
    commit_files(secret, {"README.md": b"---\nlicense: gpl-3.0\ntags: [z]\n---\n"})

    _, counts = repo_catalog_counts(
        queryset=repo_list_visible(user=stranger), facets=["license", "tags"]
    )
    assert counts == {
        "license": [("mit", 2), ("apache-2.0", 1)],
        "tags": [("y", 2), ("x", 1)],
    }

    filterset = ModelRepoFilter(QueryDict(""), queryset=repo_list_visible(user=owner))
    assert filterset.is_valid()
    for user, expected in [
        (AnonymousUser(), {"mit": 2, "apache-2.0": 1}),
        (stranger, {"mit": 2, "apache-2.0": 1}),
        (owner, {"mit": 2, "apache-2.0": 1, "gpl-3.0": 1}),
        (AnonymousUser(), {"mit": 2, "apache-2.0": 1}),  # cached public part
    ]:
        result = repo_facets_visible(
            filterset=filterset, user=user, token=None, facets=["license"], total=True
        )
        assert {r["value"]: r["count"] for r in result.facets["license"]} == expected
        assert result.total == sum(expected.values())


@pytest.fixture
def published():
    """Names and arguments of the Celery tasks sent (to the real broker)."""
    sent: list[tuple[str, list]] = []

    def record(sender=None, body=None, **_):
        sent.append((sender, list(body[0])))

    before_task_publish.connect(record, weak=False)
    yield sent
    before_task_publish.disconnect(record)


def _licenses(result) -> dict[str, int]:
    return {r["value"]: r["count"] for r in result.facets["license"]}


def _catalog_counts(params: str = ""):
    filterset = ModelRepoFilter(
        QueryDict(params), queryset=repo_list_visible(user=None)
    )
    assert filterset.is_valid()
    return repo_facets_visible(
        filterset=filterset, user=None, token=None, facets=["license"], total=True
    )


def _mit_repo(owner, name):
    repo = make_repo(owner, name)
    commit_files(repo, {"README.md": b"---\nlicense: mit\n---\n"})
    return repo


def test_stale_counts_are_served_while_a_worker_refreshes_them(
    owner, settings, monkeypatch, published, django_capture_on_commit_callbacks
):
    settings.HUB_SHARED_CACHE = True
    _mit_repo(owner, "one")
    assert _licenses(_catalog_counts("license=mit")) == {"mit": 1}
    _mit_repo(owner, "two")
    # Fresh: the cached counts answer.
    assert _catalog_counts("license=mit").total == 1
    assert published == []

    monkeypatch.setattr(catalog_filters, "FACET_FRESH_SECONDS", -1)
    with django_capture_on_commit_callbacks(execute=True):
        stale = _catalog_counts("license=mit")
        again = _catalog_counts("license=mit")
    # Stale counts are still served at once; one refresh is sent, not two.
    assert (stale.total, again.total) == (1, 1)
    assert published == [
        ("catalog.refresh_facets", [{"license": ["mit"]}, ["license", "_total"]])
    ]

    # The worker's task recomputes them; the next request reads the new ones.
    assert refresh_facets(*published[0][1]) is True
    monkeypatch.setattr(catalog_filters, "FACET_FRESH_SECONDS", 60)
    result = _catalog_counts("license=mit")
    assert (_licenses(result), result.total) == ({"mit": 2}, 2)


def test_without_a_shared_cache_stale_counts_are_recomputed_in_the_request(
    owner, settings, monkeypatch, published, django_capture_on_commit_callbacks
):
    settings.HUB_SHARED_CACHE = False
    _mit_repo(owner, "one")
    assert _catalog_counts().total == 1
    _mit_repo(owner, "two")
    monkeypatch.setattr(catalog_filters, "FACET_FRESH_SECONDS", -1)
    with django_capture_on_commit_callbacks(execute=True):
        result = _catalog_counts()
    assert (_licenses(result), result.total) == ({"mit": 2}, 2)
    assert published == []


def test_beat_keeps_the_whole_catalogs_counts_cached(
    owner, settings, django_assert_num_queries
):
    schedule = settings.CELERY_BEAT_SCHEDULE["catalog-facets"]
    assert schedule["task"] == "catalog.refresh_facets"
    _mit_repo(owner, "one")
    assert refresh_facets() is False  # no shared cache: nothing to refresh
    settings.HUB_SHARED_CACHE = True
    assert refresh_facets() is True  # as beat sends it: no arguments
    with django_assert_num_queries(0):
        result = _catalog_counts()
    assert (_licenses(result), result.total) == ({"mit": 1}, 1)


def test_refresh_of_a_query_that_became_invalid_caches_nothing(owner, settings):
    settings.HUB_SHARED_CACHE = True
    assert refresh_facets({"license": ["no-such-license"]}, ["license"]) is False


# Trending --------------------------------------------------------------------------


def test_recompute_trending_task_scores_the_last_seven_days(owner):
    hot = make_repo(owner, "hot")
    cold = make_repo(owner, "cold")
    old = make_repo(owner, "old")
    today = timezone.now().astimezone(UTC).date()
    RepoDailyStat.objects.create(repo=hot, day=today, downloads=10, likes=2)
    RepoDailyStat.objects.create(
        repo=hot, day=today - timedelta(days=6), downloads=5, likes=0
    )
    RepoDailyStat.objects.create(
        repo=old, day=today - timedelta(days=7), downloads=100, likes=0
    )
    repo_record_download(repo=cold)

    assert recompute_trending() == 2  # "old" keeps its 0: not written

    scores = dict(ModelRepo.objects.values_list("name", "trending_score"))
    assert scores == {"hot": 17.0, "cold": 1.0, "old": 0.0}
    assert recompute_trending() == 0  # nothing changed, nothing written
    # A score whose days left the window falls back to 0.
    ModelRepo.objects.filter(pk=old.pk).update(trending_score=100.0)
    assert recompute_trending() == 1
    assert ModelRepo.objects.get(pk=old.pk).trending_score == 0.0
    visible = ModelRepoFilter(
        QueryDict("sort=trending"), queryset=repo_list_visible(user=None)
    ).qs
    assert [r.name for r in visible] == ["hot", "cold", "old"]
