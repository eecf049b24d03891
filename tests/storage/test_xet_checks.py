"""Checks of content stored only through Xet (issue 15).

The real client (hf_xet) uploads to the capturing stand-in CAS; its xorbs
and shard are handed to the hub's receivers, as the CAS views do, and the
files are committed. A file's check first rebuilds its bytes and verifies
the SHA-256 its shard declared; the repo-level check waits for that.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import struct

import pytest

from hub.catalog.models import Commit
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import AddFile
from hub.jobs.models import BlobVerdict, ValidationRun
from hub.jobs.selectors import checks_summary, failing_check_messages
from hub.jobs.services.xet import MISMATCH_CODE
from hub.storage.models import Blob
from hub.storage.xet.shard import shard_read
from hub.storage.xet.shard_write import shard_write
from hub.storage.xetcas.receive import shard_receive, xorb_receive
from tests.factories import commit_files, make_repo
from tests.storage.xet.cas_capture import client_upload
from workers.evals.runner import _copy_verified
from workers.jobs import check_file, check_repo

ELEMENTS = 64 * 1024


def safetensors_bytes() -> bytes:
    header = json.dumps(
        {"w": {"dtype": "F32", "shape": [ELEMENTS], "data_offsets": [0, 4 * ELEMENTS]}}
    ).encode()
    header += b" " * (-len(header) % 8)
    body = struct.pack(f"<{ELEMENTS}f", *(i / 7 for i in range(ELEMENTS)))
    return struct.pack("<Q", len(header)) + header + body


@pytest.fixture(scope="module")
def uploaded(tmp_path_factory):
    """What the real client sends for one safetensors file: (bytes, xorbs, shard)."""
    root = tmp_path_factory.mktemp("client")
    data = safetensors_bytes()
    xorbs, shard = client_upload({"model.safetensors": data}, root)
    return data, xorbs, shard


@pytest.fixture(params=["local", "s3"])
def backend(request):
    """The xorbs on local disk, or in an S3 bucket (moto over HTTP)."""
    if request.param == "s3":
        request.getfixturevalue("s3_store")
    return request.param


def receive(user, xorbs, shard: bytes) -> None:
    for name, body in xorbs:
        xorb_receive(
            user_id=user.pk, xorb_hex=name, stream=io.BytesIO(body), size=len(body)
        )
    shard_receive(user_id=user.pk, body=shard)


def forged(shard: bytes, sha256: bytes) -> bytes:
    """The same shard, declaring another SHA-256 for its file."""
    parsed = shard_read(shard, footer=False)
    parsed.files[0] = dataclasses.replace(parsed.files[0], sha256=sha256)
    return shard_write(parsed, footer=False)


def commit_xet_file(owner, sha256: str, name: str = "xet-model") -> Commit:
    repo = make_repo(owner, name)
    commit_files(
        repo,
        {
            "config.json": b'{"model_type": "bert"}',
            "README.md": b"---\nlicense: mit\n---\n# Xet\n",
        },
        author=owner,
    )
    return commit_create(
        repo=repo,
        operations=[AddFile("model.safetensors", sha256)],
        title="weights through Xet",
        author=owner,
    )


def check_other_files(commit: Commit) -> None:
    """The checks of the commit's regular files (README, config...)."""
    others = ValidationRun.objects.filter(commit=commit, kind="file", status="queued")
    for run in others.exclude(path="model.safetensors"):
        check_file(run.pk)


def runs_of(commit: Commit) -> tuple[ValidationRun, ValidationRun]:
    runs = ValidationRun.objects.filter(commit=commit)
    return runs.get(path="model.safetensors"), runs.get(kind="repo")


