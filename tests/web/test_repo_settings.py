"""The repo settings page over HTTP, from every side: who sees it, who may
post each form, and what hostile input gets (the use case's message and
status, nothing changed)."""

from __future__ import annotations

import pytest
from django.test import Client

from hub.access.services import license_accept
from hub.accounts.models import Membership, User
from hub.accounts.services import token_create
from hub.catalog.models import ModelRepo, RepoRedirect
from hub.licenses.models import LicenseAcceptance
from tests.factories import commit_files, make_org, make_repo, make_user

ACTIONS = ("visibility", "gating", "access", "move", "delete")


@pytest.fixture
def lab(owner):
    """The org ``lab`` (owner is its admin) with a private model ``lab/weights``
    and members of each role."""
    org = make_org("lab", creator=owner)
    for username, role in (("reader", "read"), ("writer", "write"), ("boss", "admin")):
        Membership.objects.create(organization=org, user=make_user(username), role=role)
    repo = make_repo(org, "weights", creator=owner, is_private=True)
    commit_files(repo, {"README.md": b"# Weights\n"}, author=owner)
    return repo


def _as(client: Client, username: str | None) -> Client:
    if username is not None:
        client.force_login(User.objects.get(username=username))
    return client


def _html(response) -> str:
    return response.content.decode()


# Who sees the page ------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, repo):
    response = client.get("/owner/tiny/settings")
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=/owner/tiny/settings")
    response = client.post("/owner/tiny/settings/visibility", {"visibility": "private"})
    assert response.status_code == 302
    repo.refresh_from_db()
    assert not repo.is_private


def test_strangers_get_403_on_a_public_model_and_404_on_a_private_one(
    client, repo, private_repo, stranger
):
    client.force_login(stranger)
    assert client.get("/owner/tiny/settings").status_code == 403
    assert client.get("/owner/secret/settings").status_code == 404
    for action in ACTIONS:
        assert client.post(f"/owner/tiny/settings/{action}").status_code == 403
        assert client.post(f"/owner/secret/settings/{action}").status_code == 404
    response = client.post(
        "/owner/tiny/settings/delete", {"confirm": "owner/tiny"}, follow=False
    )
    assert response.status_code == 403
    assert ModelRepo.objects.filter(pk=repo.pk).exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("stranger", 404),
        ("reader", 403),
        ("writer", 403),
        ("boss", 200),
        ("owner", 200),
    ],
)
def test_org_model_settings_are_for_the_orgs_admins(
    client, lab, stranger, username, status
):
    _as(client, username)
    assert client.get("/lab/weights/settings").status_code == status
    response = client.post("/lab/weights/settings/visibility", {"visibility": "public"})
    assert response.status_code == (302 if status == 200 else status)
    lab.refresh_from_db()
    assert lab.is_private is (status != 200)


def test_staff_who_are_not_superusers_do_not_administer_others_models(client, repo):
    client.force_login(make_user("mod", is_staff=True))
    assert client.get("/owner/tiny/settings").status_code == 403
    root = make_user("sysop")
    root.is_superuser = True
    root.save()
    client.force_login(root)
    assert client.get("/owner/tiny/settings").status_code == 200


