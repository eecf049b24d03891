"""Invariant: no staged upload is left past the grace period (a write's
staging file, a multipart upload received through the hub, the S3 staging
of direct uploads); ``--repair`` removes what is past it."""

from __future__ import annotations

import os
import time
import uuid

from django.conf import settings

from hub.storage.stores import raw_store
from hub.storage.uploads.staging import staging_root, upload_staging_collect
from tests.invariants.helpers import invariants, problems

HOURS_AGO = time.time() - 2 * 3600


def staged_write(age: float | None = HOURS_AGO) -> str:
    """A store write's staging file, as a write killed midway leaves it."""
    folder = settings.HUB_BLOB_ROOT / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.part"
    (folder / name).write_bytes(b"half of a file")
    if age is not None:
        os.utime(folder / name, (age, age))
    return name


def staged_parts() -> str:
    """A multipart upload received through the hub and never completed."""
    upload_id = uuid.uuid4().hex
    folder = staging_root() / upload_id
    folder.mkdir(parents=True)
    (folder / "1.abc").write_bytes(b"part one")
    for path in (folder / "1.abc", folder):
        os.utime(path, (HOURS_AGO, HOURS_AGO))
    return upload_id


def test_staged_uploads_past_the_grace_are_named_and_repair_removes_them(db):
    old, young, parts = staged_write(), staged_write(age=None), staged_parts()
    report, status = invariants()
    assert status == 1
    assert problems(report) == {
        ("staging", "stale", f"store/{old}"),
        ("staging", "stale", f"uploads/{parts}"),
    }
    assert report["checks"]["staging"] == {"examined": 3, "problems": 2}
    report, status = invariants("--repair")
    assert {f["repaired"] for f in report["findings"]} == {"removed"}
    tmp = settings.HUB_BLOB_ROOT / "tmp"
    assert sorted(p.name for p in tmp.iterdir()) == sorted([young, "uploads"])
    assert not any(staging_root().iterdir())
    assert invariants()[1] == 0


def test_s3_staging_and_multipart_uploads_past_the_grace_are_named(s3_store, db):
    sha256, expires = "ab" * 32, int(time.time()) + s3_store.upload_ttl
    put = s3_store.staging_key(sha256, 1, uuid.uuid4().hex, expires)
    s3_store.client.put_object(Bucket=s3_store.bucket, Key=put, Body=b"staged")
    key = s3_store.staging_key(sha256, 1, uuid.uuid4().hex, expires)
    upload_id = s3_store.multipart_create(key)
    report, status = invariants()
    assert report["findings"] == [], report["findings"][0]["message"]
    time.sleep(1.1)  # S3 dates have whole seconds
    report, status = invariants("--grace-seconds", "0")
    assert status == 1
    assert problems(report) == {
        ("staging", "stale", f"store/{put}"),
        ("staging", "stale", f"store/{key}#{upload_id}"),
    }
    invariants("--grace-seconds", "0", "--repair")
    assert invariants("--grace-seconds", "0")[1] == 0
    assert list(raw_store().staged_uploads()) == []


def test_the_staging_collector_removes_a_killed_writes_file_once_idle(db):
    old, young = staged_write(), staged_write(age=None)
    removed = upload_staging_collect(older_than_seconds=3600)
    assert removed == [old]
    assert [s.key for s in raw_store().staged_uploads()] == [young]
    assert invariants()[1] == 0
