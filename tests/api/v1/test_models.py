"""/api/v1/models: list, detail, create, settings, delete; visibility everywhere.

The world: organization ``lab`` (admin ``alice``, read member ``reader``)
holds a public repo and a private one; ``alice`` also has a private repo of
her own. Private names, licenses and tags are distinctive, so a leak shows
up in ids, search results or facet counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from django.core.cache import cache
from rest_framework.test import APIClient

from api.v1.throttling import IpRateThrottle, TokenRateThrottle
from hub.accounts.memberships import membership_set
from hub.accounts.models import Organization, User
from hub.accounts.services import token_create
from hub.catalog.models import ModelRepo, Ref, TreeEntry
from tests.factories import commit_files, make_org, make_repo, make_user

LIST = "/api/v1/models"


def card(body: str = "", **meta: Any) -> bytes:
    """A README.md with ``meta`` as its front matter."""
    front = yaml.safe_dump(meta, sort_keys=True) if meta else ""
    return f"---\n{front}---\n{body}".encode()


def client_for(secret: str | None = None, user: User | None = None) -> APIClient:
    client = APIClient()
    if secret is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    if user is not None:
        client.force_login(user)
    return client


def token_for(user: User, scope: str = "write", **kwargs: Any) -> str:
    return token_create(user=user, name=f"t-{scope}", scope=scope, **kwargs)[1]


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def facet(response: Any, name: str) -> dict[str, int]:
    return {row["value"]: row["count"] for row in response.json()["facets"][name]}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Facet counts of public repos and rate-limit counters live in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_throttle(monkeypatch):
    monkeypatch.setattr(IpRateThrottle, "allow_request", lambda *a, **k: True)
    monkeypatch.setattr(TokenRateThrottle, "allow_request", lambda *a, **k: True)


@dataclass
class World:
    alice: User
    reader: User
    stranger: User
    org: Organization
    public: ModelRepo
    secret: ModelRepo
    diary: ModelRepo


@pytest.fixture
def world(db, no_throttle) -> World:
    alice = make_user("alice")
    reader = make_user("reader")
    stranger = make_user("mallory")
    org = make_org("lab", creator=alice)
    membership_set(organization=org, user=reader, role="read")
    public = make_repo(org, "open-model", creator=alice)
    commit_files(
        public,
        {
            "README.md": card(
                "# Open model\n\nA small model that writes Python code.\n",
                license="apache-2.0",
                tags=["code"],
                language=["en"],
                pipeline_tag="text-generation",
                library_name="transformers",
            )
        },
    )
    secret = make_repo(org, "zz-secret-model", creator=alice, is_private=True)
    commit_files(
        secret,
        {
            "README.md": card(
                "zz confidential weights.\n",
                license="mit",
                tags=["zz-hidden-tag"],
                language=["zz"],
                pipeline_tag="text-generation",
                library_name="zz-hidden-lib",
            )
        },
    )
    diary = make_repo(alice, "zz-diary", is_private=True)
    commit_files(diary, {"README.md": card(license="gpl-3.0", tags=["zz-diary-tag"])})
    return World(alice, reader, stranger, org, public, secret, diary)


# Who sees what ----------------------------------------------------------------

ALL = {"lab/open-model", "lab/zz-secret-model", "alice/zz-diary"}


def actors(world: World) -> dict[str, tuple[APIClient, set[str]]]:
    """Each caller with the repos it may see."""
    restricted = token_for(world.alice, "read", repo_ids=["lab/open-model"])
    return {
        "anonymous": (client_for(), {"lab/open-model"}),
        "stranger": (client_for(token_for(world.stranger)), {"lab/open-model"}),
        "org reader": (
            client_for(token_for(world.reader, "read")),
            {"lab/open-model", "lab/zz-secret-model"},
        ),
        "owner": (client_for(token_for(world.alice)), ALL),
        "owner session": (client_for(user=world.alice), ALL),
        "restricted token": (client_for(restricted), {"lab/open-model"}),
    }


def test_permission_matrix_list_search_facets_and_detail(world):
    for who, (client, visible) in actors(world).items():
        listed = client.get(LIST, {"facets": "all"})
        assert set(ids(listed)) == visible, who
        hidden = ALL - visible
        body = listed.content.decode()
        for repo_id in hidden:
            assert repo_id.split("/")[1] not in body, who

        # Facet counts count exactly the visible repos.
        licenses = facet(listed, "license")
        assert sum(licenses.values()) == len(visible), who
        assert ("mit" in licenses) == ("lab/zz-secret-model" in visible), who
        assert ("gpl-3.0" in licenses) == ("alice/zz-diary" in visible), who
        tags = facet(listed, "tags")
        assert ("zz-hidden-tag" in tags) == ("lab/zz-secret-model" in visible), who
        assert ("zz-hidden-lib" in facet(listed, "library")) == (
            "lab/zz-secret-model" in visible
        ), who
        assert ("zz" in facet(listed, "language")) == (
            "lab/zz-secret-model" in visible
        ), who

        # Search finds hidden repos for nobody who may not see them.
        for query in ("zz", "secret", "confidential", "diary", "zz-secret-model"):
            found = set(ids(client.get(LIST, {"search": query, "facets": "all"})))
            assert found <= visible, (who, query)
        searched = client.get(LIST, {"search": "confidential", "facets": "license"})
        assert set(ids(searched)) == visible & {"lab/zz-secret-model"}, who
        assert sum(facet(searched, "license").values()) == len(set(ids(searched)))

        # Filters that only a hidden repo matches return nothing.
        by_license = client.get(LIST, {"license": "mit"})
        assert set(ids(by_license)) == visible & {"lab/zz-secret-model"}, who

        # Detail: a hidden repo is exactly as missing as a missing one.
        for repo_id in ALL:
            response = client.get(f"{LIST}/{repo_id}")
            if repo_id in visible:
                assert response.status_code == 200, (who, repo_id)
                assert response.json()["id"] == repo_id
            else:
                assert response.status_code == 404, (who, repo_id)
                assert response.json() == {
                    "error": {
                        "code": "repo_not_found",
                        "message": f"Repository {repo_id} not found.",
                        "details": {},
                    }
                }


def test_cached_public_counts_never_carry_private_repos(world):
    owner = client_for(token_for(world.alice))
    first = owner.get(LIST, {"facets": "license,tags"})
    assert facet(first, "license") == {"apache-2.0": 1, "mit": 1, "gpl-3.0": 1}

    # Same query, now served from the cache of public counts.
    anonymous = client_for().get(LIST, {"facets": "license,tags"})
    assert facet(anonymous, "license") == {"apache-2.0": 1}
    assert facet(anonymous, "tags") == {"code": 1}


# List --------------------------------------------------------------------------


def test_list_item_shape_and_dates(world):
    response = client_for().get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"results", "next", "previous", "facets"}
    assert body["facets"] == {}
    (item,) = body["results"]
    assert item == {
        "id": "lab/open-model",
        "namespace": "lab",
        "name": "open-model",
        "private": False,
        "gated": "off",
        "license": "apache-2.0",
        "pipeline_tag": "text-generation",
        "library_name": "transformers",
        "tags": ["code"],
        "language": ["en"],
        "description": "A small model that writes Python code.",
        "downloads": 0,
        "likes": 0,
        "trending_score": 0.0,
        "rating_avg": 0.0,
        "rating_count": 0,
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
        "last_commit_at": item["last_commit_at"],
    }
    for key in ("created_at", "updated_at", "last_commit_at"):
        assert item[key].endswith("Z") and "T" in item[key]


def test_list_query_count_does_not_grow_with_the_page(
    world, django_assert_max_num_queries
):
    for i in range(30):
        make_repo(world.org, f"bulk-{i}", creator=world.alice)
    client = client_for(token_for(world.reader, "read"))
    cache.clear()

    # Token lookup (+ its last-use stamp, and on its first use from this
    # address the note of it and its audit event), the page; then with
    # facets: one GROUP BY per facet over public repos and one query for
    # visible private ones.
    with django_assert_max_num_queries(5):
        response = client.get(LIST, {"limit": "100"})
    assert len(response.json()["results"]) == 32
    with django_assert_max_num_queries(10):
        response = client.get(LIST, {"limit": "100", "facets": "all"})
    assert response.status_code == 200
    # Warm cache: only the visible private repos are counted live.
    with django_assert_max_num_queries(4):
        client.get(LIST, {"limit": "100", "facets": "all"})
    anonymous = client_for()
    with django_assert_max_num_queries(1):
        anonymous.get(LIST, {"limit": "100", "facets": "all"})


def test_unknown_facet_is_a_400(world):
    response = client_for().get(LIST, {"facets": "license,colour"})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "colour" in error["message"]
    assert "facets" in error["details"]


# Detail ------------------------------------------------------------------------


def test_detail_has_license_terms_head_and_checks(world):
    response = client_for().get(f"{LIST}/lab/open-model")

    assert response.status_code == 200
    body = response.json()
    head = Ref.objects.get(repo=world.public, name="main").commit
    assert body["id"] == "lab/open-model"
    assert body["sha"] == head.oid
    assert body["license"]["id"] == "apache-2.0"
    assert body["license"]["name"] == "Apache License 2.0"
    assert body["license"]["flags"]["allows_commercial_use"] is True
    assert body["card_data"]["license"] == "apache-2.0"
    assert body["checks"]["state"] in {"pending", "success", "none"}
    assert set(body["checks"]) >= {"state", "total", "counts", "parameters"}
    assert body["base_model"] == [] and body["datasets"] == []
    assert body["created_at"].endswith("Z")


def test_detail_etag_answers_304_until_the_repo_changes(world):
    client = client_for(token_for(world.alice))
    first = client.get(f"{LIST}/lab/open-model")
    etag = first["ETag"]

    again = client.get(f"{LIST}/lab/open-model", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    weak = client.get(f"{LIST}/lab/open-model", HTTP_IF_NONE_MATCH=f'W/{etag}, "x"')
    assert weak.status_code == 304

    client.patch(f"{LIST}/lab/open-model", {"gated": "auto"})
    changed = client.get(f"{LIST}/lab/open-model", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["gated"] == "auto"


def test_detail_query_count(world, django_assert_max_num_queries):
    client = client_for()
    # 5, plus the rating distribution, the derivatives of license lineage
    # and the storage accounting (two aggregates).
    with django_assert_max_num_queries(9):
        response = client.get(f"{LIST}/lab/open-model")
    assert response.status_code == 200


# Create ------------------------------------------------------------------------


def test_create_in_own_namespace_with_a_license(world):
    client = client_for(token_for(world.stranger))

    response = client.post(
        LIST, {"name": "fresh", "private": True, "license": "apache-2.0"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] == "mallory/fresh"
    assert body["private"] is True
    assert body["license"]["id"] == "apache-2.0"
    assert response["Location"].endswith("/api/v1/models/mallory/fresh")
    repo = ModelRepo.objects.get(namespace__name="mallory", name="fresh")
    assert repo.license == "apache-2.0"
    assert TreeEntry.objects.filter(
        commit__oid=body["sha"], commit__repo=repo, path="README.md"
    ).exists()
    # Private: visible to its owner only.
    assert client.get(f"{LIST}/mallory/fresh").status_code == 200
    assert client_for().get(f"{LIST}/mallory/fresh").status_code == 404


def test_create_in_an_organization_needs_write_role(world):
    reader = client_for(token_for(world.reader))
    admin = client_for(token_for(world.alice))

    denied = reader.post(LIST, {"namespace": "lab", "name": "by-reader"})
    created = admin.post(LIST, {"namespace": "lab", "name": "by-admin"})

    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "forbidden"
    assert created.status_code == 201
    assert created.json()["license"] is None


def test_create_permissions(world):
    anonymous = client_for().post(LIST, {"name": "a1"})
    read_token = client_for(token_for(world.alice, "read")).post(LIST, {"name": "a2"})
    elsewhere = client_for(token_for(world.stranger)).post(
        LIST, {"namespace": "alice", "name": "a3"}
    )
    nowhere = client_for(token_for(world.stranger)).post(
        LIST, {"namespace": "no-such-ns", "name": "a4"}
    )

    assert anonymous.status_code == 401
    assert read_token.status_code == 403
    assert elsewhere.status_code == 403
    assert nowhere.status_code == 403
    assert not ModelRepo.objects.filter(name__in=["a1", "a2", "a3", "a4"]).exists()


def test_create_refuses_unknown_license_and_taken_name(world):
    client = client_for(token_for(world.alice))

    bad = client.post(LIST, {"name": "lic", "license": "apache2"})
    taken = client.post(LIST, {"namespace": "lab", "name": "Open-Model"})
    bad_name = client.post(LIST, {"name": "no/slash"})

    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid"
    assert "apache-2.0" in bad.json()["error"]["details"]["valid_ids"]
    assert not ModelRepo.objects.filter(name="lic").exists()
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "repo_exists"
    assert bad_name.status_code == 400


def test_session_writes_need_csrf(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.alice)

    response = client.post(LIST, {"name": "via-session"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


# Settings and delete ----------------------------------------------------------


def test_update_settings_as_admin(world):
    client = client_for(token_for(world.alice))

    response = client.patch(
        f"{LIST}/lab/open-model", {"private": True, "gated": "manual"}
    )

    assert response.status_code == 200
    assert response.json()["private"] is True
    assert response.json()["gated"] == "manual"
    world.public.refresh_from_db()
    assert world.public.is_private and world.public.gated == "manual"
    assert client_for().get(f"{LIST}/lab/open-model").status_code == 404


def test_update_settings_permissions(world):
    reader = client_for(token_for(world.reader)).patch(
        f"{LIST}/lab/zz-secret-model", {"private": False}
    )
    stranger_public = client_for(token_for(world.stranger)).patch(
        f"{LIST}/lab/open-model", {"private": True}
    )
    stranger_private = client_for(token_for(world.stranger)).patch(
        f"{LIST}/lab/zz-secret-model", {"private": False}
    )
    read_token = client_for(token_for(world.alice, "read")).patch(
        f"{LIST}/lab/open-model", {"private": True}
    )
    anonymous = client_for().patch(f"{LIST}/lab/open-model", {"private": True})
    bad_value = client_for(token_for(world.alice)).patch(
        f"{LIST}/lab/open-model", {"gated": "sometimes"}
    )

    assert reader.status_code == 403
    assert stranger_public.status_code == 403
    assert stranger_private.status_code == 404
    assert read_token.status_code == 403
    assert anonymous.status_code == 401
    assert bad_value.status_code == 400
    assert bad_value.json()["error"]["details"]["gated"]
    world.public.refresh_from_db()
    world.secret.refresh_from_db()
    assert not world.public.is_private and world.secret.is_private


def test_delete_permissions_and_effect(world):
    stranger = client_for(token_for(world.stranger))
    assert stranger.delete(f"{LIST}/lab/open-model").status_code == 403
    assert stranger.delete(f"{LIST}/lab/zz-secret-model").status_code == 404
    read = client_for(token_for(world.alice, "read"))
    assert read.delete(f"{LIST}/lab/open-model").status_code == 403
    assert (
        client_for(token_for(world.reader))
        .delete(f"{LIST}/lab/zz-secret-model")
        .status_code
        == 403
    )

    owner = client_for(token_for(world.alice))
    response = owner.delete(f"{LIST}/lab/open-model")

    assert response.status_code == 204
    assert not ModelRepo.objects.filter(pk=world.public.pk).exists()
    assert owner.get(f"{LIST}/lab/open-model").status_code == 404


# Rate limits -------------------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after(db, settings, monkeypatch):
    rates = {"anon": "3/minute", "user": "3/minute"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": rates,
    }
    # DRF copies the rates onto the throttle classes when they are imported;
    # the setting alone does not reach them.
    monkeypatch.setattr(IpRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    anonymous = client_for()
    token = client_for(token_for(make_user("scripted"), "read"))

    statuses = [anonymous.get(LIST).status_code for _ in range(3)]
    limited = anonymous.get(LIST)

    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["error"]["code"] == "throttled"
    # A token has its own budget, apart from the anonymous one of its IP.
    assert [token.get(LIST).status_code for _ in range(4)] == [200, 200, 200, 429]


@pytest.mark.parametrize(
    "query", ["license=100%25-free", "task=50%25s", "license=%25(x)s"]
)
def test_filter_values_with_a_percent_sign_get_a_400_naming_them(db, query):
    client = APIClient()
    response = client.get(f"/api/v1/models?{query}")
    assert response.status_code == 400
    assert "%" in response.content.decode()
