"""The license catalog: term flags, filters, ids with dots."""

from __future__ import annotations

from hub.licenses.models import License
from tests.api.v1.fixtures_resources import client_for, no_throttle  # noqa: F401


def test_license_list_shows_term_flags(db):
    response = client_for().get("/api/v1/licenses", {"limit": "100"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == License.objects.count()
    apache = next(item for item in body["results"] if item["id"] == "apache-2.0")
    assert apache["allows_commercial_use"] is True
    assert apache["requires_attribution"] is True
    assert apache["kind"] == "spdx"


def test_licenses_filter_by_term_flag(db):
    response = client_for().get(
        "/api/v1/licenses", {"allows_commercial_use": "true", "limit": "100"}
    )

    ids = {item["id"] for item in response.json()["results"]}
    expected = set(
        License.objects.filter(allows_commercial_use=True).values_list("id", flat=True)
    )
    assert ids == expected
    assert "apache-2.0" in ids
    assert "cc-by-nc-4.0" not in ids


def test_licenses_filter_by_kind_and_several_flags(db):
    response = client_for().get(
        "/api/v1/licenses",
        {"kind": "model", "has_use_restrictions": "true", "limit": "100"},
    )

    results = response.json()["results"]
    assert results
    assert all(i["kind"] == "model" and i["has_use_restrictions"] for i in results)


def test_license_list_query_count(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client_for().get("/api/v1/licenses", {"limit": "100"})

    assert len(response.json()["results"]) == License.objects.count()


def test_license_detail_with_a_dot_in_its_id(db):
    response = client_for().get("/api/v1/licenses/llama3.1")

    assert response.status_code == 200
    assert response.json()["id"] == "llama3.1"
    assert response["ETag"]
    again = client_for().get(
        "/api/v1/licenses/llama3.1", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_unknown_license_is_404_in_the_error_shape(db):
    response = client_for().get("/api/v1/licenses/no-such-license")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "no-such-license" in response.json()["error"]["message"]
