"""LFS uploads: signed grants, upload plans, basic and multipart transfers, GC."""

from __future__ import annotations

import hashlib
import io
import os
import time
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings

from api.hf.lfs import upload_complete
from hub.community.commits import upload_grant_open
from hub.core.errors import NotFoundError, ValidationError
from hub.storage.models import Blob
from hub.storage.services import blob_quarantine, blob_upload_bytes
from hub.storage.store import BlobIntegrityError
from hub.storage.uploads import (
    MAX_PARTS,
    GrantKind,
    UnsupportedTransferError,
    UploadDeniedError,
    UploadGrant,
    UploadLengthRequiredError,
    upload_grant_check,
    upload_grant_sign,
    upload_plan,
    upload_receive_object,
    upload_receive_part,
    upload_staging_collect,
    upload_verify,
)

MIB = 1024 * 1024


def stored_files() -> list[str]:
    root = settings.HUB_BLOB_ROOT
    return sorted(
        os.path.relpath(os.path.join(d, f), root)
        for d, _, files in os.walk(root)
        for f in files
    )


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def small_parts(settings):
    """Multipart from 2 MiB, in 1 MiB parts (the env validator wants >= 5 MiB)."""
    settings.HUB_LFS_MULTIPART_THRESHOLD_BYTES = 2 * MIB
    settings.HUB_LFS_MULTIPART_CHUNK_BYTES = MIB


def multipart_grants(plan) -> tuple[UploadGrant, list[UploadGrant]]:
    complete = upload_grant_check(
        token=plan.token, kind=GrantKind.COMPLETE, oid=plan.oid
    )
    parts = [
        upload_grant_check(
            token=token, kind=GrantKind.PART, oid=plan.oid, part_number=number
        )
        for number, token in enumerate(plan.part_tokens, start=1)
    ]
    return complete, parts


def send_parts(data: bytes, parts: list[UploadGrant]) -> list[dict]:
    answers = []
    for grant in parts:
        start = (grant.part_number - 1) * grant.chunk_size
        body = data[start : start + grant.chunk_size]
        etag = upload_receive_part(
            grant=grant, stream=io.BytesIO(body), content_length=len(body)
        )
        answers.append({"partNumber": grant.part_number, "etag": etag})
    return answers


# Signed grants --------------------------------------------------------------


def test_signed_grant_round_trips(owner):
    data = b"x" * 100
    plan = upload_plan(oid=sha(data), size=100, user_id=owner.pk, transfers=["basic"])
    grant = upload_grant_check(token=plan.token, kind=GrantKind.OBJECT, oid=sha(data))
    assert (grant.oid, grant.size, grant.user_id) == (sha(data), 100, owner.pk)
    ttl = settings.HUB_LFS_UPLOAD_URL_TTL_SECONDS
    assert time.time() + ttl - 5 <= grant.expires_at <= time.time() + ttl + 1


def test_tampered_signature_is_refused(owner):
    plan = upload_plan(oid="a" * 64, size=10, user_id=owner.pk, transfers=None)
    payload, _, signature = plan.token.rpartition(":")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    with pytest.raises(UploadDeniedError, match="signature"):
        upload_grant_check(
            token=f"{payload}:{flipped}", kind=GrantKind.OBJECT, oid="a" * 64
        )


def test_grant_with_altered_size_is_refused(owner):
    grant = UploadGrant(
        kind=GrantKind.OBJECT,
        oid="b" * 64,
        size=10,
        user_id=owner.pk,
        expires_at=int(time.time()) + 60,
    )
    genuine = upload_grant_sign(grant)
    forged_payload = upload_grant_sign(replace(grant, size=10**9)).split(":")[0]
    forged = forged_payload + ":" + genuine.split(":")[1]
    with pytest.raises(UploadDeniedError):
        upload_grant_check(token=forged, kind=GrantKind.OBJECT, oid="b" * 64)


def test_grant_signed_with_another_salt_is_refused(owner):
    from django.core import signing

    token = signing.Signer(salt="something-else").sign_object(
        {"k": "object", "o": "c" * 64, "s": 1, "u": owner.pk, "e": 2**40}
    )
    with pytest.raises(UploadDeniedError):
        upload_grant_check(token=token, kind=GrantKind.OBJECT, oid="c" * 64)


