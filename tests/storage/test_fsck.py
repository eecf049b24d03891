"""``manage.py hub_fsck``: hostile states built in the store and the database
are found (and repaired with ``--repair``), on local disk and on S3."""

from __future__ import annotations

import hashlib
import io
import json
import os
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from hub.catalog.models import Commit, Ref, TreeEntry
from hub.storage.fsck import FSCK_REASON
from hub.storage.models import Blob
from hub.storage.s3 import S3BlobStore
from hub.storage.stores import raw_store
from hub.storage.xetcas.spaces import shard_store, xorb_store
from tests.factories import commit_files, make_repo
from tests.storage.test_xet_checks import (  # noqa: F401 - a fixture
    commit_xet_file,
    receive,
    uploaded,
)

FILES = {
    "flipped.bin": b"a byte of this object gets flipped " * 10,
    "truncated.bin": b"this object loses its tail " * 10,
    "missing.bin": b"this object disappears " * 10,
    "gone-row.txt": b"this blob row disappears",
    "fine.txt": b"nothing happens to this one",
}


@pytest.fixture(params=["local", "s3"])
def backend(request):
    """Objects on local disk, or in an S3 bucket (moto over HTTP)."""
    if request.param == "s3":
        request.getfixturevalue("s3_store")
    return request.param


def put_raw(sha256: str, data: bytes) -> None:
    """Replace an object's bytes behind the hub's back."""
    store = raw_store()
    path = store.local_path(sha256)
    if path is not None:
        path.write_bytes(data)
        return
    assert isinstance(store, S3BlobStore)
    store.client.put_object(Bucket=store.bucket, Key=store.key(sha256), Body=data)


def fsck(*args: str) -> tuple[dict, int]:
    """The JSON report and the exit status the command would give."""
    out = io.StringIO()
    try:
        call_command("hub_fsck", "--json", *args, stdout=out, stderr=io.StringIO())
    except CommandError as exc:
        return json.loads(out.getvalue()), exc.returncode
    return json.loads(out.getvalue()), 0


def problems(report: dict) -> set[tuple[str, str, str]]:
    return {(f["check"], f["problem"], f["subject"]) for f in report["findings"]}


@pytest.fixture
def hub(owner, backend):
    repo = make_repo(owner, "fsck")
    commit = commit_files(repo, FILES, author=owner)
    sha = {e.path: e.blob_id for e in TreeEntry.objects.filter(commit=commit)}
    yield repo, commit, sha
    # The row break_everything drops is put back: the test's foreign keys
    # are checked when it ends.
    gone = FILES["gone-row.txt"]
    Blob.objects.get_or_create(pk=sha["gone-row.txt"], defaults={"size": len(gone)})


def break_everything(commit, sha) -> str:
    """Flip a byte, truncate, remove an object, drop a row, add an orphan."""
    data = FILES["flipped.bin"]
    put_raw(sha["flipped.bin"], data[:5] + bytes([data[5] ^ 1]) + data[6:])
    put_raw(sha["truncated.bin"], FILES["truncated.bin"][:-7])
    raw_store().delete(sha["missing.bin"])
    # A tree entry whose blob row is gone (foreign keys are checked at commit,
    # which a test never reaches; a restored partial backup looks like this).
    Blob.objects.filter(pk=sha["gone-row.txt"])._raw_delete("default")
    return raw_store().write(io.BytesIO(b"bytes nobody registered")).sha256


def test_a_sound_hub_passes(hub):
    repo, commit, sha = hub
    report, status = fsck()
    assert (report["ok"], status, report["findings"]) == (True, 0, [])
    checks = report["checks"]
    assert set(checks) == {"blobs", "objects", "trees", "refs"}
    assert checks["blobs"]["examined"] == Blob.objects.count() >= len(FILES)
    assert checks["trees"]["examined"] == Commit.objects.count()
    assert checks["refs"]["examined"] == Ref.objects.count()
    assert all(c["problems"] == 0 for c in checks.values())


