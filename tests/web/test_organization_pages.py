"""Organization pages over HTTP from every side: the members page (members
read it, admins change it, the last admin stays) and the profile settings."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from hub.accounts.actors import Actor
from hub.accounts.models import Membership, Organization, User
from hub.accounts.services import token_create
from hub.accounts.usecases import organization_update_profile
from hub.audit.models import AuditEvent
from hub.core.errors import AuthenticationError, PermissionDeniedError
from tests.factories import make_org, make_user

MEMBERS = "/organizations/lab/members"
SETTINGS = "/organizations/lab/settings"


@pytest.fixture
def lab(owner):
    """``lab``: owner is its admin, reader reads, writer writes."""
    org = make_org("lab", creator=owner)
    for username, role in (("reader", "read"), ("writer", "write")):
        Membership.objects.create(organization=org, user=make_user(username), role=role)
    return org


def _login(client: Client, username: str) -> Client:
    client.force_login(User.objects.get(username=username))
    return client


def _roles(org: Organization) -> dict[str, str]:
    return dict(
        Membership.objects.filter(organization=org).values_list(
            "user__username", "role"
        )
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, lab):
    for url in (MEMBERS, SETTINGS):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login")
    client.post(MEMBERS, {"username": "reader", "role": "admin"})
    assert _roles(lab)["reader"] == "read"


@pytest.mark.parametrize(
    ("username", "members", "settings"),
    [("stranger", 403, 403), ("reader", 200, 403), ("writer", 200, 403)],
)
def test_who_sees_the_members_and_settings_pages(
    client, lab, stranger, username, members, settings
):
    _login(client, username)
    assert client.get(MEMBERS).status_code == members
    assert client.get(SETTINGS).status_code == settings
    for data in (
        {"username": username, "role": "admin"},
        {"action": "remove", "username": "owner"},
    ):
        assert client.post(MEMBERS, data).status_code == 403
    response = client.post(SETTINGS, {"display_name": "Hijacked"})
    assert response.status_code == 403
    lab.refresh_from_db()
    assert lab.display_name == ""
    assert _roles(lab) == {"owner": "admin", "reader": "read", "writer": "write"}


def test_staff_are_not_admins_of_organizations_but_superusers_are(client, lab):
    client.force_login(make_user("mod", is_staff=True))
    assert client.get(MEMBERS).status_code == 403
    sysop = make_user("sysop")
    sysop.is_superuser = True
    sysop.save()
    client.force_login(sysop)
    assert client.get(SETTINGS).status_code == 200
    response = client.post(MEMBERS, {"username": "reader", "role": "write"})
    assert response.status_code == 302
    assert _roles(lab)["reader"] == "write"


def test_an_unknown_organization_or_a_user_namespace_is_404(client, owner, lab):
    client.force_login(owner)
    assert client.get("/organizations/nolab/members").status_code == 404
    assert client.get("/organizations/owner/members").status_code == 404
    assert client.get("/organizations/owner/settings").status_code == 404


def test_the_admin_adds_changes_and_removes_members(client, lab, owner, stranger):
    _login(client, "owner")
    response = client.post(
        MEMBERS, {"username": "stranger", "role": "read"}, follow=True
    )
    assert "stranger is now Read." in response.content.decode()
    client.post(MEMBERS, {"username": "stranger", "role": "admin"})
    assert _roles(lab)["stranger"] == "admin"
    response = client.post(MEMBERS, {"action": "remove", "username": "stranger"})
    assert response.status_code == 302
    assert "stranger" not in _roles(lab)
    html = client.get(MEMBERS).content.decode()
    assert 'aria-label="Remove writer"' in html and "Add a member" in html


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"username": "owner", "role": "write"}, 400, "is the last admin of 'lab'"),
        ({"action": "remove", "username": "owner"}, 400, "is the last admin"),
        ({"username": "nobody", "role": "read"}, 404, "No user is named 'nobody'"),
        ({"action": "remove", "username": "stranger"}, 404, "is not a member"),
        ({"username": "reader", "role": "owner"}, 400, "role: Select a valid choice"),
        ({"username": "", "role": "read"}, 400, "username: This field is required"),
    ],
)
def test_refused_member_changes_show_the_reason_and_change_nothing(
    client, lab, stranger, data, status, message
):
    _login(client, "owner")
    response = client.post(MEMBERS, data)
    assert response.status_code == status
    html = unescape(response.content.decode())
    assert message in html and 'role="alert"' in html
    assert _roles(lab) == {"owner": "admin", "reader": "read", "writer": "write"}


def test_a_second_admin_lets_the_first_one_step_down(client, lab):
    _login(client, "owner")
    client.post(MEMBERS, {"username": "writer", "role": "admin"})
    response = client.post(MEMBERS, {"username": "owner", "role": "read"})
    assert response.status_code == 302
    assert _roles(lab) == {"owner": "read", "reader": "read", "writer": "admin"}
    # Now a reader: the page shows the list, without the forms.
    html = client.get(MEMBERS).content.decode()
    assert "Add a member" not in html


def test_the_admin_changes_the_profile_and_it_is_audited(client, lab, owner):
    _login(client, "owner")
    response = client.post(
        SETTINGS,
        {"display_name": "  The Lab ", "description": "Small models, well tested."},
        follow=True,
    )
    assert "The profile was saved." in response.content.decode()
    lab.refresh_from_db()
    assert (lab.display_name, lab.description) == (
        "The Lab",
        "Small models, well tested.",
    )
    page = client.get("/lab").content.decode()
    assert "The Lab" in page and "Small models, well tested." in page
    event = AuditEvent.objects.get(action="org.update")
    assert (event.actor_name, event.organization) == ("owner", "lab")
    assert event.details == {"fields": ["display_name", "description"]}
    client.post(
        SETTINGS,
        {"display_name": "The Lab", "description": "Small models, well tested."},
    )
    assert AuditEvent.objects.filter(action="org.update").count() == 1


def test_an_over_long_profile_is_400_and_changes_nothing(client, lab):
    _login(client, "owner")
    response = client.post(SETTINGS, {"display_name": "x" * 151})
    assert response.status_code == 400
    assert "at most 150 characters" in response.content.decode()
    response = client.post(SETTINGS, {"description": "y" * 2001})
    assert response.status_code == 400
    lab.refresh_from_db()
    assert (lab.display_name, lab.description) == ("", "")
    assert not AuditEvent.objects.filter(action="org.update").exists()


def test_the_profile_use_case_refuses_narrow_tokens_and_anonymous(lab, owner):
    read, _ = token_create(user=owner, name="read", scope="read")
    limited, _ = token_create(
        user=owner, name="one", scope="write", repo_ids=["lab/model"]
    )
    for token in (read, limited):
        with pytest.raises(PermissionDeniedError, match="not limited to repositories"):
            organization_update_profile(
                actor=Actor.of(owner, token),
                organization=lab,
                display_name="Hijacked",
                description="",
            )
    with pytest.raises(AuthenticationError):
        organization_update_profile(
            actor=Actor.anonymous(), organization=lab, display_name="x", description=""
        )
    full, _ = token_create(user=owner, name="full", scope="write")
    organization_update_profile(
        actor=Actor.of(owner, full), organization=lab, display_name="Ok", description=""
    )
    lab.refresh_from_db()
    assert lab.display_name == "Ok"
