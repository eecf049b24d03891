"""Xet at the edges of the HF face: sessions, body limits, small files
inline, and LFS bytes for content a shard only declared (issue 15)."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.utils import timezone

from hub.accounts.services import token_create
from hub.storage.models import Blob, BlobClaim, XetFile
from hub.storage.services import blob_upload
from hub.storage.uploads import upload_plan
from hub.storage.xet.xorb import MAX_XORB_BYTES
from tests.factories import make_repo

TOKEN_URL = "/api/models/owner/weights/xet-{kind}-token/main"
XORB_ROUTE = "/xet/v1/xorbs/default/" + "ab" * 32


@pytest.fixture
def write_access(client, owner):
    make_repo(owner, "weights")
    _, secret = token_create(user=owner, name="w", scope="write")
    answer = client.get(
        TOKEN_URL.format(kind="write"), HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert answer.status_code == 200
    return answer.json()["accessToken"]


def test_a_browser_session_gets_read_tokens_only(client, owner):
    make_repo(owner, "weights")
    client.force_login(owner)
    assert client.get(TOKEN_URL.format(kind="read")).status_code == 200
    refused = client.get(TOKEN_URL.format(kind="write"))
    assert refused.status_code == 401


@pytest.mark.parametrize("route", [XORB_ROUTE, "/xet/v2/shards"])
def test_oversized_bodies_are_refused_before_reading(client, write_access, route):
    answer = client.post(
        route,
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(MAX_XORB_BYTES + 2 * 1024 * 1024),
        HTTP_AUTHORIZATION=f"Bearer {write_access}",
    )
    assert answer.status_code == 413
    assert "at most" in answer.headers["X-Error-Message"]


def test_uploads_need_a_length(client, write_access):
    answer = client.post(
        XORB_ROUTE,
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH="",
        HTTP_AUTHORIZATION=f"Bearer {write_access}",
    )
    assert answer.status_code == 411


def test_files_over_10_mb_are_not_inlined(client, owner):
    make_repo(owner, "sizes")
    _, secret = token_create(user=owner, name="w", scope="write")
    mib = 1024 * 1024
    answer = client.post(
        "/api/models/owner/sizes/preupload/main",
        data={
            "files": [
                # .txt: no .gitattributes LFS rule, only the size decides.
                {"path": "small.txt", "size": 10 * mib, "sample": ""},
                {"path": "large.txt", "size": 10 * mib + 1, "sample": ""},
            ]
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    modes = {f["path"]: f["uploadMode"] for f in answer.json()["files"]}
    assert modes == {"small.txt": "regular", "large.txt": "lfs"}


def _xet_only_blob(data: bytes, uploader, *, declared_size: int) -> Blob:
    """Content as a shard registers it: declared, not yet rebuilt and hashed."""
    file = XetFile.objects.create(
        hash="cd" * 32,
        sha256=hashlib.sha256(data).hexdigest(),
        size=declared_size,
        terms=b"",
        uploaded_by=uploader,
    )
    blob = Blob.objects.create(
        sha256=file.sha256, size=declared_size, in_store=False, xet_file=file
    )
    BlobClaim.objects.create(blob=blob, user=uploader)
    return blob


def test_declared_content_is_asked_for_from_everyone_but_its_uploader(owner, stranger):
    data = b"weights nobody has verified yet"
    blob = _xet_only_blob(data, owner, declared_size=len(data))

    def plan(user):
        return upload_plan(
            oid=blob.sha256,
            size=len(data),
            user_id=user.pk,
            transfers=["basic"],
            holds_content=True,
        )

    assert plan(owner).transfer == ""  # their own upload: nothing to send
    assert plan(stranger).transfer == "basic"
    XetFile.objects.filter(pk=blob.xet_file_id).update(verified_at=timezone.now())
    assert plan(stranger).transfer == ""


def test_lfs_bytes_replace_a_declared_blob(owner):
    data = b"the real bytes"
    blob = _xet_only_blob(data, owner, declared_size=999)
    stored = blob_upload(
        stream=io.BytesIO(data), expected_sha256=blob.sha256, expected_size=len(data)
    )
    assert stored.in_store and stored.size == len(data)
    blob.refresh_from_db()
    assert blob.in_store and blob.size == len(data)