def test_hostile_states_are_found_and_nothing_is_changed(hub):
    repo, commit, sha = hub
    orphan = break_everything(commit, sha)
    report, status = fsck()
    subject = f"{repo.full_name}@{commit.oid}"
    assert status == 1 and report["ok"] is False
    assert problems(report) == {
        ("blobs", "corrupt", sha["flipped.bin"]),
        ("blobs", "size", sha["truncated.bin"]),
        ("blobs", "missing", sha["missing.bin"]),
        ("objects", "orphan", f"blobs/{orphan}"),
        ("objects", "orphan", f"blobs/{sha['gone-row.txt']}"),
        ("trees", "blob_row_missing", subject),
        ("trees", "content_unreadable", subject),
    }
    unreadable = [
        f["message"] for f in report["findings"] if f["problem"] == "content_unreadable"
    ]
    assert len(unreadable) == 3 and any("missing.bin" in m for m in unreadable)
    assert all(f["repaired"] == "" for f in report["findings"])
    assert not Blob.objects.filter(is_quarantined=True).exists()
    assert raw_store().exists(orphan)


def test_repair_quarantines_bad_blobs_deletes_old_orphans_and_lifts_once_restored(
    hub,
):
    repo, commit, sha = hub
    orphan = break_everything(commit, sha)
    young, _ = fsck("--repair")  # the tests' grace period is an hour
    assert {f["subject"]: f["repaired"] for f in young["findings"]}[
        f"blobs/{orphan}"
    ] == "kept: younger than the grace period"
    assert raw_store().exists(orphan)

    report, status = fsck("--repair", "--grace-seconds", "0")
    assert status == 1  # what was found is reported, repaired or not
    done = {(f["problem"], f["subject"]): f["repaired"] for f in report["findings"]}
    assert done[("orphan", f"blobs/{orphan}")] == "deleted"
    assert done[("corrupt", sha["flipped.bin"])] == "quarantined"
    assert not raw_store().exists(orphan)
    bad = Blob.objects.get(pk=sha["flipped.bin"])
    assert bad.is_quarantined and bad.quarantine_reason.startswith(FSCK_REASON)
    assert set(
        Blob.objects.filter(is_quarantined=True).values_list("pk", flat=True)
    ) == {sha["flipped.bin"], sha["truncated.bin"], sha["missing.bin"]}

    for path in ("flipped.bin", "truncated.bin", "missing.bin"):
        put_raw(sha[path], FILES[path])  # restored from a backup
    report, _ = fsck("--repair")
    assert sorted(report["restored"]) == sorted(
        sha[p] for p in ("flipped.bin", "truncated.bin", "missing.bin")
    )
    assert not Blob.objects.filter(is_quarantined=True).exists()
    assert {f["check"] for f in report["findings"]} == {"trees"}  # the lost row


def test_repair_never_lifts_a_quarantine_it_did_not_set(hub):
    repo, commit, sha = hub
    Blob.objects.filter(pk=sha["fine.txt"]).update(
        is_quarantined=True, quarantine_reason="imports os.system"
    )
    report, status = fsck("--repair")
    assert (status, report["restored"]) == (0, [])
    assert Blob.objects.get(pk=sha["fine.txt"]).is_quarantined


def test_recomputed_git_ids_and_refs_catch_edited_rows(hub, owner):
    repo, commit, sha = hub
    other = commit_files(make_repo(owner, "other"), {"o.txt": b"o"}, author=owner)
    TreeEntry.objects.filter(commit=commit, path="fine.txt").update(git_oid="0" * 40)
    Commit.objects.filter(pk=commit.pk).update(title="history rewritten")
    Ref.objects.create(repo=repo, name="stolen", kind="tag", commit=other)
    report, status = fsck()
    subject = f"{repo.full_name}@{commit.oid}"
    assert status == 1
    assert problems(report) == {
        ("trees", "entry_oid", subject),
        ("trees", "tree_oid", subject),
        ("trees", "commit_oid", subject),
        ("refs", "foreign_commit", f"{repo.full_name} stolen"),
    }


