"""/api/v1/models search, filters, sorts, cursors and facet counts."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest
import yaml
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from api.v1.throttling import IpRateThrottle, TokenRateThrottle
from hub.accounts.models import User
from hub.accounts.services import token_create
from hub.catalog.models import ModelRepo
from hub.catalog.services.repos import repo_update_settings
from tests.factories import commit_files, make_org, make_repo, make_user

LIST = "/api/v1/models"


def card(body: str = "", **meta: Any) -> bytes:
    front = yaml.safe_dump(meta, sort_keys=True) if meta else ""
    return f"---\n{front}---\n{body}".encode()


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def facet(response: Any, name: str) -> dict[str, int]:
    return {row["value"]: row["count"] for row in response.json()["facets"][name]}


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    cache.clear()
    monkeypatch.setattr(IpRateThrottle, "allow_request", lambda *a, **k: True)
    monkeypatch.setattr(TokenRateThrottle, "allow_request", lambda *a, **k: True)
    yield
    cache.clear()


@pytest.fixture
def client() -> APIClient:
    return APIClient()


@pytest.fixture
def catalog(db) -> dict[str, ModelRepo]:
    """Five public models with distinct cards, and a private one."""
    author = make_user("maya")
    org = make_org("acme", creator=author)
    specs: dict[str, dict[str, Any]] = {
        "maya/llama-code-7b": dict(
            body="A code model.\n\nIt completes Python functions.\n",
            license="apache-2.0",
            pipeline_tag="text-generation",
            library_name="transformers",
            tags=["code", "llama"],
            language=["en"],
            base_model=["meta/llama-7b"],
        ),
        "maya/sentiment-bert": dict(
            body="Classifies the sentiment of reviews.\n",
            license="mit",
            pipeline_tag="text-classification",
            library_name="transformers",
            tags=["sentiment"],
            language=["en", "fr"],
        ),
        "acme/whisper-small-fr": dict(
            body="Speech recognition for French.\n",
            license="cc-by-nc-4.0",
            pipeline_tag="automatic-speech-recognition",
            library_name="transformers",
            tags=["audio"],
            language=["fr"],
        ),
        "acme/diffusion-art": dict(
            body="Paintings from text.\n",
            license="creativeml-openrail-m",
            pipeline_tag="text-to-image",
            library_name="diffusers",
            tags=["art"],
        ),
        "acme/plain": dict(body="Nothing declared.\n"),
    }
    repos = {}
    for repo_id, spec in specs.items():
        namespace, name = repo_id.split("/")
        owner = author if namespace == "maya" else org
        repo = make_repo(owner, name, creator=author)
        body = spec.pop("body")
        commit_files(repo, {"README.md": card(body, **spec)})
        repos[repo_id] = repo
    hidden = make_repo(org, "hidden-code", creator=author, is_private=True)
    commit_files(
        hidden, {"README.md": card("code", license="apache-2.0", tags=["code"])}
    )
    repos["acme/hidden-code"] = hidden
    return repos


# Search and filters ---------------------------------------------------------------


def test_search_finds_ids_and_descriptions_on_every_database(catalog, client):
    """What search promises on SQLite too (the embedded default): the id, its
    namespace, a word of the description; never a private repo."""
    assert ids(client.get(LIST, {"search": "acme/whisper-small-fr"})) == [
        "acme/whisper-small-fr"
    ]
    assert set(ids(client.get(LIST, {"search": "acme"}))) == {
        "acme/whisper-small-fr",
        "acme/diffusion-art",
        "acme/plain",
    }
    assert ids(client.get(LIST, {"search": "paintings"})) == ["acme/diffusion-art"]
    assert ids(client.get(LIST, {"search": "sentiment"})) == ["maya/sentiment-bert"]


@pytest.mark.postgres  # full text: card text, stemming, web-search syntax
def test_search_full_text_over_id_description_and_card_text(catalog, client):
    assert ids(client.get(LIST, {"search": "python"})) == ["maya/llama-code-7b"]
    assert ids(client.get(LIST, {"search": "reviews"})) == ["maya/sentiment-bert"]
    # Stemming: "classify" finds "Classifies".
    assert ids(client.get(LIST, {"search": "classify"})) == ["maya/sentiment-bert"]
    # The id, as written or in parts.
    assert ids(client.get(LIST, {"search": "acme/whisper-small-fr"})) == [
        "acme/whisper-small-fr"
    ]
    assert set(ids(client.get(LIST, {"search": "acme"}))) == {
        "acme/whisper-small-fr",
        "acme/diffusion-art",
        "acme/plain",
    }
    # Web-search syntax: exclusion.
    assert ids(client.get(LIST, {"search": "code -python"})) == []


@pytest.mark.postgres  # pg_trgm similarity
def test_search_matches_names_by_similarity(catalog, client):
    assert ids(client.get(LIST, {"search": "lama"})) == ["maya/llama-code-7b"]
    assert ids(client.get(LIST, {"search": "whispr"})) == ["acme/whisper-small-fr"]


def test_filters_by_author_task_library_language_base_model_and_gated(catalog, client):
    assert set(ids(client.get(LIST, {"author": "ACME"}))) == {
        "acme/whisper-small-fr",
        "acme/diffusion-art",
        "acme/plain",
    }
    assert ids(client.get(LIST, {"task": "text-classification"})) == [
        "maya/sentiment-bert"
    ]
    assert ids(client.get(LIST, {"library": "diffusers"})) == ["acme/diffusion-art"]
    assert set(ids(client.get(LIST, {"language": "fr"}))) == {
        "maya/sentiment-bert",
        "acme/whisper-small-fr",
    }
    assert ids(client.get(f"{LIST}?language=fr&language=en")) == ["maya/sentiment-bert"]
    assert ids(client.get(LIST, {"base_model": "meta/llama-7b"})) == [
        "maya/llama-code-7b"
    ]
    repo_update_settings(repo=catalog["acme/plain"], gated="auto")
    assert ids(client.get(LIST, {"gated": "true"})) == ["acme/plain"]
    assert "acme/plain" not in ids(client.get(LIST, {"gated": "false"}))


def test_license_filter_is_repeatable_and_tags_must_all_match(catalog, client):
    assert set(ids(client.get(f"{LIST}?license=mit&license=apache-2.0"))) == {
        "maya/llama-code-7b",
        "maya/sentiment-bert",
    }
    assert ids(client.get(f"{LIST}?tag=code&tag=llama")) == ["maya/llama-code-7b"]
    assert ids(client.get(f"{LIST}?tag=code&tag=sentiment")) == []


def test_license_terms_come_from_the_license_catalog(catalog, client):
    # cc-by-nc-4.0 forbids commercial use; openrail-m allows it, with use
    # restrictions.
    commercial = set(ids(client.get(LIST, {"license_term": "commercial"})))
    assert commercial == {
        "maya/llama-code-7b",
        "maya/sentiment-bert",
        "acme/diffusion-art",
    }
    both = client.get(
        f"{LIST}?license_term=commercial&license_term=no_use_restrictions"
    )
    assert set(ids(both)) == {"maya/llama-code-7b", "maya/sentiment-bert"}
    # A repo without a license has no terms at all.
    assert "acme/plain" not in ids(client.get(LIST, {"license_term": "derivatives"}))


def test_three_facet_filter_combines(catalog, client):
    response = client.get(
        LIST,
        {"license": "apache-2.0", "task": "text-generation", "library": "transformers"},
    )
    assert ids(response) == ["maya/llama-code-7b"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"gated": "maybe"}, "gated"),
        ({"sort": "stars"}, "sort"),
        ({"task": "making-coffee"}, "task"),
        ({"license": "apache2"}, "license"),
        ({"license_term": "free-beer"}, "license_term"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"search": "x" * 300}, "search"),
    ],
)
def test_bad_filter_value_is_a_400_in_the_error_shape(catalog, client, params, field):
    response = client.get(LIST, params)

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "invalid"
    assert body["error"]["message"].startswith(f"{field}: ")
    assert field in body["error"]["details"]


# Sorts and cursors -------------------------------------------------------------


def _set_counters(repos: dict[str, ModelRepo], **values: list[float]) -> None:
    for field, numbers in values.items():
        for repo, number in zip(repos.values(), numbers, strict=False):
            ModelRepo.objects.filter(pk=repo.pk).update(**{field: number})


def test_sorts_are_descending_with_newest_id_as_tiebreaker(catalog, client):
    _set_counters(
        catalog,
        downloads=[5, 50, 5, 0, 7],
        likes=[1, 0, 3, 2, 0],
        trending_score=[0.5, 9.0, 0.5, 3.0, 0.0],
    )
    public = [r for r in catalog if r != "acme/hidden-code"]

    by_downloads = ids(client.get(LIST, {"sort": "downloads"}))
    assert by_downloads == [
        "maya/sentiment-bert",
        "acme/plain",
        "acme/whisper-small-fr",  # 5, newer than llama-code-7b
        "maya/llama-code-7b",
        "acme/diffusion-art",
    ]
    assert ids(client.get(LIST, {"sort": "likes"}))[:2] == [
        "acme/whisper-small-fr",
        "acme/diffusion-art",
    ]
    # trending is the default sort.
    assert ids(client.get(LIST)) == ids(client.get(LIST, {"sort": "trending"}))
    assert ids(client.get(LIST))[:2] == ["maya/sentiment-bert", "acme/diffusion-art"]
    assert ids(client.get(LIST, {"sort": "created"})) == list(reversed(public))
    # updated: the last commit; a new commit moves a repo to the top.
    # (Commit times have whole seconds: age the others first.)
    ModelRepo.objects.update(last_commit_at=timezone.now() - timedelta(days=1))
    commit_files(catalog["maya/llama-code-7b"], {"notes.txt": b"x"})
    assert ids(client.get(LIST, {"sort": "updated"}))[0] == "maya/llama-code-7b"


@pytest.mark.parametrize(
    "sort", ["trending", "downloads", "likes", "updated", "created"]
)
def test_cursor_pages_cover_everything_once_and_link_back(db, client, sort):
    owner = make_user("pager")
    repos = [make_repo(owner, f"m{i:02d}") for i in range(23)]
    # Many ties (0 and 1) so that the tiebreaker decides.
    for i, repo in enumerate(repos):
        ModelRepo.objects.filter(pk=repo.pk).update(
            downloads=i % 2, likes=i % 3, trending_score=float(i % 2)
        )

    pages, url = [], f"http://testserver{LIST}?sort={sort}&limit=5"
    while url:
        body = client.get(url).json()
        pages.append([item["id"] for item in body["results"]])
        url = body["next"]
        if url:
            assert url.startswith("http://testserver/api/v1/models?")
    seen = [repo_id for page in pages for repo_id in page]

    assert len(seen) == 23 == len(set(seen))
    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]
    assert seen == ids(client.get(LIST, {"sort": sort, "limit": 100}))
    # previous of page 3 is page 2, of page 2 is page 1.
    page2 = client.get(f"{LIST}?sort={sort}&limit=5").json()["next"]
    page3 = client.get(page2).json()["next"]
    back = client.get(page3).json()["previous"]
    assert [i["id"] for i in client.get(back).json()["results"]] == pages[1]
    back_to_first = client.get(back).json()["previous"]
    first = client.get(back_to_first).json()
    assert [i["id"] for i in first["results"]] == pages[0]


def test_cursor_is_stable_under_inserts_and_deletes(db, client):
    owner = make_user("stable")
    repos = [make_repo(owner, f"s{i:02d}") for i in range(12)]
    first = client.get(LIST, {"limit": 4}).json()
    make_repo(owner, "newcomer")  # newest: sorts before the cursor
    ModelRepo.objects.filter(pk=repos[5].pk).delete()  # on a later page
    rest = []
    url = first["next"]
    while url:
        body = client.get(url).json()
        rest += [item["id"] for item in body["results"]]
        url = body["next"]
    seen = [item["id"] for item in first["results"]] + rest

    assert len(seen) == len(set(seen)) == 11
    assert "stable/newcomer" not in seen
    assert "stable/s05" not in seen


def test_cursor_of_another_sort_is_refused(db, client):
    owner = make_user("mixer")
    for i in range(3):
        make_repo(owner, f"x{i}")
    nxt = client.get(LIST, {"limit": 1, "sort": "downloads"}).json()["next"]
    cursor = nxt.split("cursor=")[1]

    response = client.get(LIST, {"cursor": cursor, "sort": "likes"})

    assert response.status_code == 400
    assert response.json()["error"]["details"]["cursor"]
    forged = base64.urlsafe_b64encode(
        json.dumps({"s": "trending", "v": "NaN-ish", "i": 1, "r": 0}).encode()
    ).decode()
    assert client.get(LIST, {"cursor": forged}).status_code == 400


def test_sams_journey_license_and_trending_with_a_token(catalog, client):
    sam = make_user("sam")
    secret = token_create(user=sam, name="dashboard")[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for i in range(25):
        repo = make_repo(sam, f"apache-{i:02d}")
        commit_files(repo, {"README.md": card(license="apache-2.0")})
        ModelRepo.objects.filter(pk=repo.pk).update(trending_score=float(i % 4))

    seen, url = [], f"{LIST}?license=apache-2.0&sort=trending&limit=10"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        body = response.json()
        seen += [(i["id"], i["trending_score"]) for i in body["results"]]
        assert all(i["license"] == "apache-2.0" for i in body["results"])
        url = body["next"]

    assert len(seen) == 26  # 25 + maya/llama-code-7b; not acme/hidden-code
    assert [s for _, s in seen] == sorted((s for _, s in seen), reverse=True)
    # Stable JSON: the same request gives the same bytes.
    again = client.get(f"{LIST}?license=apache-2.0&sort=trending&limit=10")
    assert (
        again.content
        == client.get(f"{LIST}?license=apache-2.0&sort=trending&limit=10").content
    )


# Facets ------------------------------------------------------------------------


def test_facet_counts_over_the_filtered_visible_set(catalog, client):
    everything = client.get(LIST, {"facets": "all"})
    assert facet(everything, "license") == {
        "apache-2.0": 1,
        "mit": 1,
        "cc-by-nc-4.0": 1,
        "creativeml-openrail-m": 1,
    }
    assert facet(everything, "task")["text-generation"] == 1
    assert facet(everything, "library") == {"transformers": 3, "diffusers": 1}
    assert facet(everything, "language") == {"en": 2, "fr": 2}
    assert facet(everything, "tags") == {
        "code": 1,
        "llama": 1,
        "sentiment": 1,
        "audio": 1,
        "art": 1,
    }
    # Most frequent first, then by value.
    assert [r["value"] for r in everything.json()["facets"]["library"]] == [
        "transformers",
        "diffusers",
    ]

    filtered = client.get(LIST, {"library": "transformers", "facets": "license,task"})
    assert facet(filtered, "license") == {"apache-2.0": 1, "mit": 1, "cc-by-nc-4.0": 1}
    assert set(filtered.json()["facets"]) == {"license", "task"}


def test_facet_counts_include_private_repos_the_caller_may_see(catalog, client):
    maya = User.objects.get(username="maya")
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {token_create(user=maya, name='t')[1]}"
    )

    response = client.get(LIST, {"facets": "license,tags", "tag": "code"})

    assert set(ids(response)) == {"maya/llama-code-7b", "acme/hidden-code"}
    assert facet(response, "license") == {"apache-2.0": 2}
    assert facet(response, "tags") == {"code": 2, "llama": 1}


def test_tags_facet_returns_the_30_most_frequent(db, client):
    owner = make_user("tagger")
    for i in range(3):
        repo = make_repo(owner, f"t{i}")
        tags = [f"tag-{n:02d}" for n in range(40)] + ["everywhere"]
        commit_files(repo, {"README.md": card(tags=tags[i:])})

    rows = client.get(LIST, {"facets": "tags"}).json()["facets"]["tags"]

    assert len(rows) == 30
    assert rows[0] == {"value": "everywhere", "count": 3}


def test_min_rating_with_facets_is_counted_not_a_500(catalog, client):
    response = client.get(LIST, {"min_rating": "4", "facets": "license"})
    assert response.status_code == 200, response.content
    assert response.json()["facets"]["license"] == []
