"""The generated Python client (clients/python) against a live hub.

The package is what openapi-python-client makes of the current schema
(scripts/run-tests.sh fails when it is stale); here it is used as a user
would: over real HTTP, with a token, and without one.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from model_commons_client import AuthenticatedClient, Client
from model_commons_client.api.models import (
    models_create,
    models_list,
    models_partial_update,
    models_retrieve,
)
from model_commons_client.api.tokens import tokens_create, tokens_list
from model_commons_client.models import (
    ModelRepoCreateRequest,
    PatchedModelRepoUpdateRequest,
    ScopeEnum,
    TokenCreateRequest,
)

from tests.api.v1.fixtures_resources import no_throttle  # noqa: F401
from tests.factories import make_user_with_token

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def hub(live_server, no_throttle):  # noqa: F811
    _user, secret = make_user_with_token("ada", scope="write")
    return live_server.url, secret


def test_a_token_holder_creates_updates_and_lists_models_with_the_client(hub):
    url, secret = hub
    with AuthenticatedClient(base_url=url, token=secret) as client:
        created = models_create.sync(
            client=client, body=ModelRepoCreateRequest(name="tiny", private=True)
        )
        assert created is not None and created.id == "ada/tiny"
        assert created.private is True
        updated = models_partial_update.sync(
            "ada",
            "tiny",
            client=client,
            body=PatchedModelRepoUpdateRequest(private=False),
        )
        assert updated is not None and updated.private is False
        page = models_list.sync(client=client, author="ada")
        assert page is not None
        assert [item.id for item in page.results] == ["ada/tiny"]


def test_without_a_token_the_client_reads_public_models_but_not_private_ones(hub):
    url, secret = hub
    with AuthenticatedClient(base_url=url, token=secret) as client:
        models_create.sync(client=client, body=ModelRepoCreateRequest(name="open"))
        models_create.sync(
            client=client, body=ModelRepoCreateRequest(name="hidden", private=True)
        )
    with Client(base_url=url) as anonymous:
        seen = models_retrieve.sync("ada", "open", client=anonymous)  # type: ignore[arg-type]
        assert seen is not None and seen.id == "ada/open"
        hidden = models_retrieve.sync_detailed("ada", "hidden", client=anonymous)  # type: ignore[arg-type]
        assert hidden.status_code == HTTPStatus.NOT_FOUND
        refused = models_create.sync_detailed(
            client=anonymous,  # type: ignore[arg-type]
            body=ModelRepoCreateRequest(name="nope"),
        )
        assert refused.status_code == HTTPStatus.UNAUTHORIZED


def test_a_token_made_with_the_client_is_read_only_when_asked(hub):
    url, secret = hub
    with AuthenticatedClient(base_url=url, token=secret) as client:
        made = tokens_create.sync(
            client=client, body=TokenCreateRequest(name="ci", scope=ScopeEnum.READ)
        )
        assert made is not None and made.token.startswith("mc_")
        listed = tokens_list.sync(client=client)
        assert listed is not None
        assert "ci" in [t.name for t in listed.results]
    with AuthenticatedClient(base_url=url, token=made.token) as reader:
        refused = models_create.sync_detailed(
            client=reader, body=ModelRepoCreateRequest(name="nope")
        )
        assert refused.status_code == HTTPStatus.FORBIDDEN
