"""Quotas met by the real huggingface_hub client (Git LFS; Xet in
tests/xet/test_quotas_xet.py): refused before any byte is sent, with the
hub's message in the client's exception; an organisation's quota binds its
members; staff raise it and the same upload then goes through."""

from __future__ import annotations

import os

import pytest
import requests
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from hub.accounts.memberships import membership_set
from hub.accounts.models import Membership
from hub.catalog.models import ModelRepo
from hub.storage.models import Blob
from tests.e2e.test_hf_lfs import stored_files
from tests.factories import commit_files, make_org, make_repo, make_user_with_token

KB = 1000


@pytest.fixture
def quota(settings):
    """LFS from 1 kB; 60 kB of storage per namespace, files up to 40 kB."""
    settings.HUB_INLINE_UPLOAD_MAX_BYTES = 1024
    settings.HUB_LFS_THRESHOLD_BYTES = 1024
    settings.HUB_QUOTA_STORAGE_BYTES = 60 * KB
    settings.HUB_QUOTA_FILE_BYTES = 40 * KB
    settings.HUB_QUOTA_REPOS = None
    return settings


def _blob_files() -> list[str]:
    return [f for f in stored_files() if not f.startswith("tmp")]


def test_upload_over_the_storage_quota_fails_before_any_byte_is_sent(
    hub_url, maya, api, quota, tmp_path
):
    make_repo(maya[0], "weights")
    before = _blob_files()
    data = os.urandom(30 * KB)
    api.upload_file(path_or_fileobj=data, path_in_repo="a.bin", repo_id="maya/weights")
    big = os.urandom(35 * KB)
    with pytest.raises(HfHubHTTPError) as refused:
        api.upload_file(
            path_or_fileobj=big, path_in_repo="b.bin", repo_id="maya/weights"
        )
    assert refused.value.response.status_code == 413
    message = str(refused.value)
    assert "Storage quota of maya exceeded: 31" in message
    assert "kB used of 60 kB; this upload needs 35 kB more." in message
    assert len(_blob_files()) == len(before) + 1  # a.bin only: b.bin never sent
    assert not Blob.objects.filter(size=len(big)).exists()


def test_the_lfs_batch_refuses_what_preupload_could_not_tell(hub_url, maya, api, quota):
    # The repo holds a 30 kB file: a new 30 kB file may be the same content,
    # so preupload lets it through and the LFS batch, which knows its
    # digest, refuses it before the PUT.
    repo = make_repo(maya[0], "weights")
    commit_files(repo, {"old.bin": os.urandom(30 * KB)})
    before = _blob_files()
    with pytest.raises(HfHubHTTPError) as refused:
        api.upload_file(
            path_or_fileobj=os.urandom(30 * KB),
            path_in_repo="new.bin",
            repo_id="maya/weights",
        )
    assert "Storage quota of maya exceeded" in str(refused.value)
    assert _blob_files() == before


def test_a_file_over_the_per_file_limit_is_refused_with_its_name(
    hub_url, maya, api, quota
):
    make_repo(maya[0], "weights")
    with pytest.raises(HfHubHTTPError) as refused:
        api.upload_file(
            path_or_fileobj=os.urandom(41 * KB),
            path_in_repo="huge.bin",
            repo_id="maya/weights",
        )
    assert "File size limit of maya exceeded: huge.bin is 41 kB" in str(refused.value)


def test_an_organisations_quota_binds_its_members_until_staff_raise_it(
    hub_url, maya, jun, quota
):
    acme = make_org("acme", creator=maya[0])
    membership_set(organization=acme, user=jun[0], role=Membership.Role.WRITE)
    make_repo(acme, "shared", creator=maya[0])
    jun_api = HfApi(endpoint=hub_url, token=jun[1])
    data = os.urandom(39 * KB)
    jun_api.upload_file(
        path_or_fileobj=data, path_in_repo="a.bin", repo_id="acme/shared"
    )
    more = os.urandom(30 * KB)
    with pytest.raises(HfHubHTTPError) as refused:
        jun_api.upload_file(
            path_or_fileobj=more, path_in_repo="b.bin", repo_id="acme/shared"
        )
    assert "Storage quota of acme exceeded" in str(refused.value)
    # jun's own namespace is not acme's: his quota is untouched.
    make_repo(jun[0], "mine")
    jun_api.upload_file(path_or_fileobj=more, path_in_repo="b.bin", repo_id="jun/mine")
    # maya, acme's admin, cannot raise it; staff can.
    url = f"{hub_url}/api/v1/namespaces/acme/quota"
    denied = requests.patch(
        url, json={"storage": "1MB"}, headers={"Authorization": f"Bearer {maya[1]}"}
    )
    assert denied.status_code == 403
    _, staff_token = make_user_with_token("sam")
    type(maya[0]).objects.filter(username="sam").update(is_staff=True)
    raised = requests.patch(
        url, json={"storage": "1MB"}, headers={"Authorization": f"Bearer {staff_token}"}
    )
    assert raised.status_code == 200, raised.text
    jun_api.upload_file(
        path_or_fileobj=more, path_in_repo="b.bin", repo_id="acme/shared"
    )
    assert "b.bin" in jun_api.list_repo_files("acme/shared")


def test_create_repo_over_the_repository_count_says_so(hub_url, maya, api, quota):
    quota.HUB_QUOTA_REPOS = 1
    api.create_repo("first")
    for exist_ok in (False, True):
        with pytest.raises(HfHubHTTPError) as refused:
            api.create_repo("second", exist_ok=exist_ok)
        assert "Repository quota of maya reached: 1 of 1 repositories used" in str(
            refused.value
        )
    assert list(ModelRepo.objects.values_list("name", flat=True)) == ["first"]