def test_the_file_check_verifies_the_sha256_then_reads_by_range(
    uploaded, owner, backend
):
    data, xorbs, shard = uploaded
    receive(owner, xorbs, shard)
    sha256 = hashlib.sha256(data).hexdigest()
    blob = Blob.objects.select_related("xet_file").get(pk=sha256)
    assert blob.xet_file is not None
    assert not blob.in_store and blob.xet_file.verified_at is None
    run, _ = runs_of(commit_xet_file(owner, sha256))

    check_file(run.pk)

    run.refresh_from_db()
    blob.refresh_from_db()
    assert blob.xet_file is not None and blob.xet_file.verified_at is not None
    assert (run.status, run.verdict) == ("succeeded", "passed"), run.log
    assert run.metadata["parameters"] == {"F32": ELEMENTS}
    assert blob.checked_at is not None and not blob.is_quarantined


def test_the_repo_check_waits_for_the_xet_file_check(
    uploaded, owner, django_capture_on_commit_callbacks
):
    data, xorbs, shard = uploaded
    receive(owner, xorbs, shard)
    commit = commit_xet_file(owner, hashlib.sha256(data).hexdigest())
    file_run, repo_run = runs_of(commit)
    check_other_files(commit)

    check_repo(repo_run.pk)

    repo_run.refresh_from_db()
    # Back in the queue, no attempt spent, no verdict on unverified bytes.
    assert (repo_run.status, repo_run.attempts, repo_run.verdict) == ("queued", 0, "")
    with django_capture_on_commit_callbacks() as woken:
        check_file(file_run.pk)
    assert woken, "the verifying check wakes the waiting repo check"
    check_repo(repo_run.pk)
    repo_run.refresh_from_db()
    assert repo_run.status == "succeeded", repo_run.log
    assert checks_summary(commit=commit).state == "success"


def test_a_forged_sha256_fails_the_check_naming_the_file(uploaded, owner, backend):
    _, xorbs, shard = uploaded
    lie = hashlib.sha256(b"someone else's weights").digest()
    receive(owner, xorbs, forged(shard, lie))
    commit = commit_xet_file(owner, lie.hex(), "forged")
    file_run, repo_run = runs_of(commit)
    check_other_files(commit)

    check_file(file_run.pk)

    file_run.refresh_from_db()
    assert (file_run.status, file_run.verdict) == ("failed", "quarantine")
    [finding] = file_run.findings
    assert finding["code"] == MISMATCH_CODE
    assert lie.hex() in finding["message"]
    blob = Blob.objects.get(pk=lie.hex())
    assert blob.is_quarantined and blob.checked_at is not None
    [message] = failing_check_messages(commit=commit)
    assert message.startswith("model.safetensors: The bytes rebuilt from this file")
    # The failure is not a verdict on the content the digest names.
    assert not BlobVerdict.objects.filter(blob=blob).exclude(
        validator_version="xet-sha256/1"
    )
    check_repo(repo_run.pk)  # nothing left to wait for
    repo_run.refresh_from_db()
    assert repo_run.status in ("succeeded", "failed")
    assert checks_summary(commit=commit).state == "failure"


def test_the_repo_check_errors_when_the_file_check_could_not_run(
    uploaded, owner, settings
):
    settings.HUB_JOB_MAX_ATTEMPTS = 1
    data, xorbs, shard = uploaded
    receive(owner, xorbs, shard)
    commit = commit_xet_file(owner, hashlib.sha256(data).hexdigest())
    file_run, repo_run = runs_of(commit)
    check_other_files(commit)
    ValidationRun.objects.filter(pk=file_run.pk).update(status="errored")

    check_repo(repo_run.pk)

    repo_run.refresh_from_db()
    assert repo_run.status == "errored"
    assert "could not be verified" in repo_run.log
    assert checks_summary(commit=commit).state == "error"


def test_evals_materialize_xet_only_files_by_streaming(uploaded, owner, tmp_path):
    data, xorbs, shard = uploaded
    receive(owner, xorbs, shard)
    sha256 = hashlib.sha256(data).hexdigest()

    _copy_verified(sha256, len(data), tmp_path / "model.safetensors")

    assert (tmp_path / "model.safetensors").read_bytes() == data
