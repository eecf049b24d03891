"""The browser upload endpoints refuse hostile paths and hostile JSON with a
400 that says what is wrong, and commit nothing (issue 13, holes 6 and 11)."""

from __future__ import annotations

import hashlib

import pytest

from hub.catalog.models import Ref

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes) -> str:
    oid = hashlib.sha256(data).hexdigest()
    plan = client.post(
        "/owner/tiny/upload/plan",
        {"files": [{"oid": oid, "size": len(data)}]},
        content_type="application/json",
    ).json()["files"][0]
    put = client.generic(
        "PUT", plan["href"], data=data, content_type="application/octet-stream"
    )
    assert put.status_code == 200
    return oid


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("sub/.git/config", "'.git' directory"),
        ("sub/.GIT/config", "'.git' directory"),
        ("read\u202emd.exe", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("a\u2044b.txt", "U+2044 FRACTION SLASH"),
        ("trailing./x.txt", "ending in a dot"),
    ],
)
def test_browser_commit_with_hostile_path_is_refused(client, owner, repo, path, named):
    client.force_login(owner)
    head = Ref.objects.get(repo=repo, name="main").commit_id
    oid = _upload(client, b"[core]\n\tfsmonitor = evil\n")

    response = client.post(
        "/owner/tiny/upload/commit",
        {"files": [{"path": path, "oid": oid}], "title": "Add", "branch": "main"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert named in response.json()["detail"]
    assert Ref.objects.get(repo=repo, name="main").commit_id == head


def test_browser_upload_plan_with_deep_json_is_refused(client, owner, repo):
    client.force_login(owner)
    deep = b'{"files": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

    response = client.post(
        "/owner/tiny/upload/plan", deep, content_type="application/json"
    )

    assert response.status_code == 400
    assert "more than 64 levels deep" in response.json()["detail"]
