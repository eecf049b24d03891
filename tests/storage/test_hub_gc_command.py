"""``manage.py hub_gc``: a dry run by default, ``--apply`` collects, ``--json``."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from hub.storage.models import Blob
from hub.storage.services import blob_store, blob_upload_bytes
from tests.factories import commit_files, make_repo


def _gc(*args: str) -> str:
    out = io.StringIO()
    call_command("hub_gc", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def orphans(owner):
    commit_files(make_repo(owner), {"kept.txt": b"referenced"}, author=owner)
    orphan = blob_upload_bytes(data=b"an orphan of 21 bytes")
    young = blob_upload_bytes(data=b"a young orphan")
    Blob.objects.exclude(pk=young.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    return orphan, young


def test_a_dry_run_lists_and_keeps(orphans):
    orphan, young = orphans
    report = json.loads(_gc("--json", "--grace-seconds", "3600"))
    assert report["applied"] is False
    assert report["blobs"] == [orphan.sha256]
    assert report["blob_bytes"] == 21
    assert Blob.objects.filter(pk=orphan.pk).exists()
    assert blob_store().exists(orphan.sha256)
    assert "Dry run: nothing was removed" in _gc("--grace-seconds", "3600")


def test_apply_collects_what_the_dry_run_listed(orphans):
    orphan, young = orphans
    report = json.loads(_gc("--apply", "--json", "--grace-seconds", "3600"))
    assert report["applied"] is True and report["blobs"] == [orphan.sha256]
    assert not Blob.objects.filter(pk=orphan.pk).exists()
    assert not blob_store().exists(orphan.sha256)
    assert blob_store().exists(young.sha256)
    assert "Removed 0 blobs" in _gc("--apply", "--grace-seconds", "3600")


def test_a_negative_grace_is_refused(db):
    with pytest.raises(CommandError, match="0 or more"):
        _gc("--grace-seconds", "-1")