def test_expired_grant_is_refused(owner):
    grant = UploadGrant(
        kind=GrantKind.OBJECT,
        oid="d" * 64,
        size=1,
        user_id=owner.pk,
        expires_at=int(time.time()) - 1,
    )
    with pytest.raises(UploadDeniedError, match="expired"):
        upload_grant_check(
            token=upload_grant_sign(grant), kind=GrantKind.OBJECT, oid="d" * 64
        )


def test_grant_is_refused_for_another_object_kind_or_part(owner, small_parts):
    data = os.urandom(3 * MIB)
    plan = upload_plan(
        oid=sha(data), size=len(data), user_id=owner.pk, transfers=["multipart"]
    )
    with pytest.raises(UploadDeniedError):
        upload_grant_check(token=plan.token, kind=GrantKind.COMPLETE, oid="e" * 64)
    with pytest.raises(UploadDeniedError):
        upload_grant_check(token=plan.token, kind=GrantKind.OBJECT, oid=sha(data))
    with pytest.raises(UploadDeniedError, match="another part"):
        upload_grant_check(
            token=plan.part_tokens[0],
            kind=GrantKind.PART,
            oid=sha(data),
            part_number=2,
        )


def test_grant_of_a_deactivated_user_is_refused(owner):
    plan = upload_plan(oid="f" * 64, size=1, user_id=owner.pk, transfers=None)
    owner.is_active = False
    owner.save()
    with pytest.raises(UploadDeniedError, match="inactive"):
        upload_grant_open(signature=plan.token, kind=GrantKind.OBJECT, oid="f" * 64)


def test_grant_of_a_deleted_user_is_refused_not_an_error(owner):
    plan = upload_plan(oid="f" * 64, size=1, user_id=owner.pk, transfers=None)
    owner.delete()
    with pytest.raises(UploadDeniedError, match="inactive"):
        upload_grant_open(signature=plan.token, kind=GrantKind.OBJECT, oid="f" * 64)


# Plans ----------------------------------------------------------------------


def test_stored_object_needs_no_upload(owner):
    blob = blob_upload_bytes(data=b"already here")
    plan = upload_plan(
        oid=blob.sha256, size=blob.size, user_id=owner.pk, transfers=None
    )
    assert plan.error is None
    assert plan.transfer == ""
    assert plan.token == ""


def test_quarantined_object_is_an_error(owner):
    blob = blob_quarantine(blob=blob_upload_bytes(data=b"bad"), reason="malware")
    plan = upload_plan(
        oid=blob.sha256, size=blob.size, user_id=owner.pk, transfers=None
    )
    assert plan.error is not None
    assert plan.error[0] == 422
    assert "quarantined" in plan.error[1]


def test_stored_object_announced_with_another_size_is_an_error(owner):
    blob = blob_upload_bytes(data=b"twelve bytes")
    plan = upload_plan(oid=blob.sha256, size=99, user_id=owner.pk, transfers=None)
    assert plan.error is not None
    assert plan.error[0] == 422


@pytest.mark.parametrize(
    ("oid", "size"),
    [("A" * 64, 1), ("a" * 63, 1), ("a" * 64, -1), ("a" * 64, 2**60)],
)
def test_invalid_oid_or_size_is_an_error(owner, oid, size):
    plan = upload_plan(oid=oid, size=size, user_id=owner.pk, transfers=None)
    assert plan.error is not None
    assert plan.error[0] == 422


def test_transfer_follows_multipart_threshold(owner, small_parts):
    offered = ["basic", "multipart"]
    small = upload_plan(
        oid="1" * 64, size=2 * MIB - 1, user_id=owner.pk, transfers=offered
    )
    large = upload_plan(
        oid="2" * 64, size=2 * MIB + 1, user_id=owner.pk, transfers=offered
    )
    assert small.transfer == "basic"
    assert large.transfer == "multipart"
    assert large.chunk_size == MIB
    assert len(large.part_tokens) == 3  # ceil((2 MiB + 1) / 1 MiB)


def test_multipart_only_client_gets_multipart_even_when_small(owner):
    plan = upload_plan(oid="3" * 64, size=10, user_id=owner.pk, transfers=["multipart"])
    assert plan.transfer == "multipart"
    assert len(plan.part_tokens) == 1


def test_xet_is_never_chosen(owner):
    plan = upload_plan(
        oid="4" * 64, size=10, user_id=owner.pk, transfers=["xet", "basic"]
    )
    assert plan.transfer == "basic"
    with pytest.raises(UnsupportedTransferError):
        upload_plan(oid="5" * 64, size=10, user_id=owner.pk, transfers=["xet"])


