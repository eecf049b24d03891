"""The models page: the API's FilterSet, facet counts, sorts and pages."""

from __future__ import annotations

import pytest

from tests.factories import commit_files, make_repo

pytestmark = pytest.mark.django_db


def _card(license_id: str, task: str, library: str = "transformers") -> bytes:
    return (
        f"---\nlicense: {license_id}\npipeline_tag: {task}\n"
        f"library_name: {library}\n---\n\n# Model\n"
    ).encode()


@pytest.fixture
def catalog(owner):
    for name, license_id, task in (
        ("code-llama", "apache-2.0", "text-generation"),
        ("chat-llama", "cc-by-nc-4.0", "text-generation"),
        ("vision-net", "mit", "image-classification"),
    ):
        repo = make_repo(owner, name)
        commit_files(repo, {"README.md": _card(license_id, task)}, author=owner)
    hidden = make_repo(owner, "hidden-llama", is_private=True)
    commit_files(hidden, {"README.md": _card("mit", "text-generation")}, author=owner)


def test_filters_facets_and_counts(client, catalog):
    html = client.get("/models?task=text-generation").content.decode()
    assert "owner/code-llama" in html and "owner/chat-llama" in html
    assert "owner/vision-net" not in html
    assert "owner/hidden-llama" not in html
    assert "2 models" in html
    # The license facet counts the filtered, visible set.
    assert 'href="/models?task=text-generation&amp;license=apache-2.0"' in html


def test_license_term_filter_finds_commercial_models(client, catalog):
    html = client.get(
        "/models?task=text-generation&license_term=commercial"
    ).content.decode()
    assert "owner/code-llama" in html
    assert "owner/chat-llama" not in html


def test_search_text_and_sort_are_kept_in_links(client, catalog):
    html = client.get("/models?search=llama&sort=likes").content.decode()
    assert "owner/code-llama" in html and "owner/vision-net" not in html
    assert 'value="likes" selected' in html
    assert "search=llama" in html and "sort=likes" in html


def test_invalid_values_are_reported(client, catalog):
    response = client.get("/models?license=not-a-license")
    assert response.status_code == 200
    assert "Unknown license id" in response.content.decode()


def test_private_models_show_for_their_owner(client, owner, catalog):
    client.force_login(owner)
    assert "owner/hidden-llama" in client.get("/models").content.decode()


def test_models_page_query_count(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/models?task=text-generation&license_term=commercial")
    assert response.status_code == 200


def test_pagination(client, owner):
    for n in range(35):
        make_repo(owner, f"m{n}")
    html = client.get("/models?sort=created").content.decode()
    assert "Page 1 of 2" in html
    assert 'href="/models?sort=created&amp;page=2"' in html
    assert "owner/m0" in client.get("/models?sort=created&page=2").content.decode()
