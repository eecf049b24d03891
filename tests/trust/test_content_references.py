"""Knowing a digest is never owning the content (issue 13, holes 1 and 2).

An attacker learns the sha256 of a gated or private file (the tree shows LFS
oids, as on the Hugging Face Hub) and tries to publish it through a repo of
their own, or to learn whether the hub stores some content at all.
"""

from __future__ import annotations

import hashlib
import os

import pytest
import requests

from api.hf.lfs import upload_complete
from hub.access.services import access_request_decide
from hub.accounts.services import token_create
from hub.catalog.models import ModelRepo
from hub.catalog.services.repos import repo_update_settings
from hub.storage.models import Blob
from hub.storage.services import blob_upload_bytes
from hub.storage.uploads import GrantKind, upload_plan
from tests.factories import commit_files, make_repo
from tests.trust.helpers import bearer, lfs_batch, lfs_line, ndjson_commit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def weights() -> bytes:
    return os.urandom(4096)


@pytest.fixture
def gated(maya, weights) -> ModelRepo:
    repo = make_repo(maya[0], "gated-weights")
    commit_files(repo, {"model.safetensors": weights}, author=maya[0])
    repo_update_settings(repo=repo, gated="manual")
    return repo


@pytest.fixture
def secret_repo(maya, weights) -> ModelRepo:
    repo = make_repo(maya[0], "secret-weights", is_private=True)
    commit_files(repo, {"model.safetensors": weights}, author=maya[0])
    return repo


@pytest.fixture
def own_repo(jun) -> ModelRepo:
    return make_repo(jun[0], "mirror")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def resolve(hub_url: str, repo: ModelRepo, path: str, secret: str | None = None):
    return requests.get(
        f"{hub_url}/{repo.full_name}/resolve/main/{path}",
        headers=bearer(secret),
        timeout=10,
    )


@pytest.mark.parametrize("holder", ["gated", "secret_repo"])
def test_committing_a_known_digest_does_not_publish_gated_or_private_content(
    request, hub_url, jun, own_repo, weights, holder
):
    repo = request.getfixturevalue(holder)
    answer = ndjson_commit(
        hub_url, jun[1], own_repo.full_name, [lfs_line("stolen.bin", sha(weights))]
    )
    assert answer.status_code == 400
    assert "was not uploaded" in answer.headers["X-Error-Message"]
    assert own_repo.commits.count() == 1  # only the initial commit
    assert resolve(hub_url, own_repo, "stolen.bin").status_code == 404
    # The holder's file is still refused to the attacker.
    assert resolve(hub_url, repo, "model.safetensors", jun[1]).status_code in (
        403,
        404,
    )


def test_the_batch_api_asks_for_the_bytes_of_content_the_caller_cannot_read(
    hub_url, jun, gated, own_repo, weights
):
    answer = lfs_batch(
        hub_url, jun[1], own_repo.full_name, [(sha(weights), len(weights))]
    )
    assert answer.status_code == 200
    (entry,) = answer.json()["objects"]
    # Exactly as for content nobody stored: an upload action, no error.
    assert "upload" in entry["actions"]
    assert "error" not in entry


def test_a_reader_who_was_granted_access_may_reference_the_content(
    hub_url, maya, jun, gated, own_repo, weights
):
    access_request_decide(repo=gated, actor=maya[0], user=jun[0], status="accepted")
    answer = ndjson_commit(
        hub_url, jun[1], own_repo.full_name, [lfs_line("copy.bin", sha(weights))]
    )
    assert answer.status_code == 200, answer.text
    assert resolve(hub_url, own_repo, "copy.bin").content == weights


def test_a_token_limited_to_another_repo_cannot_reference_content_its_user_may_read(
    hub_url, maya, jun, gated, own_repo, weights
):
    access_request_decide(repo=gated, actor=maya[0], user=jun[0], status="accepted")
    _, limited = token_create(
        user=jun[0], name="mirror-only", scope="write", repo_ids=[own_repo.full_name]
    )
    answer = ndjson_commit(
        hub_url, limited, own_repo.full_name, [lfs_line("copy.bin", sha(weights))]
    )
    assert answer.status_code == 400
    assert "was not uploaded" in answer.headers["X-Error-Message"]


