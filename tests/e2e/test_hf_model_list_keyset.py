"""``list_models()`` of the real client walks the catalog by keyset pages.

hf-protocol.md 2.5, issue 17: the client follows the ``Link: <...>;
rel="next"`` header; the cursor in it is opaque and signed, each page is an
index range after the last row shown (same cost at any depth), and a walk
neither repeats nor skips a repo that existed when it started, while repos
are created meanwhile. Pages of 7 rows here (the hub's is 100), so a few
dozen repos make many pages.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import requests

import api.hf.views.models as hf_models
from hub.catalog.models import ModelRepo
from tests.factories import make_repo

PAGE = 7

# The client's sort names, and the repo column (or key) each one orders by.
CLIENT_SORTS = {
    "trending_score": lambda r: r.trending_score,
    "downloads": lambda r: r.downloads,
    "likes": lambda r: r.likes,
    "last_modified": lambda r: r.last_commit_at or r.created_at,
    "created_at": lambda r: r.created_at,
}


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(hf_models, "MODELS_PAGE_SIZE", PAGE)


@pytest.fixture
def catalog(maya) -> list[ModelRepo]:
    """40 repos of maya's with many ties in every sort key."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    repos = [make_repo(maya[0], f"walk-{number:02d}") for number in range(40)]
    for number, repo in enumerate(repos):
        ModelRepo.objects.filter(pk=repo.pk).update(
            downloads=number % 4 * 10,
            likes=number % 3,
            trending_score=float(number % 5) / 2,
            # Ties of four, and a quarter never committed (created_at counts).
            last_commit_at=None
            if number % 4 == 0
            else start + timedelta(hours=number // 4),
            pipeline_tag="text-generation" if number % 2 else "fill-mask",
            tags=["walk-tag"] if number % 3 else [],
        )
    return list(ModelRepo.objects.filter(pk__in=[r.pk for r in repos]))


def expected(repos: list[ModelRepo], sort: str) -> list[str]:
    key = CLIENT_SORTS[sort]
    ordered = sorted(repos, key=lambda r: (key(r), r.pk), reverse=True)
    return [f"maya/{r.name}" for r in ordered]


def test_list_models_walks_every_sort_in_order_across_pages(api, catalog, small_pages):
    for sort in CLIENT_SORTS:
        listed = [m.id for m in api.list_models(author="maya", sort=sort)]

        assert listed == expected(catalog, sort), sort


def test_list_models_with_search_and_filters_pages_in_order(api, catalog, small_pages):
    chosen = [
        r
        for r in catalog
        if r.pipeline_tag == "text-generation" and r.tags == ["walk-tag"]
    ]
    assert len(chosen) > PAGE  # several pages

    for sort in CLIENT_SORTS:
        listed = [
            m.id
            for m in api.list_models(
                search="walk-",
                filter="walk-tag",
                pipeline_tag="text-generation",
                sort=sort,
            )
        ]

        assert listed == expected(chosen, sort), sort
    # A substring of the id, case-insensitive, of the namespace too; LIKE's
    # wildcards are plain characters.
    assert len(list(api.list_models(search="MAYA"))) == len(catalog)
    assert len(list(api.list_models(search="WALK-0"))) == 10
    assert list(api.list_models(search="walk_")) == []
    assert list(api.list_models(search="%")) == []


def test_walk_neither_repeats_nor_skips_while_repos_are_created(
    api, maya, catalog, small_pages
):
    for sort in CLIENT_SORTS:
        walk = api.list_models(author="maya", sort=sort)
        listed = [next(walk).id for _ in range(PAGE + 3)]  # into the second page
        for number in range(3):
            # New repos at the top, in the ties and at the bottom of each key.
            repo = make_repo(maya[0], f"walk-new-{sort}-{number}")
            ModelRepo.objects.filter(pk=repo.pk).update(
                downloads=[99, 10, 0][number],
                likes=[9, 1, 0][number],
                trending_score=[9.0, 1.0, 0.0][number],
            )
        listed += [m.id for m in walk]

        assert len(listed) == len(set(listed)), sort
        assert set(expected(catalog, sort)) <= set(listed), sort


def test_limit_caps_the_rows_over_all_pages(api, catalog, small_pages):
    assert len(list(api.list_models(author="maya", limit=17))) == 17
    response = requests.get(
        api.endpoint + "/api/models",
        params={"author": "maya", "limit": "17"},
        timeout=30,
    )
    pages = 1
    while "next" in response.links:
        response = requests.get(response.links["next"]["url"], timeout=30)
        pages += 1
    assert pages == 3 and len(response.json()) == 17 - 2 * PAGE


def _next_cursor(hub_url: str, **params: str) -> str:
    response = requests.get(f"{hub_url}/api/models", params=params, timeout=30)
    assert response.status_code == 200
    return parse_qs(urlparse(response.links["next"]["url"]).query)["cursor"][0]


@pytest.mark.parametrize(
    "bad",
    [
        "garbage",
        "1" * 24,
        "x" * 5000,
        "WyJkb3dubG9hZHMiLDAsMSwwXQ",  # the unsigned JSON of a position
    ],
)
def test_a_cursor_the_hub_did_not_give_is_a_clear_400(hub_url, bad):
    response = requests.get(
        f"{hub_url}/api/models", params={"cursor": bad, "sort": "downloads"}, timeout=30
    )

    assert response.status_code == 400
    assert response.headers["X-Error-Message"].startswith(
        "'cursor' must be the cursor of a next link this hub gave out"
    )


def test_an_altered_cursor_or_one_of_another_sort_is_a_400(
    hub_url, catalog, small_pages
):
    cursor = _next_cursor(hub_url, sort="downloads")
    body, _, signature = cursor.rpartition(":")
    altered = f"{body}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"

    for params in (
        {"cursor": altered, "sort": "downloads"},
        {"cursor": cursor, "sort": "likes"},
    ):
        response = requests.get(f"{hub_url}/api/models", params=params, timeout=30)
        assert response.status_code == 400, params
        assert "'cursor' must be" in response.headers["X-Error-Message"]
    good = requests.get(
        f"{hub_url}/api/models",
        params={"cursor": cursor, "sort": "downloads"},
        timeout=30,
    )
    assert good.status_code == 200 and len(good.json()) == PAGE


def test_private_repos_stay_hidden_across_pages_and_owners_cursors(
    hub_url, api, jun, catalog, monkeypatch
):
    from huggingface_hub import HfApi

    monkeypatch.setattr(hf_models, "MODELS_PAGE_SIZE", 3)
    hidden = [
        make_repo(catalog[0].namespace.user, f"secret-{n}", is_private=True)
        for n in range(5)
    ]
    ModelRepo.objects.filter(pk__in=[r.pk for r in hidden]).update(downloads=1000)
    public = expected(catalog, "downloads")

    stranger = HfApi(endpoint=hub_url, token=jun[1])
    assert [m.id for m in stranger.list_models(sort="downloads")] == public
    anonymous = HfApi(endpoint=hub_url, token=False)
    assert [m.id for m in anonymous.list_models(sort="downloads")] == public
    owners = [m.id for m in api.list_models(sort="downloads")]
    assert owners == [f"maya/{r.name}" for r in reversed(hidden)] + public

    # The owner's cursor, taken mid-way through the private rows, shows a
    # stranger only the public rows after that position.
    first = requests.get(
        f"{hub_url}/api/models",
        params={"sort": "downloads"},
        headers={"authorization": f"Bearer {api.token}"},
        timeout=30,
    )
    assert [m["id"] for m in first.json()] == owners[:3]
    cursor = parse_qs(urlparse(first.links["next"]["url"]).query)["cursor"][0]
    page = requests.get(
        f"{hub_url}/api/models",
        params={"sort": "downloads", "cursor": cursor},
        timeout=30,
    )
    assert page.status_code == 200
    assert not {m["id"] for m in page.json()} & {f"maya/{r.name}" for r in hidden}
