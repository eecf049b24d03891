"""The OpenAPI schema: valid, warning-free, and no request to it ends in a 5xx.

The schemathesis run serves the hub with pytest-django's live server over
real HTTP, with a public and a private repo seeded. Each operation gets a few
generated requests as they come (random ids: mostly 404s), and as many again
with the path pointed at the seeded repo, so query parameters and bodies
reach real rows. Examples per operation are kept small so the run stays
bounded (well under two minutes).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, Phase, given, settings

from hub.accounts.services import token_create
from hub.community.services.discussions import discussion_create
from tests.api.v1.fixtures_resources import build_lab, no_throttle  # noqa: F401

EXAMPLES_PER_OPERATION = 5


def test_schema_generates_valid_openapi_without_warnings(db):
    GENERATOR_STATS.reset()

    schema = SchemaGenerator().get_schema(request=None, public=True)

    validate_schema(schema)
    assert not GENERATOR_STATS, "drf-spectacular reported warnings or errors"
    paths = schema["paths"]
    for path in (
        "/api/v1/models/{namespace}/{name}/tree",
        "/api/v1/models/{namespace}/{name}/commits/{oid}/checks",
        "/api/v1/licenses/{id}",
        "/api/v1/tokens",
    ):
        assert path in paths
    assert "bearerAuth" in schema["components"]["securitySchemes"]


def test_schema_and_docs_are_served(client, db):
    schema = client.get("/api/v1/schema", {"format": "json"})
    docs = client.get("/api/v1/docs")

    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert docs.status_code == 200


def _real_path_parameters(seed: dict[str, Any]) -> dict[str, Any]:
    return {
        "namespace": "lab",
        "name": "open-model",
        "path": "config.json",
        "oid": seed["oid"],
        "num": seed["num"],
        "id": "mit",
        "org": "lab",
        "username": "owner",
        "ref": "main",
    }


def _operations(schema: Any) -> list[Any]:
    operations = [result.ok() for result in schema.get_all_operations()]

    # Deletions last, the repo's own last: a deleted repo or a revoked token
    # would turn every later request into a 404 or 401 and hide what it
    # would have done.
    def order(op: Any) -> tuple[bool, bool, str]:
        deletes = op.method.upper() == "DELETE"
        return deletes, deletes and op.path.endswith("/{name}"), op.path

    return sorted(operations, key=order)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_schemathesis_finds_no_server_errors(live_server):
    lab = build_lab()
    discussion_create(repo=lab.public, author=lab.owner, title="Public question")
    secret = token_create(user=lab.owner, name="fuzz", scope="write")[1]
    seed = {"oid": lab.public_head.oid, "num": 2}
    real = _real_path_parameters(seed)
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/schema?format=json"
    )
    server_errors: list[str] = []

    def run(operation: Any, *, authenticated: bool, aimed: bool) -> None:
        headers = {"Authorization": f"Bearer {secret}"} if authenticated else {}

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            if aimed and case.path_parameters:
                case.path_parameters = {
                    key: real.get(key, value)
                    for key, value in case.path_parameters.items()
                }
            response = case.call(base_url=live_server.url, headers=headers)
            if response.status_code >= 500:
                server_errors.append(
                    f"{case.method} {response.request.url} -> "
                    f"{response.status_code}: {response.text[:300]}"
                )

        check()

    operations = _operations(schema)
    assert len(operations) >= 30
    for operation in operations:
        run(operation, authenticated=False, aimed=False)
        run(operation, authenticated=True, aimed=True)

    assert server_errors == []