def test_preupload_for_a_pull_request_does_not_reveal_a_gated_files_digest(
    hub_url, maya, jun, gated, weights
):
    def preupload(secret: str) -> dict:
        answer = requests.post(
            f"{hub_url}/api/models/{gated.full_name}/preupload/main?create_pr=1",
            json={"files": [{"path": "model.safetensors", "size": 10**9}]},
            headers=bearer(secret),
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["files"][0]

    assert "oid" not in preupload(jun[1])
    assert preupload(maya[1])["oid"] == sha(weights)


# Existence oracles -------------------------------------------------------------


def test_commit_size_check_reads_like_missing_content(
    hub_url, jun, gated, own_repo, weights
):
    unknown = sha(b"never stored")
    answers = [
        ndjson_commit(
            hub_url, jun[1], own_repo.full_name, [lfs_line("x.bin", oid, size=1)]
        )
        for oid in (sha(weights), unknown)
    ]
    assert [a.status_code for a in answers] == [400, 400]
    stored, missing = (a.headers["X-Error-Message"] for a in answers)
    assert stored.replace(sha(weights), "<oid>") == missing.replace(unknown, "<oid>")
    assert str(len(weights)) not in stored


def test_lfs_verify_reads_like_missing_content(hub_url, jun, gated, own_repo, weights):
    def verify(oid: str, size: int) -> requests.Response:
        return requests.post(
            f"{hub_url}/{own_repo.full_name}.git/info/lfs/objects/verify",
            json={"oid": oid, "size": size},
            headers={**bearer(jun[1]), "Accept": "application/vnd.git-lfs+json"},
            timeout=10,
        )

    unknown = sha(b"never stored either")
    stored, missing = verify(sha(weights), len(weights)), verify(unknown, len(weights))
    assert (stored.status_code, missing.status_code) == (404, 404)
    assert stored.headers["X-Error-Message"].replace(
        sha(weights), "<oid>"
    ) == missing.headers["X-Error-Message"].replace(unknown, "<oid>")


def test_multipart_completion_reads_like_missing_content(jun, gated, weights):
    """Completing a multipart upload of stored content without sending it
    fails as it would for content nobody stored."""
    from hub.core.errors import ValidationError
    from hub.storage.uploads import upload_grant_check

    answers = []
    for data in (weights, os.urandom(len(weights))):
        plan = upload_plan(
            oid=sha(data),
            size=len(data),
            user_id=jun[0].pk,
            transfers=["multipart"],
            holds_content=False,
        )
        grant = upload_grant_check(
            token=plan.token, kind=GrantKind.COMPLETE, oid=sha(data)
        )
        parts = [{"partNumber": 1, "etag": "0" * 32}]
        with pytest.raises(ValidationError) as caught:
            upload_complete(grant=grant, payload={"oid": sha(data), "parts": parts})
        answers.append(caught.value.message)
    assert answers[0] == answers[1]


def test_the_uploader_of_content_may_commit_it_anywhere_they_write(
    hub_url, jun, own_repo
):
    data = os.urandom(2048)
    blob = blob_upload_bytes(data=data, claimed_by=jun[0].pk)
    answer = ndjson_commit(
        hub_url, jun[1], own_repo.full_name, [lfs_line("mine.bin", blob.sha256, 2048)]
    )
    assert answer.status_code == 200, answer.text
    assert Blob.objects.filter(pk=blob.sha256).exists()


def test_copies_between_a_users_own_repos_still_work(api, hub_url, maya, gated):
    """The client's copy operation (lfsFile without size) of readable content."""
    other = make_repo(maya[0], "second")
    entry = gated.commits.latest("pk").entries.get(path="model.safetensors")
    answer = ndjson_commit(
        hub_url,
        maya[1],
        other.full_name,
        [lfs_line("copied.safetensors", entry.blob_id)],
    )
    assert answer.status_code == 200, answer.text
