"""Numbers too large for the database and JSON nested 100,000 deep get a 400
naming the field, never a 500 (issue 13, hole 11). Raw HTTP against the
live hub: the attacker writes the request by hand."""

from __future__ import annotations

import pytest
import requests

from hub.accounts.models import ApiToken
from hub.catalog.models import ModelRepo
from tests.factories import make_repo

HUGE = "1" * 24  # a valid Python int, far past PostgreSQL's bigint
DEEP_OBJECT = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
DEEP_ARRAY = b"[" * 100_000 + b"]" * 100_000


@pytest.fixture
def repo(maya) -> ModelRepo:
    return make_repo(maya[0], "numbers")


def auth(secret: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **headers}


def test_huge_cursor_on_model_list_is_a_400_naming_cursor(hub_url, repo):
    response = requests.get(
        f"{hub_url}/api/models", params={"cursor": HUGE}, timeout=30
    )

    assert response.status_code == 400
    assert response.headers["X-Error-Message"].startswith("'cursor' must be")


def test_huge_page_on_hf_discussions_is_a_400_naming_p(hub_url, repo):
    response = requests.get(
        f"{hub_url}/api/models/maya/numbers/discussions", params={"p": HUGE}, timeout=30
    )

    assert response.status_code == 400
    assert response.json()["error"].startswith("'p' must be a whole number")


def test_huge_page_on_web_discussions_shows_the_last_page(hub_url, repo):
    response = requests.get(
        f"{hub_url}/maya/numbers/discussions", params={"p": HUGE}, timeout=30
    )

    assert response.status_code == 200
    assert "Server error" not in response.text


def test_deep_json_on_repo_create_is_a_400_and_creates_nothing(hub_url, maya):
    response = requests.post(
        f"{hub_url}/api/repos/create",
        data=DEEP_OBJECT,
        headers=auth(maya[1], **{"Content-Type": "application/json"}),
        timeout=30,
    )

    assert response.status_code == 400
    assert (
        "nests arrays and objects more than 64 levels deep"
        in (response.headers["X-Error-Message"])
    )
    assert not ModelRepo.objects.exists()


@pytest.mark.parametrize("body", [DEEP_OBJECT, DEEP_ARRAY])
def test_deep_json_on_lfs_batch_is_a_400(hub_url, maya, repo, body):
    response = requests.post(
        f"{hub_url}/maya/numbers.git/info/lfs/objects/batch",
        data=body,
        headers=auth(
            maya[1],
            **{
                "Content-Type": "application/vnd.git-lfs+json",
                "Accept": "application/vnd.git-lfs+json",
            },
        ),
        timeout=30,
    )

    assert response.status_code == 400
    assert "levels deep" in response.headers["X-Error-Message"]


def test_deep_json_on_api_v1_tokens_is_a_400_and_creates_no_token(hub_url, maya):
    tokens_before = ApiToken.objects.count()

    response = requests.post(
        f"{hub_url}/api/v1/tokens",
        data=DEEP_ARRAY,
        headers=auth(maya[1], **{"Content-Type": "application/json"}),
        timeout=30,
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert "levels deep" in error["message"]
    assert ApiToken.objects.count() == tokens_before
