"""Gated and disabled models with the real huggingface_hub client.

A gated model refuses ``hf_hub_download`` with ``GatedRepoError`` until the
user accepts its license (auto) or its owner approves the request (manual);
a disabled model raises ``DisabledRepoError``. Downloads made with a token
are remembered, so the downloader's review is a "verified download".
"""

from __future__ import annotations

import pytest
import requests
from huggingface_hub import HfApi, get_hf_file_metadata, hf_hub_download, hf_hub_url
from huggingface_hub.errors import (
    DisabledRepoError,
    GatedRepoError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
)

from hub.accounts.models import User
from hub.catalog.models import ModelRepo
from hub.catalog.revisions import revision_resolve
from hub.reviews.selectors import review_of_user
from hub.reviews.services import review_submit

LLAMA_CARD = b"---\nlicense: llama3\n---\n# A Llama 3 fine-tune\n"


def _publish(api: HfApi, name: str, card: bytes | None = None) -> str:
    repo_id = f"maya/{name}"
    api.create_repo(repo_id)
    files = {"config.json": b'{"hidden_size": 8}\n'}
    if card is not None:
        files["README.md"] = card
    for path, data in files.items():
        api.upload_file(path_or_fileobj=data, path_in_repo=path, repo_id=repo_id)
    return repo_id


def _v1(hub_url: str, token: str, method: str, path: str, **kwargs):
    return requests.request(
        method,
        f"{hub_url}/api/v1/{path}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
        **kwargs,
    )


def test_license_gate_refuses_until_the_user_accepts(api, hub_url, maya, jun, tmp_path):
    repo_id = _publish(api, "llama-ft", LLAMA_CARD)
    jun_user, jun_token = jun
    # The client sees the gate the license imposes, not only the setting.
    assert HfApi(endpoint=hub_url, token=jun_token).model_info(repo_id).gated == "auto"

    with pytest.raises(GatedRepoError):
        hf_hub_download(
            repo_id,
            "config.json",
            endpoint=hub_url,
            token=jun_token,
            cache_dir=tmp_path / "first",
        )
    # The card stays readable, as on the Hugging Face Hub.
    assert hf_hub_download(
        repo_id, "README.md", endpoint=hub_url, token=jun_token, cache_dir=tmp_path
    )

    accepted = _v1(
        hub_url,
        jun_token,
        "POST",
        f"models/{repo_id}/access",
        json={"accept_license": True},
    )
    path = hf_hub_download(
        repo_id,
        "config.json",
        endpoint=hub_url,
        token=jun_token,
        cache_dir=tmp_path / "second",
    )

    assert accepted.status_code == 200 and accepted.json()["has_access"] is True
    assert accepted.json()["gated"] == "auto"
    with open(path, "rb") as fh:
        assert fh.read() == b'{"hidden_size": 8}\n'
    # The download counts as verified for jun's review of that revision.
    repo = ModelRepo.objects.get(name="llama-ft")
    head = revision_resolve(repo=repo, revision="main")
    review_submit(
        repo=repo, author=User.objects.get(pk=jun_user.pk), commit=head, rating=5
    )
    assert review_of_user(repo=repo, user=jun_user).is_verified_download


def test_manual_gate_waits_for_the_owner(api, hub_url, maya, jun, tmp_path):
    repo_id = _publish(api, "manual-gate")
    api.update_repo_settings(repo_id, gated="manual")
    jun_token = jun[1]

    def download(folder: str) -> str:
        return hf_hub_download(
            repo_id,
            "config.json",
            endpoint=hub_url,
            token=jun_token,
            cache_dir=tmp_path / folder,
        )

    asked = _v1(
        hub_url,
        jun_token,
        "POST",
        f"models/{repo_id}/access",
        json={"accept_license": True, "answers": {"why": "evaluation"}},
    )
    with pytest.raises(GatedRepoError):
        download("pending")
    pending = _v1(
        hub_url, maya[1], "GET", f"models/{repo_id}/access-requests?status=pending"
    )
    approved = _v1(
        hub_url,
        maya[1],
        "POST",
        f"models/{repo_id}/access-requests/jun",
        json={"status": "accepted"},
    )

    assert asked.json()["request"]["status"] == "pending"
    assert [r["user"] for r in pending.json()["results"]] == ["jun"]
    assert approved.status_code == 200
    assert download("approved")


def test_disabled_model_raises_disabled_repo_error(api, hub_url, maya, tmp_path):
    repo_id = _publish(api, "to-disable")
    User.objects.create_user("moderator", password="x", is_staff=True)
    staff = User.objects.get(username="moderator")
    from hub.accounts.actors import Actor
    from hub.moderation.services.actions import moderation_disable_repo

    moderation_disable_repo(
        repo=ModelRepo.objects.get(name="to-disable"),
        actor=Actor.of(staff),
        reason="Takedown",
    )

    url = hf_hub_url(repo_id, "config.json", endpoint=hub_url)
    with pytest.raises(DisabledRepoError):
        get_hf_file_metadata(url, token=maya[1])
    # hf_hub_download reports its failed HEAD call as the cause.
    with pytest.raises(LocalEntryNotFoundError) as failed:
        hf_hub_download(
            repo_id,
            "config.json",
            endpoint=hub_url,
            token=maya[1],
            cache_dir=tmp_path,
        )
    assert isinstance(failed.value.__cause__, DisabledRepoError)


def test_owner_decides_requests_with_the_client(api, hub_url, maya, jun, tmp_path):
    repo_id = _publish(api, "client-decides")
    api.update_repo_settings(repo_id, gated="manual")
    _v1(
        hub_url,
        jun[1],
        "POST",
        f"models/{repo_id}/access",
        json={"accept_license": True, "answers": {"org": "ACME"}},
    )
    jun_api = HfApi(endpoint=hub_url, token=jun[1])

    [pending] = api.list_pending_access_requests(repo_id)
    with pytest.raises(HfHubHTTPError) as refused:
        list(jun_api.list_pending_access_requests(repo_id))
    api.accept_access_request(repo_id, "jun")
    accepted = [r.username for r in api.list_accepted_access_requests(repo_id)]
    path = hf_hub_download(
        repo_id, "config.json", endpoint=hub_url, token=jun[1], cache_dir=tmp_path
    )
    api.reject_access_request(repo_id, "jun", rejection_reason="Policy")
    rejected = [r.username for r in api.list_rejected_access_requests(repo_id)]

    assert (pending.username, pending.status, pending.fields) == (
        "jun",
        "pending",
        {"org": "ACME"},
    )
    assert refused.value.response.status_code == 403
    assert accepted == ["jun"] and path
    assert rejected == ["jun"]
    with pytest.raises(GatedRepoError):
        hf_hub_download(
            repo_id,
            "config.json",
            endpoint=hub_url,
            token=jun[1],
            cache_dir=tmp_path / "after",
        )