def test_part_count_stays_within_s3_limit(owner, settings):
    settings.HUB_LFS_MULTIPART_THRESHOLD_BYTES = 1
    settings.HUB_LFS_MULTIPART_CHUNK_BYTES = MIB
    size = 3 * MAX_PARTS * MIB
    plan = upload_plan(
        oid="6" * 64, size=size, user_id=owner.pk, transfers=["basic", "multipart"]
    )
    assert len(plan.part_tokens) <= MAX_PARTS
    assert plan.chunk_size % MIB == 0
    assert plan.chunk_size * len(plan.part_tokens) >= size


# Basic transfer -------------------------------------------------------------


def object_grant(owner, data: bytes) -> UploadGrant:
    plan = upload_plan(oid=sha(data), size=len(data), user_id=owner.pk, transfers=None)
    return upload_grant_check(token=plan.token, kind=GrantKind.OBJECT, oid=sha(data))


def test_basic_upload_stores_the_object(owner):
    data = os.urandom(300_000)
    grant = object_grant(owner, data)
    blob = upload_receive_object(
        grant=grant, stream=io.BytesIO(data), content_length=len(data)
    )
    assert blob.sha256 == sha(data)
    assert upload_verify(oid=sha(data), size=len(data), user_id=owner.pk) == blob


def test_basic_upload_with_wrong_bytes_leaves_nothing(owner):
    data = os.urandom(1000)
    grant = object_grant(owner, data)
    other = os.urandom(1000)
    with pytest.raises(BlobIntegrityError, match="SHA-256"):
        upload_receive_object(
            grant=grant, stream=io.BytesIO(other), content_length=len(other)
        )
    assert stored_files() == []
    assert not Blob.objects.exists()


def test_basic_upload_with_wrong_length_is_refused_before_reading(owner):
    data = os.urandom(1000)
    grant = object_grant(owner, data)
    stream = io.BytesIO(data + b"more")
    with pytest.raises(BlobIntegrityError, match="exactly 1000 bytes"):
        upload_receive_object(grant=grant, stream=stream, content_length=1004)
    assert stream.tell() == 0
    with pytest.raises(UploadLengthRequiredError):
        upload_receive_object(grant=grant, stream=stream, content_length=None)
    assert stored_files() == []


def test_verify_refuses_missing_or_resized_objects(owner):
    blob = blob_upload_bytes(data=b"verify me")
    with pytest.raises(NotFoundError):
        upload_verify(oid=blob.sha256, size=blob.size + 1)
    with pytest.raises(NotFoundError):
        upload_verify(oid="7" * 64, size=1)


# Multipart transfer ---------------------------------------------------------


def staging_root() -> Path:
    return Path(settings.HUB_BLOB_ROOT) / "tmp" / "uploads"


def multipart_upload(owner, data: bytes):
    plan = upload_plan(
        oid=sha(data), size=len(data), user_id=owner.pk, transfers=["multipart"]
    )
    return multipart_grants(plan)


def test_multipart_upload_assembles_the_object(owner, small_parts):
    data = os.urandom(3 * MIB + 12345)
    complete, parts = multipart_upload(owner, data)
    assert len(parts) == 4
    answers = send_parts(data, parts)
    assert all(a["etag"].startswith('"') and len(a["etag"]) > 2 for a in answers)
    blob = upload_complete(grant=complete, payload={"oid": sha(data), "parts": answers})
    assert blob.sha256 == sha(data)
    assert blob.size == len(data)
    assert stored_files() == [f"{sha(data)[:2]}/{sha(data)[2:4]}/{sha(data)}"]


def test_completion_with_a_missing_part_leaves_nothing(owner, small_parts):
    data = os.urandom(3 * MIB)
    complete, parts = multipart_upload(owner, data)
    answers = send_parts(data, parts[:2])
    with pytest.raises(ValidationError, match="missing parts 3"):
        upload_complete(grant=complete, payload={"oid": sha(data), "parts": answers})
    assert stored_files() == []
    assert not Blob.objects.exists()


def test_completion_naming_a_part_never_received_leaves_nothing(owner, small_parts):
    data = os.urandom(3 * MIB)
    complete, parts = multipart_upload(owner, data)
    answers = send_parts(data, parts[:2])
    answers.append({"partNumber": 3, "etag": '"' + "0" * 32 + '"'})
    with pytest.raises(ValidationError, match="Part 3"):
        upload_complete(grant=complete, payload={"oid": sha(data), "parts": answers})
    assert stored_files() == []


