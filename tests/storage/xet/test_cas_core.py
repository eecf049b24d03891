"""The hub's CAS core with what the real client (hf_xet) uploads.

The client uploads to the capturing stand-in; its xorbs and shard are then
handed to the hub's receivers, as the CAS views do. Files registered this
way read back through ``blob_store()`` byte for byte (ranges included),
the reconstruction answer names exactly the chunks a range needs, and
every hostile variant is refused with nothing stored.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from hub.core.errors import ValidationError
from hub.storage.models import Blob, BlobClaim, XetFile, XetShard, XetXorb, XorbClaim
from hub.storage.services import blob_store, blob_upload
from hub.storage.uploads import upload_plan
from hub.storage.xet.hashes import hash_to_hex
from hub.storage.xet.shard import shard_read
from hub.storage.xet.shard_write import shard_write
from hub.storage.xet.stream import iter_chunk_data
from hub.storage.xetcas.gc import xet_collect_garbage
from hub.storage.xetcas.receive import shard_receive, xorb_receive
from hub.storage.xetcas.reconstruction import reconstruction_answer
from hub.storage.xetcas.spaces import xorb_store
from hub.storage.xetcas.verify import xet_file_verify
from tests.storage.xet.cas_capture import client_upload


@pytest.fixture(scope="module")
def captured(tmp_path_factory):
    root = tmp_path_factory.mktemp("client")
    rng = random.Random(5)
    files = {
        "a.bin": rng.randbytes(3_000_000),
        "b.bin": bytes(range(256)) * 4000 + rng.randbytes(500_000),
    }
    xorbs, shard = client_upload(files, root)
    return files, xorbs, shard


def _receive_all(user, xorbs, shard):
    for name, body in xorbs:
        xorb_receive(
            user_id=user.pk, xorb_hex=name, stream=io.BytesIO(body), size=len(body)
        )
    return shard_receive(user_id=user.pk, body=shard)


def test_client_upload_registers_files_that_read_back(captured, owner):
    files, xorbs, shard = captured
    result = _receive_all(owner, xorbs, shard)
    assert result.created and not result.unclaimed
    for data in files.values():
        sha = hashlib.sha256(data).hexdigest()
        blob = Blob.objects.get(pk=sha)
        assert blob.xet_file is not None
        assert not blob.in_store and blob.xet_file.size == len(data)
        assert BlobClaim.objects.filter(blob=blob, user=owner).exists()
        assert b"".join(blob_store().iter_range(sha)) == data
        assert (
            b"".join(blob_store().iter_range(sha, 70_000, 1_200_000))
            == data[70_000:1_200_001]
        )
        assert b"".join(blob_store().iter_range(sha, len(data) - 3)) == data[-3:]
        assert xet_file_verify(file=blob.xet_file)


def _fetch(answer, version):
    key = "xorbs" if version == 2 else "fetch_info"
    chunks = {}
    for xorb_hex, entries in answer[key].items():
        for entry in entries:
            if version == 2:
                [r] = entry["ranges"]
                first, span = r["chunks"]["start"], r["bytes"]
            else:
                first, span = entry["range"]["start"], entry["url_range"]
            raw = xorb_store().iter_range(xorb_hex, span["start"], span["end"])
            for i, data in enumerate(iter_chunk_data(raw)):
                chunks[(xorb_hex, first + i)] = data
    out = b""
    for term in answer["terms"]:
        piece = b"".join(
            chunks[(term["hash"], i)]
            for i in range(term["range"]["start"], term["range"]["end"])
        )
        assert len(piece) == term["unpacked_length"]
        out += piece
    return out[answer["offset_into_first_range"] :]


@pytest.mark.parametrize("version", [1, 2])
def test_reconstruction_answer_covers_exactly_the_range(captured, owner, version):
    files, xorbs, shard = captured
    _receive_all(owner, xorbs, shard)
    data = files["a.bin"]
    file = XetFile.objects.get(sha256=hashlib.sha256(data).hexdigest())
    url = lambda x, a, b: f"u/{x}/{a}-{b}"  # noqa: E731
    whole = reconstruction_answer(
        file=file, byte_range=None, version=version, fetch_url=url
    )
    assert _fetch(whole, version) == data
    part = reconstruction_answer(
        file=file, byte_range=(1_000_000, 1_000_007), version=version, fetch_url=url
    )
    assert _fetch(part, version)[:8] == data[1_000_000:1_000_008]
    assert sum(t["unpacked_length"] for t in part["terms"]) <= 2 * 128 * 1024


def test_corrupted_xorb_is_refused_and_nothing_stored(captured, owner):
    _, xorbs, _ = captured
    name, body = xorbs[0]
    bad = bytearray(body)
    bad[len(bad) // 2] ^= 0xFF
    with pytest.raises(ValidationError):
        xorb_receive(
            user_id=owner.pk,
            xorb_hex=name,
            stream=io.BytesIO(bytes(bad)),
            size=len(bad),
        )
    assert not XetXorb.objects.exists()
    assert not xorb_store().exists(name)


def test_xorb_under_another_hash_is_refused(captured, owner):
    _, xorbs, _ = captured
    body = xorbs[0][1]
    with pytest.raises(ValidationError, match="not the announced"):
        xorb_receive(
            user_id=owner.pk,
            xorb_hex="ab" * 32,
            stream=io.BytesIO(body),
            size=len(body),
        )
    assert not XetXorb.objects.exists()


def test_shard_naming_a_missing_xorb_is_refused(captured, owner):
    _, xorbs, shard = captured
    name, body = xorbs[0]
    xorb_receive(
        user_id=owner.pk, xorb_hex=name, stream=io.BytesIO(body), size=len(body)
    )
    if len(xorbs) == 1:
        XetXorb.objects.all().delete()
    with pytest.raises(ValidationError, match="not stored on this hub"):
        shard_receive(user_id=owner.pk, body=shard)
    assert not XetFile.objects.exists() and not XetShard.objects.exists()
    assert not Blob.objects.exists()


def test_shard_using_someone_elses_xorb_is_refused(captured, owner, stranger):
    _, xorbs, shard = captured
    for name, body in xorbs:
        xorb_receive(
            user_id=owner.pk, xorb_hex=name, stream=io.BytesIO(body), size=len(body)
        )
    with pytest.raises(ValidationError, match="neither uploaded by you"):
        shard_receive(user_id=stranger.pk, body=shard)
    assert not XetFile.objects.exists()


def test_a_false_sha256_is_caught_by_verification_and_quarantined(captured, owner):
    files, xorbs, shard = captured
    parsed = shard_read(shard, footer=False)
    lie = hashlib.sha256(b"someone else's file").digest()
    parsed.files[0] = dataclasses.replace(parsed.files[0], sha256=lie)
    for name, body in xorbs:
        xorb_receive(
            user_id=owner.pk, xorb_hex=name, stream=io.BytesIO(body), size=len(body)
        )
    shard_receive(user_id=owner.pk, body=shard_write(parsed, footer=False))
    blob = Blob.objects.get(pk=lie.hex())
    assert blob.xet_file is not None
    assert not blob.in_store and blob.xet_file.verified_at is None
    assert not xet_file_verify(file=blob.xet_file)
    blob.refresh_from_db()
    assert blob.is_quarantined and "do not hash" in blob.quarantine_reason


def test_file_id_must_be_the_hash_of_its_chunks(captured, owner):
    _, xorbs, shard = captured
    parsed = shard_read(shard, footer=False)
    parsed.files[0] = dataclasses.replace(parsed.files[0], file_hash=bytes(32))
    for name, body in xorbs:
        xorb_receive(
            user_id=owner.pk, xorb_hex=name, stream=io.BytesIO(body), size=len(body)
        )
    with pytest.raises(ValidationError, match="not the hash of its chunks"):
        shard_receive(user_id=owner.pk, body=shard_write(parsed, footer=False))
    assert not XetFile.objects.exists()
    assert hash_to_hex(bytes(32)) not in set(
        XetFile.objects.values_list("hash", flat=True)
    )


def test_sending_an_old_xorb_again_keeps_it_from_gc(captured, owner):
    _, xorbs, _ = captured
    name, body = xorbs[0]
    xorb_receive(
        user_id=owner.pk, xorb_hex=name, stream=io.BytesIO(body), size=len(body)
    )
    old = timezone.now() - timedelta(days=3)
    XetXorb.objects.update(created_at=old)
    XorbClaim.objects.update(created_at=old)
    assert not xorb_receive(
        user_id=owner.pk, xorb_hex=name, stream=io.BytesIO(body), size=len(body)
    )
    xet_collect_garbage(grace_seconds=3600)
    assert XetXorb.objects.filter(pk=name).exists() and xorb_store().exists(name)


def _poison(captured, owner):
    """Register a.bin's Xet bytes under b.bin's SHA-256; the worker catches it."""
    files, xorbs, shard = captured
    parsed = shard_read(shard, footer=False)
    target = hashlib.sha256(files["b.bin"]).digest()
    index = next(
        i
        for i, f in enumerate(parsed.files)
        if f.sha256 == hashlib.sha256(files["a.bin"]).digest()
    )
    parsed.files = [dataclasses.replace(parsed.files[index], sha256=target)]
    for name, body in xorbs:
        xorb_receive(
            user_id=owner.pk, xorb_hex=name, stream=io.BytesIO(body), size=len(body)
        )
    shard_receive(user_id=owner.pk, body=shard_write(parsed, footer=False))
    blob = Blob.objects.get(pk=target.hex())
    assert blob.xet_file is not None and not xet_file_verify(file=blob.xet_file)
    return target.hex(), files["b.bin"]


def test_true_bytes_through_lfs_repair_a_poisoned_digest(captured, owner, stranger):
    sha, data = _poison(captured, owner)
    assert Blob.objects.get(pk=sha).is_quarantined
    plan = upload_plan(
        oid=sha, size=len(data), user_id=stranger.pk, transfers=["basic"]
    )
    assert plan.error is None and plan.transfer  # asked for the bytes
    blob_upload(stream=io.BytesIO(data), expected_sha256=sha, expected_size=len(data))
    blob = Blob.objects.get(pk=sha)
    assert blob.in_store and not blob.is_quarantined and blob.xet_file is None
    assert blob.checked_at is None  # checked again, as the bytes it now has
    assert b"".join(blob_store().iter_range(sha)) == data


def test_true_bytes_through_xet_repair_a_poisoned_digest(captured, owner):
    files, xorbs, shard = captured
    sha, data = _poison(captured, owner)
    shard_receive(user_id=owner.pk, body=shard)  # the honest shard
    honest = XetFile.objects.get(sha256=sha, verify_error="")
    assert xet_file_verify(file=honest)
    blob = Blob.objects.get(pk=sha)
    assert not blob.is_quarantined and blob.xet_file == honest
    assert b"".join(blob_store().iter_range(sha)) == data
