"""Publishing from the browser, server side: new model, upload plan, commit."""

from __future__ import annotations

import hashlib

import pytest

from hub.catalog.models import ModelRepo, Ref
from hub.community.models import Discussion
from hub.storage.models import Blob
from hub.storage.services import blob_collect_garbage
from tests.factories import make_org

pytestmark = pytest.mark.django_db


def _plan(client, url, files, **extra):
    return client.post(url, {"files": files, **extra}, content_type="application/json")


def _put(client, href, data):
    return client.generic(
        "PUT", href, data=data, content_type="application/octet-stream"
    )


def _upload(client, repo_url, data, **extra):
    oid = hashlib.sha256(data).hexdigest()
    plan = _plan(
        client, f"{repo_url}/upload/plan", [{"oid": oid, "size": len(data)}], **extra
    ).json()["files"][0]
    if plan["transfer"] == "basic":
        assert _put(client, plan["href"], data).status_code == 200
    return oid, plan


def test_new_model_creates_repo_and_card(client, owner):
    client.force_login(owner)
    assert client.get("/new").status_code == 200
    response = client.post(
        "/new",
        {
            "owner": "owner",
            "name": "my-model",
            "visibility": "private",
            "license": "mit",
            "pipeline_tag": "text-generation",
            "library_name": "transformers",
            "description": "Small and fast.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/owner/my-model/upload"
    repo = ModelRepo.objects.get(name="my-model")
    assert repo.is_private
    assert (repo.license, repo.pipeline_tag, repo.library_name) == (
        "mit",
        "text-generation",
        "transformers",
    )
    assert "Small and fast." in client.get("/owner/my-model").content.decode()


def test_new_model_shows_service_errors_on_the_form(client, owner, repo):
    client.force_login(owner)
    response = client.post(
        "/new", {"owner": "owner", "name": "tiny", "visibility": "public"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    response = client.post(
        "/new", {"owner": "owner", "name": "bad--name", "visibility": "public"}
    )
    assert "must not contain" in response.content.decode()


def test_new_model_in_an_org_needs_write_role(client, owner, stranger):
    make_org("lab", creator=owner)
    client.force_login(stranger)
    response = client.post(
        "/new", {"owner": "lab", "name": "x", "visibility": "public"}
    )
    assert response.status_code == 200  # "lab" is not a choice for stranger
    assert not ModelRepo.objects.filter(name="x").exists()


def test_new_model_requires_sign_in(client, db):
    response = client.get("/new")
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=/new")


def test_owner_uploads_and_commits_through_signed_urls(client, owner, repo):
    client.force_login(owner)
    page = client.get("/owner/tiny/upload")
    assert page.status_code == 200
    head = Ref.objects.get(repo=repo, name="main").commit.oid
    data = b"hello weights" * 1000
    oid, plan = _upload(client, "/owner/tiny", data)
    assert plan["transfer"] == "basic"
    assert plan["href"].startswith(f"/owner/tiny.git/info/lfs/objects/{oid}?sig=")
    response = client.post(
        "/owner/tiny/upload/commit",
        {
            "files": [{"path": "weights/part-1.bin", "oid": oid}],
            "title": "Add weights",
            "branch": "main",
            "parent": head,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    commit_oid = response.json()["commit"]
    assert response.json()["url"] == f"/owner/tiny/commit/{commit_oid}"
    assert client.get("/owner/tiny/tree/main/weights").status_code == 200
    # Uploading the same content again: nothing to send.
    _, again = _upload(client, "/owner/tiny", data)
    assert again["transfer"] == "stored"


def test_commit_on_a_moved_branch_is_refused(client, owner, repo):
    client.force_login(owner)
    oid, _ = _upload(client, "/owner/tiny", b"abc")
    response = client.post(
        "/owner/tiny/upload/commit",
        {"files": [{"path": "a.txt", "oid": oid}], "title": "A", "parent": "0" * 40},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale_parent"


def test_stranger_opens_a_pull_request_instead(client, stranger, repo):
    client.force_login(stranger)
    page = client.get("/owner/tiny/upload")
    assert page.status_code == 200
    assert "pull request" in page.content.decode()
    data = b"a better config"
    oid = hashlib.sha256(data).hexdigest()
    denied = _plan(client, "/owner/tiny/upload/plan", [{"oid": oid, "size": len(data)}])
    assert denied.status_code == 403
    oid, _ = _upload(client, "/owner/tiny", data, pr=True)
    response = client.post(
        "/owner/tiny/upload/commit",
        {"files": [{"path": "config.json", "oid": oid}], "title": "Fix", "pr": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["pull_request"] == 1
    pr = Discussion.objects.get(repo=repo, num=1)
    assert pr.is_pull_request and pr.author == stranger
    main = Ref.objects.get(repo=repo, name="main").commit
    assert main.title == "Add the model"  # main did not move


def test_commit_of_content_never_uploaded_is_refused(client, owner, stranger, repo):
    client.force_login(owner)
    oid, _ = _upload(client, "/owner/tiny", b"owner's secret weights")
    client.force_login(stranger)
    response = client.post(
        "/owner/tiny/upload/commit",
        {"files": [{"path": "x.bin", "oid": oid}], "title": "Steal", "pr": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "missing_blob"


def test_upload_endpoints_refuse_anonymous_and_csrf_less_calls(repo, owner):
    from django.test import Client

    anonymous = Client()
    assert _plan(anonymous, "/owner/tiny/upload/plan", []).status_code == 401
    assert anonymous.get("/owner/tiny/upload").status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert _plan(strict, "/owner/tiny/upload/plan", []).status_code == 403


def test_cancelled_upload_leaves_nothing_after_gc(client, owner, repo):
    """Bytes sent without a commit are unreferenced: the collector removes them."""
    client.force_login(owner)
    commits = repo.commits.count()
    oid, _ = _upload(client, "/owner/tiny", b"abandoned" * 100)
    assert Blob.objects.filter(pk=oid).exists()
    # The browser stops here (cancel, closed tab): no commit request.
    assert repo.commits.count() == commits
    assert oid in blob_collect_garbage(grace_seconds=0)
    assert not Blob.objects.filter(pk=oid).exists()


def test_plan_reports_bad_objects(client, owner, repo):
    client.force_login(owner)
    plan = _plan(
        client, "/owner/tiny/upload/plan", [{"oid": "nothex", "size": 1}]
    ).json()
    assert "SHA-256" in plan["files"][0]["error"]
    assert _plan(client, "/owner/tiny/upload/plan", [{"oid": 1}]).status_code == 400


def test_multipart_plan_for_large_files(client, owner, repo, settings):
    settings.HUB_LFS_MULTIPART_THRESHOLD_BYTES = 10
    settings.HUB_LFS_MULTIPART_CHUNK_BYTES = 5 * 1024 * 1024
    client.force_login(owner)
    size = 6 * 1024 * 1024
    plan = _plan(
        client, "/owner/tiny/upload/plan", [{"oid": "a" * 64, "size": size}]
    ).json()["files"][0]
    assert plan["transfer"] == "multipart"
    assert len(plan["parts"]) == 2
    assert "/complete?sig=" in plan["href"]