def test_completion_with_a_wrong_etag_leaves_nothing(owner, small_parts):
    data = os.urandom(3 * MIB)
    complete, parts = multipart_upload(owner, data)
    answers = send_parts(data, parts)
    answers[1]["etag"] = '"' + "f" * 32 + '"'
    with pytest.raises(ValidationError, match="Part 2"):
        upload_complete(grant=complete, payload={"oid": sha(data), "parts": answers})
    assert stored_files() == []
    assert not Blob.objects.exists()


def test_completion_with_a_wrong_digest_leaves_nothing(owner, small_parts):
    data = os.urandom(3 * MIB)
    complete, parts = multipart_upload(owner, data)
    answers = send_parts(os.urandom(len(data)), parts)  # right sizes, other bytes
    with pytest.raises(BlobIntegrityError, match="SHA-256"):
        upload_complete(grant=complete, payload={"oid": sha(data), "parts": answers})
    assert stored_files() == []
    assert not Blob.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [None, {"oid": "0" * 64, "parts": []}, {"parts": "nope"}],
    ids=["not-json", "other-oid", "parts-not-a-list"],
)
def test_malformed_completion_leaves_nothing(owner, small_parts, payload):
    data = os.urandom(2 * MIB)
    complete, parts = multipart_upload(owner, data)
    send_parts(data, parts)
    with pytest.raises(ValidationError):
        upload_complete(grant=complete, payload=payload)
    assert stored_files() == []


def test_part_of_the_wrong_size_is_refused(owner, small_parts):
    data = os.urandom(3 * MIB)
    _, parts = multipart_upload(owner, data)
    short = data[: MIB - 1]
    with pytest.raises(BlobIntegrityError, match="exactly"):
        upload_receive_part(
            grant=parts[0], stream=io.BytesIO(short), content_length=len(short)
        )
    # A client that stops before its announced Content-Length.
    with pytest.raises(BlobIntegrityError, match="were received"):
        upload_receive_part(
            grant=parts[0], stream=io.BytesIO(short), content_length=MIB
        )
    assert stored_files() == []


def test_resent_part_replaces_the_earlier_copy(owner, small_parts):
    data = os.urandom(2 * MIB + 10)
    complete, parts = multipart_upload(owner, data)
    first = send_parts(data, parts)
    again = send_parts(data, parts[:1])[0]
    assert again["etag"] != first[0]["etag"]
    staged = sorted(p.name for p in staging_root().rglob("*") if p.is_file())
    assert len(staged) == len(parts)  # the old copy of part 1 is gone
    answers = [again, *first[1:]]
    blob = upload_complete(grant=complete, payload={"oid": sha(data), "parts": answers})
    assert blob.sha256 == sha(data)
    assert list(staging_root().iterdir()) == []


def test_retried_completion_of_a_stored_object_succeeds(owner, small_parts):
    data = os.urandom(2 * MIB + 10)
    complete, parts = multipart_upload(owner, data)
    answers = send_parts(data, parts)
    payload = {"oid": sha(data), "parts": answers}
    first = upload_complete(grant=complete, payload=payload)
    assert upload_complete(grant=complete, payload=payload) == first


# Housekeeping ---------------------------------------------------------------


def test_staging_collect_removes_only_abandoned_uploads(owner, small_parts):
    data = os.urandom(3 * MIB)
    _, abandoned = multipart_upload(owner, data)
    send_parts(data, abandoned[:1])
    _, active = multipart_upload(owner, data)
    send_parts(data, active[:1])
    old = time.time() - 7200
    old_dir = staging_root() / abandoned[0].upload_id
    for path in [*old_dir.iterdir(), old_dir]:
        os.utime(path, (old, old))
    removed = upload_staging_collect(older_than_seconds=3600)
    assert removed == [abandoned[0].upload_id]
    assert not old_dir.exists()
    assert (staging_root() / active[0].upload_id).exists()


def test_gc_task_collects_abandoned_uploads(owner, small_parts, settings):
    from workers.tasks import collect_garbage

    data = os.urandom(3 * MIB)
    _, parts = multipart_upload(owner, data)
    send_parts(data, parts[:1])
    folder = staging_root() / parts[0].upload_id
    too_old = time.time() - settings.HUB_LFS_UPLOAD_URL_TTL_SECONDS - 2 * 3600
    for path in [*folder.iterdir(), folder]:
        os.utime(path, (too_old, too_old))
    collect_garbage()
    assert not folder.exists()
