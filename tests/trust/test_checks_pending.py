"""Nothing that can carry code reaches a stranger before its checks finish
(issue 13, hole 5), and a token's repo list limits every read (hole 9)."""

from __future__ import annotations

import pickle

import pytest
import requests
from huggingface_hub import hf_hub_download
from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

from hub.access.services import access_request_decide
from hub.accounts.memberships import membership_set
from hub.accounts.services import token_create
from hub.catalog.models import ModelRepo
from hub.catalog.services.repos import repo_update_settings
from hub.storage.services import blob_mark_checked
from tests.factories import commit_files, make_org, make_repo
from tests.trust.helpers import bearer

pytestmark = pytest.mark.django_db(transaction=True)


class Canary:
    """Unpickling this would call print; the bytes are only ever stored."""

    def __reduce__(self):
        return (print, ("unpickled!",))


HOSTILE = pickle.dumps(Canary(), protocol=2)


@pytest.fixture
def queued(maya) -> ModelRepo:
    """A repo whose pickle's checks have not run yet (no worker)."""
    repo = make_repo(maya[0], "queued")
    commit_files(
        repo,
        {"pytorch_model.bin": HOSTILE, "config.json": b'{"a": 1}\n'},
        author=maya[0],
        checked=False,
    )
    return repo


def get(hub_url: str, repo: ModelRepo, path: str, secret: str | None = None):
    return requests.get(
        f"{hub_url}/{repo.full_name}/resolve/main/{path}",
        headers=bearer(secret),
        allow_redirects=False,
        timeout=10,
    )


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_a_file_whose_checks_are_running_is_refused_with_retry_after(
    hub_url, jun, queued, who
):
    secret = jun[1] if who == "stranger" else None
    for method in ("GET", "HEAD"):
        answer = requests.request(
            method,
            f"{hub_url}/{queued.full_name}/resolve/main/pytorch_model.bin",
            headers=bearer(secret),
            timeout=10,
        )
        assert answer.status_code == 403
        assert "being checked" in answer.headers["X-Error-Message"]
        assert int(answer.headers["Retry-After"]) > 0
        assert HOSTILE not in answer.content


def test_text_and_json_are_served_while_checks_run(hub_url, queued):
    assert get(hub_url, queued, "config.json").content == b'{"a": 1}\n'


def test_maintainers_download_their_file_while_checks_run(hub_url, maya, queued):
    assert get(hub_url, queued, "pytorch_model.bin", maya[1]).content == HOSTILE


def test_the_client_is_told_to_wait_and_gets_the_file_once_checked(
    hub_url, jun, queued, tmp_path
):
    with pytest.raises(GatedRepoError, match="being checked"):
        hf_hub_download(
            queued.full_name,
            "pytorch_model.bin",
            endpoint=hub_url,
            token=jun[1],
            cache_dir=tmp_path,
        )
    entry = queued.commits.latest("pk").entries.get(path="pytorch_model.bin")
    blob_mark_checked(sha256=entry.blob_id)  # what the worker records
    path = hf_hub_download(
        queued.full_name,
        "pytorch_model.bin",
        endpoint=hub_url,
        token=jun[1],
        cache_dir=tmp_path,
    )
    with open(path, "rb") as handle:
        assert handle.read() == HOSTILE


def test_the_file_page_shows_no_bytes_while_checks_run(client, queued):
    page = client.get(f"/{queued.full_name}/blob/main/pytorch_model.bin")
    assert page.status_code == 200
    assert b"still being checked" in page.content


def test_the_v1_download_url_is_refused_while_checks_run(hub_url, jun, queued):
    listing = requests.get(
        f"{hub_url}/api/v1/models/{queued.full_name}/tree",
        headers=bearer(jun[1]),
        timeout=10,
    )
    assert listing.status_code == 200, listing.text
    item = next(
        f for f in listing.json()["results"] if f["path"] == "pytorch_model.bin"
    )
    answer = requests.get(item["download_url"], headers=bearer(jun[1]), timeout=10)
    assert answer.status_code == 403
    assert "Retry-After" in answer.headers


# Repo-limited tokens -------------------------------------------------------------


def test_a_repo_limited_token_does_not_pass_its_users_other_gates(
    hub_url, maya, jun, tmp_path
):
    gated = make_repo(maya[0], "gated")
    commit_files(gated, {"model.safetensors": b"\x00" * 64}, author=maya[0])
    repo_update_settings(repo=gated, gated="manual")
    access_request_decide(repo=gated, actor=maya[0], user=jun[0], status="accepted")
    own = make_repo(jun[0], "own")
    _, limited = token_create(
        user=jun[0], name="own-only", scope="read", repo_ids=[own.full_name]
    )
    assert get(hub_url, gated, "model.safetensors", jun[1]).status_code == 200
    refused = get(hub_url, gated, "model.safetensors", limited)
    assert refused.status_code == 403
    assert refused.headers["X-Error-Code"] == "GatedRepo"
    with pytest.raises(GatedRepoError):
        hf_hub_download(
            gated.full_name,
            "model.safetensors",
            endpoint=hub_url,
            token=limited,
            cache_dir=tmp_path,
        )


def test_a_repo_limited_token_does_not_read_its_users_other_private_repos(
    hub_url, maya, jun, tmp_path
):
    org = make_org("lab", creator=maya[0])
    membership_set(organization=org, user=jun[0], role="read")
    private = make_repo(org, "internal", creator=maya[0], is_private=True)
    commit_files(private, {"config.json": b"{}"}, author=maya[0])
    own = make_repo(jun[0], "own")
    _, limited = token_create(
        user=jun[0], name="own-only", scope="read", repo_ids=[own.full_name]
    )
    assert get(hub_url, private, "config.json", jun[1]).status_code == 200
    assert get(hub_url, private, "config.json", limited).status_code == 404
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download(
            private.full_name,
            "config.json",
            endpoint=hub_url,
            token=limited,
            cache_dir=tmp_path,
        )