def test_a_deactivated_users_session_no_longer_reaches_the_page(client, repo, owner):
    client.force_login(owner)
    owner.is_active = False
    owner.save()
    response = client.post("/owner/tiny/settings/visibility", {"visibility": "private"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login")
    repo.refresh_from_db()
    assert not repo.is_private


def test_a_token_is_not_a_session_on_the_settings_pages(repo, owner):
    """Pages take sessions only: even the owner's write token, sent as a
    header, is an anonymous visitor here (the APIs take tokens)."""
    _, secret = token_create(user=owner, name="write", scope="write")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    response = client.get("/owner/tiny/settings")
    assert response.status_code == 302
    assert response["Location"].startswith("/login")
    client.post("/owner/tiny/settings/delete", {"confirm": "owner/tiny"})
    assert ModelRepo.objects.filter(pk=repo.pk).exists()


def test_the_settings_tab_shows_only_for_admins(client, lab, owner):
    tab = 'href="/lab/weights/settings"'
    _as(client, "writer")
    assert tab not in _html(client.get("/lab/weights"))
    _as(client, "boss")
    html = _html(client.get("/lab/weights"))
    assert tab in html
    settings_html = _html(client.get("/lab/weights/settings"))
    assert 'aria-current="page">Settings</a>' in settings_html


def test_forms_need_the_csrf_token(repo, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post("/owner/tiny/settings/visibility", {"visibility": "private"})
    assert response.status_code == 403
    repo.refresh_from_db()
    assert not repo.is_private
    html = _html(client.get("/owner/tiny/settings"))
    assert html.count("csrfmiddlewaretoken") >= len(ACTIONS)


# Visibility and gating --------------------------------------------------------


def test_admin_makes_the_model_private_and_public_again(client, repo, owner):
    client.force_login(owner)
    response = client.post(
        "/owner/tiny/settings/visibility", {"visibility": "private"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/owner/tiny/settings#visibility"
    assert "owner/tiny is now private." in _html(response)
    repo.refresh_from_db()
    assert repo.is_private
    client.post("/owner/tiny/settings/visibility", {"visibility": "public"})
    repo.refresh_from_db()
    assert not repo.is_private


def test_bad_visibility_or_gating_values_are_400_and_change_nothing(
    client, repo, owner
):
    client.force_login(owner)
    response = client.post("/owner/tiny/settings/visibility", {"visibility": "hidden"})
    assert response.status_code == 400
    assert "visibility: Select a valid choice" in _html(response)
    response = client.post("/owner/tiny/settings/gating", {"gated": "sometimes"})
    assert response.status_code == 400
    repo.refresh_from_db()
    assert (repo.is_private, repo.gated) == (False, "off")


def test_gating_modes_are_the_models_and_the_license_gate_is_explained(
    client, repo, owner
):
    client.force_login(owner)
    html = _html(client.get("/owner/tiny/settings"))
    for value in ModelRepo.Gated.values:
        assert f'name="gated" value="{value}"' in html
    client.post("/owner/tiny/settings/gating", {"gated": "manual"})
    repo.refresh_from_db()
    assert repo.gated == "manual"
    ModelRepo.objects.filter(pk=repo.pk).update(gated="off", license="llama3")
    html = _html(client.get("/owner/tiny/settings"))
    assert "the gate in force is <strong>auto</strong>" in html


def test_admin_accepts_and_rejects_access_requests(client, repo, owner, stranger):
    repo.gated = "manual"
    repo.save()
    license_accept(repo=repo, user=stranger, fields={"reason": "research"})
    other = make_user("other")
    license_accept(repo=repo, user=other)
    client.force_login(owner)
    html = _html(client.get("/owner/tiny/settings"))
    assert 'aria-label="Accept stranger"' in html and "research" in html
    response = client.post(
        "/owner/tiny/settings/access",
        {"username": "stranger", "status": "accepted"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/owner/tiny/settings#access-requests"
    assert "stranger: accepted." in _html(response)
    client.post(
        "/owner/tiny/settings/access", {"username": "other", "status": "rejected"}
    )
    statuses = dict(
        LicenseAcceptance.objects.filter(repo=repo).values_list(
            "user__username", "status"
        )
    )
    assert statuses == {"stranger": "accepted", "other": "rejected"}
    response = client.post(
        "/owner/tiny/settings/access", {"username": "nobody", "status": "accepted"}
    )
    assert response.status_code == 404
    assert "No user is named" in _html(response)


def test_a_requester_cannot_accept_themselves(client, repo, stranger):
    repo.gated = "manual"
    repo.save()
    license_accept(repo=repo, user=stranger)
    client.force_login(stranger)
    response = client.post(
        "/owner/tiny/settings/access", {"username": "stranger", "status": "accepted"}
    )
    assert response.status_code == 403
    assert LicenseAcceptance.objects.get(user=stranger).status == "pending"


# Rename and transfer ----------------------------------------------------------


def test_rename_keeps_the_old_address_working_on_the_web_and_both_apis(
    client, repo, owner
):
    client.force_login(owner)
    response = client.post(
        "/owner/tiny/settings/move", {"namespace": "owner", "name": "tinier"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/owner/tinier/settings#move"
    repo.refresh_from_db()
    assert repo.full_name == "owner/tinier"
    assert RepoRedirect.objects.filter(old_full_name="owner/tiny", repo=repo).exists()
    anonymous = Client()
    old_page = anonymous.get("/owner/tiny/tree/main?x=1")
    assert (old_page.status_code, old_page["Location"]) == (
        302,
        "/owner/tinier/tree/main?x=1",
    )
    assert client.get("/owner/tiny/settings")["Location"] == "/owner/tinier/settings"
    assert anonymous.get("/api/models/owner/tiny").json()["id"] == "owner/tinier"
    v1 = anonymous.get("/api/v1/models/owner/tiny")
    assert v1.status_code == 200 and v1.json()["id"] == "owner/tinier"


def test_forms_posted_to_an_old_address_change_nothing(client, repo, owner):
    client.force_login(owner)
    client.post("/owner/tiny/settings/move", {"namespace": "owner", "name": "tinier"})
    response = client.post("/owner/tiny/settings/delete", {"confirm": "owner/tiny"})
    assert response.status_code == 404
    response = client.post("/owner/tiny/settings/delete", {"confirm": "owner/tinier"})
    assert response.status_code == 404
    assert ModelRepo.objects.filter(pk=repo.pk).exists()


def test_transfer_to_an_organization_the_admin_writes_in(client, repo, owner):
    make_org("lab", creator=owner)
    client.force_login(owner)
    html = _html(client.get("/owner/tiny/settings"))
    assert '<option value="lab">lab</option>' in html
    response = client.post(
        "/owner/tiny/settings/move", {"namespace": "lab", "name": "tiny"}, follow=True
    )
    assert "owner/tiny is now lab/tiny" in _html(response)
    repo.refresh_from_db()
    assert repo.full_name == "lab/tiny"


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"namespace": "owner", "name": "taken"}, 409, "owner/taken already exists"),
        ({"namespace": "owner", "name": "TAKEN"}, 409, "already exists"),
        ({"namespace": "owner", "name": "bad name!"}, 400, "repository name"),
        ({"namespace": "owner", "name": "x" * 97}, 400, "name:"),
        ({"namespace": "stranger", "name": "tiny"}, 403, "cannot create"),
        ({"namespace": "nowhere", "name": "tiny"}, 403, "cannot create"),
        ({"namespace": "theirs", "name": "tiny"}, 403, "cannot create"),
    ],
)
def test_hostile_moves_get_a_clear_message_and_change_nothing(
    client, repo, owner, stranger, data, status, message
):
    make_repo(owner, "taken")
    theirs = make_org("theirs", creator=stranger)
    Membership.objects.create(organization=theirs, user=owner, role="read")
    client.force_login(owner)
    response = client.post("/owner/tiny/settings/move", data)
    assert response.status_code == status
    html = _html(response)
    assert message in html
    assert 'id="move"' in html and 'role="alert"' in html
    repo.refresh_from_db()
    assert repo.full_name == "owner/tiny"
    assert not RepoRedirect.objects.exists()


def test_an_org_writer_cannot_move_the_orgs_model_to_their_namespace(client, lab):
    _as(client, "writer")
    response = client.post(
        "/lab/weights/settings/move", {"namespace": "writer", "name": "weights"}
    )
    assert response.status_code == 403
    lab.refresh_from_db()
    assert lab.full_name == "lab/weights"


# Delete -----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["", "tiny", "Owner/Tiny", "owner/tiny ", "owner"])
def test_delete_needs_the_exact_id_typed(client, repo, owner, typed):
    client.force_login(owner)
    response = client.post("/owner/tiny/settings/delete", {"confirm": typed})
    assert response.status_code == 400
    assert "Type owner/tiny exactly to confirm: nothing was deleted." in _html(response)
    assert ModelRepo.objects.filter(pk=repo.pk).exists()


def test_delete_with_the_id_typed_removes_the_model(client, repo, owner):
    client.force_login(owner)
    response = client.post(
        "/owner/tiny/settings/delete", {"confirm": "owner/tiny"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/owner"
    assert "owner/tiny was deleted." in _html(response)
    assert not ModelRepo.objects.filter(pk=repo.pk).exists()
    assert client.get("/owner/tiny").status_code == 404


def test_an_org_admin_deletes_the_orgs_model_but_a_writer_cannot(client, lab):
    _as(client, "writer")
    response = client.post("/lab/weights/settings/delete", {"confirm": "lab/weights"})
    assert response.status_code == 403
    assert ModelRepo.objects.filter(pk=lab.pk).exists()
    _as(client, "boss")
    response = client.post("/lab/weights/settings/delete", {"confirm": "lab/weights"})
    assert response.status_code == 302
    assert not ModelRepo.objects.filter(pk=lab.pk).exists()


def test_an_unknown_settings_action_is_404(client, repo, owner):
    client.force_login(owner)
    assert client.post("/owner/tiny/settings/explode").status_code == 404
    assert client.get("/owner/tiny/settings/visibility").status_code == 405