def test_an_old_orphan_on_disk_is_dated_by_its_file(hub, settings):
    if raw_store().local_path("0" * 64) is None:
        pytest.skip("local disk only: S3 dates objects itself")
    orphan = raw_store().write(io.BytesIO(b"an old orphan")).sha256
    old = datetime(2020, 1, 1, tzinfo=UTC).timestamp()
    path = raw_store().local_path(orphan)
    assert path is not None
    os.utime(path, (old, old))
    report, _ = fsck("--repair")
    assert {f["subject"]: f["repaired"] for f in report["findings"]} == {
        f"blobs/{orphan}": "deleted"
    }


def test_text_output_names_each_problem_and_the_way_to_repair(hub):
    repo, commit, sha = hub
    raw_store().delete(sha["missing.bin"])
    out = io.StringIO()
    with pytest.raises(CommandError, match="problems found") as raised:
        call_command("hub_fsck", stdout=out, stderr=io.StringIO())
    assert raised.value.returncode == 1
    text = out.getvalue()
    missing = sha["missing.bin"]
    assert f"blobs missing: Blob {missing}: its object is not in the store." in text
    assert "Run with --repair" in text
    with pytest.raises(CommandError, match="0 or more"):
        call_command("hub_fsck", "--grace-seconds", "-1", stdout=io.StringIO())


def test_xet_only_content_is_rebuilt_and_a_lost_xorb_is_found(
    uploaded,  # noqa: F811 - the real client's upload (tests/storage/test_xet_checks)
    owner,
    backend,
):
    data, xorbs, shard = uploaded
    receive(owner, xorbs, shard)
    sha256 = hashlib.sha256(data).hexdigest()
    commit = commit_xet_file(owner, sha256)
    assert not Blob.objects.get(pk=sha256).in_store
    report, status = fsck()
    assert (status, report["findings"]) == (0, [])

    name = xorbs[0][0]
    xorb_store().delete(name)
    report, status = fsck()
    subject = f"{commit.repo.full_name}@{commit.oid}"
    assert status == 1
    assert problems(report) == {
        ("blobs", "unreadable", sha256),
        ("objects", "missing", f"xorbs/{name}"),
        ("trees", "content_unreadable", subject),
    }


def test_the_admin_verify_action_quarantines_what_fails_for_staff_only(
    hub, client, stranger
):
    repo, commit, sha = hub
    put_raw(sha["flipped.bin"], b"other bytes")
    url = reverse("admin:storage_blob_changelist")
    chosen = {
        "action": "verify_blobs",
        "_selected_action": [sha["flipped.bin"], sha["fine.txt"]],
    }
    client.force_login(stranger)  # not staff: the admin turns them away
    assert client.post(url, chosen).status_code == 302
    assert not Blob.objects.filter(is_quarantined=True).exists()

    stranger.is_staff = stranger.is_superuser = True
    stranger.save()
    page = client.post(url, chosen, follow=True)
    assert "2 verified, 1 failed" in page.content.decode()
    assert set(
        Blob.objects.filter(is_quarantined=True).values_list("pk", flat=True)
    ) == {sha["flipped.bin"]}


def test_orphans_in_the_xet_key_spaces_are_found_and_repaired(hub):
    xorb = xorb_store().write(io.BytesIO(b"no xorb row names this")).sha256
    shard = shard_store().write(io.BytesIO(b"no shard row names this")).sha256
    report, status = fsck("--repair", "--grace-seconds", "0")
    assert status == 1
    assert {(f["subject"], f["repaired"]) for f in report["findings"]} == {
        (f"xorbs/{xorb}", "deleted"),
        (f"shards/{shard}", "deleted"),
    }
    assert not xorb_store().exists(xorb) and not shard_store().exists(shard)
    assert fsck()[1] == 0
