"""``manage.py hub_stats``: the hub in numbers, counted from every app."""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from django.utils import timezone

from hub.catalog.models import Commit, ModelRepo
from hub.jobs.models import ValidationRun
from hub.moderation.models import Report
from hub.storage.models import Blob
from hub.storage.services import blob_upload_bytes
from tests.factories import commit_files, make_org, make_repo, make_user


def stats() -> dict:
    out = io.StringIO()
    call_command("hub_stats", "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_every_section_counts_what_the_tables_hold(owner, stranger):
    sleeper = make_user("sleeper")
    sleeper.is_active = False
    sleeper.save(update_fields=["is_active"])
    org = make_org("lab", creator=owner)
    public = make_repo(owner, "public")
    make_repo(owner, "private", is_private=True)
    gated = make_repo(org, "gated")
    disabled = make_repo(org, "disabled")
    ModelRepo.objects.filter(pk=gated.pk).update(gated="auto")
    ModelRepo.objects.filter(pk=disabled.pk).update(
        disabled_at=timezone.now(), downloads=5
    )
    ModelRepo.objects.filter(pk=public.pk).update(downloads=37)
    commit = commit_files(public, {"w.bin": b"x" * 1000}, author=owner)
    blob_upload_bytes(data=b"nobody's")  # stored, referenced by no commit
    ValidationRun.objects.filter(commit=commit, path="w.bin").update(status="failed")
    Blob.objects.filter(pk=commit.entries.get(path="w.bin").blob_id).update(
        is_quarantined=True
    )
    Report.objects.create(
        reporter=stranger, kind="model", repo=public, reason="other", text="?"
    )
    Report.objects.create(
        reporter=stranger, kind="model", repo=gated, reason="other", status="resolved"
    )

    got = stats()

    assert got["users"] == {"total": 3, "active": 2, "staff": 0}
    assert got["organizations"] == 1
    assert got["repos"] == {
        "total": 4,
        "public": 3,
        "private": 1,
        "gated": 1,
        "disabled": 1,
    }
    assert got["commits"] == Commit.objects.count() == 5  # 4 initial + 1
    assert got["downloads"] == 42
    blobs = got["blobs"]
    assert blobs["count"] == Blob.objects.count()
    assert blobs["quarantined"] == 1 and blobs["xet_only"] == 0
    assert blobs["in_store_bytes"] == blobs["stored_bytes"] == blobs["logical_bytes"]
    assert (blobs["xorbs"], blobs["xorb_bytes"], blobs["shards"]) == (0, 0, 0)
    # Storage counts what commits reference: not the unreferenced upload.
    storage = got["storage"]
    assert storage["logical_bytes"] == blobs["logical_bytes"] - len(b"nobody's")
    assert storage["stored_bytes"] == storage["logical_bytes"]
    runs = got["validation_runs"]
    assert set(runs) == set(ValidationRun.Status.values)
    assert runs["failed"] == 1
    assert sum(runs.values()) == ValidationRun.objects.count()
    assert got["eval_runs"]["queued"] == 0
    assert got["reports"] == {"open": 1, "total": 2}


def test_stats_are_counted_fresh_not_from_the_cached_storage_figure(owner):
    repo = make_repo(owner, "growing")
    before = stats()["storage"]["logical_bytes"]
    commit_files(repo, {"big.bin": b"y" * 5000}, author=owner)
    assert stats()["storage"]["logical_bytes"] == before + 5000


def test_text_output_has_one_line_per_section(db):
    out = io.StringIO()
    call_command("hub_stats", stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "users",
        "organizations",
        "repos",
        "commits",
        "downloads",
        "blobs",
        "storage",
        "validation_runs",
        "eval_runs",
        "reports",
    ]
    assert "logical_bytes 0 bytes" in out.getvalue()
