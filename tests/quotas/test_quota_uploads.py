"""Every upload path refuses what a namespace's quota does not allow, before
the bytes are sent, with a message stating the limit and the usage; a repo
beyond the repository count is refused too. Spoken over HTTP as the clients
speak it (the real client drives the same paths in tests/e2e/test_hf_quotas.py)."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from django.test import Client

from hub.accounts.actors import Actor
from hub.accounts.quotas import namespace_quota_set
from hub.catalog.models import ModelRepo
from tests.factories import (
    commit_files,
    make_org,
    make_repo,
    make_user,
    make_user_with_token,
)

KB = 1000


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def alice(db, settings):
    """alice with 20 kB of storage, a write token and one repo of ~1.5 kB."""
    settings.HUB_QUOTA_STORAGE_BYTES = 20 * KB
    settings.HUB_QUOTA_FILE_BYTES = None
    settings.HUB_QUOTA_REPOS = None
    user, token = make_user_with_token("alice")
    make_repo(user, "weights")
    return user, token


def hf(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def batch(client: Client, objects: list[tuple[str, int]]):
    body = {
        "operation": "upload",
        "transfers": ["basic", "multipart"],
        "objects": [{"oid": o, "size": s} for o, s in objects],
        "hash_algo": "sha256",
        "ref": {"name": "main"},
    }
    return client.post(
        "/alice/weights.git/info/lfs/objects/batch",
        json.dumps(body),
        content_type="application/vnd.git-lfs+json",
    )


def test_lfs_batch_over_the_quota_is_413_with_limit_and_usage(alice):
    response = batch(hf(alice[1]), [("a" * 64, 15 * KB), ("b" * 64, 5 * KB)])
    assert response.status_code == 413
    message = response.json()["error"]
    assert message == response["X-Error-Message"]
    assert message.startswith("Storage quota of alice exceeded: 1.")
    assert "kB used of 20 kB; this upload needs 20 kB more. Delete what" in message
    # Within the quota, the same call hands out upload URLs.
    fits = batch(hf(alice[1]), [("a" * 64, 15 * KB)])
    assert fits.status_code == 200 and "actions" in fits.json()["objects"][0]


def test_content_the_repo_already_holds_costs_nothing_again(alice):
    repo = ModelRepo.objects.get(name="weights")
    data = b"w" * (15 * KB)
    commit_files(repo, {"w.bin": data})
    # 16.5 kB used: 15 kB more of new content does not fit, the same does.
    assert batch(hf(alice[1]), [("c" * 64, 15 * KB)]).status_code == 413
    assert batch(hf(alice[1]), [(sha(data), len(data))]).status_code == 200


def test_negative_sizes_do_not_offset_a_refusal(alice):
    response = batch(hf(alice[1]), [("a" * 64, 30 * KB), ("b" * 64, -30 * KB)])
    assert response.status_code == 413


def test_file_over_the_per_file_limit_is_refused_everywhere(alice, settings):
    settings.HUB_QUOTA_FILE_BYTES = 4 * KB
    response = batch(hf(alice[1]), [("a" * 64, 5 * KB)])
    assert response.status_code == 413
    assert (
        "the file aaaaaaaaaaaa… is 5 kB, files may be at most 4 kB"
        in response.json()["error"]
    )
    pre = hf(alice[1]).post(
        "/api/models/alice/weights/preupload/main",
        {"files": [{"path": "big.bin", "size": 5 * KB, "sample": ""}]},
        content_type="application/json",
    )
    assert pre.status_code == 413
    assert "big.bin is 5 kB" in pre.json()["error"]


def test_preupload_refuses_before_any_byte_but_trusts_known_sizes(alice):
    repo = ModelRepo.objects.get(name="weights")
    commit_files(repo, {"w.bin": b"w" * (15 * KB)})
    client = hf(alice[1])

    def preupload(size: int):
        files = [{"path": "x.bin", "size": size, "sample": ""}]
        return client.post(
            "/api/models/alice/weights/preupload/main",
            {"files": files},
            content_type="application/json",
        )

    assert preupload(5 * KB).status_code == 413
    # A file of a size the repo holds may be unchanged: left to the exact checks.
    assert preupload(15 * KB).status_code == 200
    assert preupload(1 * KB).status_code == 200


def _ndjson(*lines: dict) -> bytes:
    return b"\n".join(json.dumps(line).encode() for line in lines)


def test_an_inline_commit_over_the_quota_is_refused_and_stores_no_commit(alice):
    data = b"i" * (19 * KB)
    body = _ndjson(
        {"key": "header", "value": {"summary": "add"}},
        {
            "key": "file",
            "value": {"path": "small.txt", "content": base64.b64encode(data).decode()},
        },
    )
    repo = ModelRepo.objects.get(name="weights")
    before = repo.commits.count()
    response = hf(alice[1]).post(
        "/api/models/alice/weights/commit/main",
        body,
        content_type="application/x-ndjson",
    )
    assert response.status_code == 413
    assert "this upload needs 19 kB more" in response.json()["error"]
    assert repo.commits.count() == before


def test_web_upload_plan_is_refused_with_the_message_the_page_shows(alice):
    browser = Client()
    browser.force_login(alice[0])
    response = browser.post(
        "/alice/weights/upload/plan",
        {"files": [{"oid": "d" * 64, "size": 50 * KB}]},
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("Storage quota of alice exceeded")


def test_xet_write_token_is_refused_once_at_the_quota(alice, settings):
    client = hf(alice[1])
    url = "/api/models/alice/weights/xet-write-token/main"
    assert client.get(url).status_code == 200
    settings.HUB_QUOTA_STORAGE_BYTES = 1 * KB
    refused = client.get(url)
    assert refused.status_code == 413
    assert "nothing more can be uploaded" in refused["X-Error-Message"]
    # Reading is never limited.
    assert (
        client.get("/api/models/alice/weights/xet-read-token/main").status_code == 200
    )


def test_repo_count_is_enforced_on_every_face(alice, settings):
    settings.HUB_QUOTA_REPOS = 1
    hf_create = hf(alice[1]).post(
        "/api/repos/create",
        {"name": "second", "type": "model"},
        content_type="application/json",
    )
    assert hf_create.status_code == 403
    assert hf_create.json()["error"] == (
        "Repository quota of alice reached: 1 of 1 repositories used. Delete what "
        "you no longer need, or ask the hub's staff for a larger quota."
    )
    v1 = Client(HTTP_AUTHORIZATION=f"Bearer {alice[1]}").post(
        "/api/v1/models",
        {"namespace": "alice", "name": "third"},
        content_type="application/json",
    )
    assert v1.status_code == 403
    assert ModelRepo.objects.filter(namespace__name="alice").count() == 1
    staff = make_user("sam", is_staff=True)
    namespace_quota_set(
        actor=Actor.of(staff), namespace=alice[0].namespace, changes={"repos": 2}
    )
    again = hf(alice[1]).post(
        "/api/repos/create",
        {"name": "second", "type": "model"},
        content_type="application/json",
    )
    assert again.status_code == 200, again.content


def _move(token: str, source: str, target: str):
    return hf(token).post(
        "/api/repos/move",
        {"fromRepo": source, "toRepo": target, "type": "model"},
        content_type="application/json",
    )


def test_moving_a_repo_in_counts_against_the_target(alice, settings):
    settings.HUB_QUOTA_REPOS = 1
    acme = make_org("acme", creator=alice[0])
    make_repo(acme, "full")
    refused = _move(alice[1], "alice/weights", "acme/weights")
    assert refused.status_code == 403
    assert "Repository quota of acme reached" in refused.json()["error"]
    # Renaming inside a full namespace adds nothing: allowed.
    assert _move(alice[1], "alice/weights", "alice/renamed").status_code == 200
    # A repo whose bytes do not fit the target's storage quota stays put.
    staff = make_user("sam", is_staff=True)
    namespace_quota_set(
        actor=Actor.of(staff),
        namespace=acme.namespace,
        changes={"repos": "unlimited", "storage": "2kB"},
    )
    commit_files(ModelRepo.objects.get(name="renamed"), {"w.bin": b"w" * KB})
    too_big = _move(alice[1], "alice/renamed", "acme/renamed")
    assert too_big.status_code == 413
    assert "Storage quota of acme exceeded" in too_big.json()["error"]
    assert ModelRepo.objects.filter(namespace__name="alice", name="renamed").exists()


def test_a_stranger_opening_a_pull_request_is_not_told_the_usage(alice):
    _, token = make_user_with_token("stan")
    body = {
        "operation": "upload",
        "objects": [{"oid": "e" * 64, "size": 50 * KB}],
        "hash_algo": "sha256",
    }  # no ref: an upload for a new pull request
    response = hf(token).post(
        "/alice/weights.git/info/lfs/objects/batch",
        json.dumps(body),
        content_type="application/vnd.git-lfs+json",
    )
    assert response.status_code == 413
    assert response.json()["error"] == (
        "Storage quota of alice exceeded: this upload needs 50 kB more. Its "
        "owners can free space or ask the hub's staff for a larger quota."
    )
    assert "used_bytes" not in response.json()["details"]


def test_the_new_model_form_says_the_repository_quota_is_reached(alice, settings):
    settings.HUB_QUOTA_REPOS = 1
    browser = Client()
    browser.force_login(alice[0])
    response = browser.post(
        "/new", {"owner": "alice", "name": "another", "visibility": "public"}
    )
    assert response.status_code == 200
    assert "Repository quota of alice reached: 1 of 1" in response.content.decode()
    assert not ModelRepo.objects.filter(name="another").exists()
