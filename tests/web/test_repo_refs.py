"""Branches and tags on the web (``/{namespace}/{name}/branches``): writers
list, create and delete them, as ``ref_create`` / ``ref_delete`` decide;
the default branch stays; bad input gets the use case's message and status."""

from __future__ import annotations

from html import unescape

import pytest

from hub.accounts.models import Membership, User
from hub.catalog.models import Ref
from tests.factories import commit_files, make_org, make_repo, make_user


@pytest.fixture
def lab(owner):
    """The org ``lab`` with a private model and members of each role."""
    org = make_org("lab", creator=owner)
    for username, role in (("reader", "read"), ("writer", "write")):
        Membership.objects.create(organization=org, user=make_user(username), role=role)
    repo = make_repo(org, "weights", creator=owner, is_private=True)
    commit_files(repo, {"README.md": b"# Weights\n"}, author=owner)
    return repo


def _as(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def _html(response) -> str:
    return unescape(response.content.decode())


def test_anonymous_visitors_are_sent_to_sign_in(client, lab):
    response = client.get("/lab/weights/branches")
    assert response.status_code == 302 and response["Location"].startswith("/login")
    client.post("/lab/weights/branches/create", {"kind": "branch", "name": "x"})
    assert Ref.objects.filter(repo=lab).count() == 1


@pytest.mark.parametrize(
    ("username", "status"),
    [("stranger", 404), ("reader", 403), ("writer", 200), ("owner", 200)],
)
def test_branches_are_for_writers(client, lab, stranger, username, status):
    _as(client, username)
    assert client.get("/lab/weights/branches").status_code == status
    response = client.post(
        "/lab/weights/branches/create", {"kind": "tag", "name": f"by-{username}"}
    )
    assert response.status_code == (302 if status == 200 else status)
    created = Ref.objects.filter(repo=lab, name=f"by-{username}").exists()
    assert created is (status == 200)
    response = client.post(
        "/lab/weights/branches/delete", {"kind": "tag", "name": f"by-{username}"}
    )
    assert response.status_code == (302 if status == 200 else status)
    assert not Ref.objects.filter(repo=lab, name=f"by-{username}").exists()


def test_the_branches_link_shows_for_writers_only(client, lab):
    link = 'href="/lab/weights/branches"'
    _as(client, "reader")
    assert link not in _html(client.get("/lab/weights/tree/main"))
    _as(client, "writer")
    assert link in _html(client.get("/lab/weights/tree/main"))
    # Writers do not administer: no settings tab, and the page is 403.
    assert 'href="/lab/weights/settings"' not in _html(client.get("/lab/weights"))
    assert client.get("/lab/weights/settings").status_code == 403


def test_a_writer_creates_and_deletes_branches_and_tags(client, lab):
    _as(client, "writer")
    head = Ref.objects.get(repo=lab, name="main").commit
    response = client.post(
        "/lab/weights/branches/create",
        {"kind": "branch", "name": "dev", "revision": ""},
        follow=True,
    )
    assert f"Branch dev created at {head.oid[:8]}." in _html(response)
    client.post(
        "/lab/weights/branches/create",
        {"kind": "tag", "name": "v1.0", "revision": "dev"},
    )
    refs = dict(Ref.objects.filter(repo=lab).values_list("name", "kind"))
    assert refs == {"main": "branch", "dev": "branch", "v1.0": "tag"}
    html = _html(client.get("/lab/weights/branches"))
    assert 'aria-label="Delete tag v1.0"' in html
    assert 'aria-label="Delete branch main"' not in html
    client.post("/lab/weights/branches/delete", {"kind": "tag", "name": "v1.0"})
    client.post("/lab/weights/branches/delete", {"kind": "branch", "name": "dev"})
    assert list(Ref.objects.filter(repo=lab).values_list("name", flat=True)) == ["main"]


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"kind": "branch", "name": "main"}, 409, "already exists"),
        ({"kind": "tag", "name": "main"}, 409, "already exists"),
        ({"kind": "branch", "name": "bad..name"}, 400, "branch name"),
        ({"kind": "branch", "name": "x", "revision": "nowhere"}, 404, "nowhere"),
        ({"kind": "bookmark", "name": "x"}, 400, "kind: Select a valid choice"),
        ({"kind": "branch", "name": ""}, 400, "name: This field is required"),
    ],
)
def test_bad_refs_get_the_use_cases_message_and_status(
    client, lab, data, status, message
):
    _as(client, "writer")
    response = client.post("/lab/weights/branches/create", data)
    assert response.status_code == status
    html = _html(response)
    assert message in html and 'role="alert"' in html
    assert Ref.objects.filter(repo=lab).count() == 1


def test_the_default_branch_cannot_be_deleted(client, lab):
    _as(client, "writer")
    response = client.post(
        "/lab/weights/branches/delete", {"kind": "branch", "name": "main"}
    )
    assert response.status_code == 400
    assert "The main branch cannot be deleted." in _html(response)
    assert Ref.objects.filter(repo=lab, name="main").exists()
    response = client.post(
        "/lab/weights/branches/delete", {"kind": "tag", "name": "ghost"}
    )
    assert response.status_code == 404
