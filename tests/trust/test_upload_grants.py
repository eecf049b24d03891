"""Signed upload URLs die with the right to upload (issue 13, hole 8)."""

from __future__ import annotations

import hashlib
import os

import pytest
import requests
from django.conf import settings

from hub.accounts.memberships import membership_remove, membership_set
from hub.accounts.models import ApiToken
from hub.accounts.services import token_revoke
from hub.storage.models import Blob
from tests.factories import make_org, make_repo
from tests.trust.helpers import lfs_batch

pytestmark = pytest.mark.django_db(transaction=True)


def upload_href(hub_url: str, secret: str, repo_id: str, data: bytes) -> str:
    oid = hashlib.sha256(data).hexdigest()
    answer = lfs_batch(
        hub_url, secret, repo_id, [(oid, len(data))], transfers=("basic",)
    )
    assert answer.status_code == 200, answer.text
    (entry,) = answer.json()["objects"]
    assert entry["actions"]["upload"]["expires_in"] <= 3600
    return entry["actions"]["upload"]["href"]


def put(href: str, data: bytes) -> requests.Response:
    return requests.put(href, data=data, timeout=30)


def test_upload_urls_live_at_most_an_hour():
    assert settings.HUB_LFS_UPLOAD_URL_TTL_SECONDS <= 3600


def test_revoking_the_token_ends_its_upload_urls_at_once(hub_url, maya):
    repo = make_repo(maya[0], "target")
    data = os.urandom(1000)
    href = upload_href(hub_url, maya[1], repo.full_name, data)
    token_revoke(token=ApiToken.objects.get(user=maya[0]))
    answer = put(href, data)
    assert answer.status_code == 403
    assert "no longer valid" in answer.headers["X-Error-Message"]
    assert not Blob.objects.filter(pk=hashlib.sha256(data).hexdigest()).exists()


def test_removing_a_member_ends_their_upload_urls_at_once(hub_url, maya, jun):
    org = make_org("lab", creator=maya[0])
    membership_set(organization=org, user=jun[0], role="write")
    repo = make_repo(org, "internal", creator=maya[0], is_private=True)
    data = os.urandom(1000)
    href = upload_href(hub_url, jun[1], repo.full_name, data)
    membership_remove(organization=org, user=jun[0])
    answer = put(href, data)
    assert answer.status_code == 403
    assert not Blob.objects.filter(pk=hashlib.sha256(data).hexdigest()).exists()


def test_an_upload_url_of_a_live_token_still_works(hub_url, maya):
    repo = make_repo(maya[0], "target")
    data = os.urandom(1000)
    assert put(upload_href(hub_url, maya[1], repo.full_name, data), data).ok
    assert Blob.objects.filter(pk=hashlib.sha256(data).hexdigest()).exists()
