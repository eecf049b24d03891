"""Changes made in the Django admin go through the services, so they reach
the audit log; the log itself is read-only there, for superusers too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hub.accounts.models import ApiToken, Membership
from hub.accounts.services import token_create
from hub.audit.models import AuditEvent
from hub.audit.services import audit_record
from hub.catalog.models import ModelRepo
from tests.factories import make_org, make_repo, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    root = make_user("chief")
    root.is_staff = root.is_superuser = True
    root.save()
    client.force_login(root)
    return client


def actions(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_audit_events_cannot_be_added_changed_or_deleted_in_the_admin(admin_client):
    event = audit_record("auth.sign_in_failed", target="x")
    changelist = reverse("admin:audit_auditevent_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    page = admin_client.get(change)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    admin_client.post(change, {"target": "rewritten"})
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.target == "x"


def test_revoking_tokens_in_the_admin_is_recorded_and_deleting_them_refused(
    admin_client,
):
    owner = make_user("ann")
    token, _ = token_create(user=owner, name="laptop")
    changelist = reverse("admin:accounts_apitoken_changelist")
    admin_client.post(
        changelist, {"action": "revoke_tokens", "_selected_action": [token.pk]}
    )
    (revoked,) = actions("token.revoke")
    assert (revoked.actor_name, revoked.target) == ("chief", "ann")
    delete = reverse("admin:accounts_apitoken_delete", args=[token.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_repo_visibility_and_deletion_in_the_admin_go_through_the_services(
    admin_client,
):
    ann = make_user("ann")
    org = make_org("lab", creator=ann)
    repo = make_repo(org, "m", creator=ann)
    change = reverse("admin:catalog_modelrepo_change", args=[repo.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update({"is_private": "on", "gated": "manual", "description": "d"})
    for prefix in ("refs",):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.content[:2000]
    repo.refresh_from_db()
    assert (repo.is_private, repo.gated, repo.description) == (True, "manual", "d")
    assert [(e.actor_name, e.organization) for e in actions("repo.visibility")] == [
        ("chief", "lab")
    ]
    assert len(actions("repo.gating")) == 1

    delete = reverse("admin:catalog_modelrepo_delete", args=[repo.pk])
    admin_client.post(delete, {"post": "yes"})
    assert not ModelRepo.objects.filter(pk=repo.pk).exists()
    assert [(e.actor_name, e.repo) for e in actions("repo.delete")] == [
        ("chief", "lab/m")
    ]


def test_membership_edits_in_the_admin_are_recorded_as_staffs(admin_client):
    ann = make_user("ann")
    bea = make_user("bea")
    org = make_org("lab", creator=ann)
    change = reverse("admin:accounts_organization_change", args=[org.pk])
    ann_row = Membership.objects.get(organization=org, user=ann)
    data = {
        "display_name": "",
        "description": "",
        "memberships-TOTAL_FORMS": 2,
        "memberships-INITIAL_FORMS": 1,
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
        "memberships-0-id": ann_row.pk,
        "memberships-0-organization": org.pk,
        "memberships-0-user": ann.pk,
        "memberships-0-role": "admin",
        "memberships-1-organization": org.pk,
        "memberships-1-user": bea.pk,
        "memberships-1-role": "write",
    }
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.content[:3000]
    (added,) = actions("org.member_set")
    assert (added.actor_name, added.target, added.organization) == (
        "chief",
        "bea",
        "lab",
    )


def test_users_are_banned_in_the_admin_through_moderation_with_a_reason(
    admin_client,
):
    ann = make_user("ann")
    changelist = reverse("admin:accounts_user_changelist")
    ask = admin_client.post(
        changelist, {"action": "ban_users", "_selected_action": [ann.pk]}
    )
    assert ask.status_code == 200 and b'name="reason"' in ask.content
    ann.refresh_from_db()
    assert ann.is_active  # nothing happens before a reason is given
    admin_client.post(
        changelist,
        {"action": "ban_users", "_selected_action": [ann.pk], "reason": "Spam"},
    )
    ann.refresh_from_db()
    assert not ann.is_active
    (act,) = actions("moderation.act")
    assert (act.actor_name, act.details["kind"], act.details["reason"]) == (
        "chief",
        "ban_user",
        "Spam",
    )
    # The raw checkbox is gone from the change form.
    change = admin_client.get(reverse("admin:accounts_user_change", args=[ann.pk]))
    assert b'name="is_active"' not in change.content


def _user_form(user, **changes) -> dict[str, object]:
    data: dict[str, object] = {
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "external_identities-TOTAL_FORMS": "0",
        "external_identities-INITIAL_FORMS": "0",
    }
    if user.is_staff:
        data["is_staff"] = "on"
    if user.is_superuser:
        data["is_superuser"] = "on"
    data.update(changes)
    return data


def test_making_someone_staff_in_the_admin_is_recorded_and_a_plain_edit_is_not(
    admin_client,
):
    ann = make_user("ann")
    change = reverse("admin:accounts_user_change", args=[ann.pk])
    edited = admin_client.post(change, _user_form(ann, display_name="Ann B."))
    assert edited.status_code == 302, edited.content[:2000]
    assert actions("user.privileges") == []
    ann.refresh_from_db()
    admin_client.post(change, _user_form(ann, is_staff="on"))
    ann.refresh_from_db()
    assert ann.is_staff and ann.display_name == "Ann B."
    (granted,) = actions("user.privileges")
    assert (granted.actor_name, granted.target) == ("chief", "ann")
    assert granted.details == {
        "previous": {"is_staff": False, "is_superuser": False},
        "now": {"is_staff": True, "is_superuser": False},
    }


def test_the_admin_cannot_delete_accounts_it_bans_them_instead(admin_client):
    # Deleting a user would delete their namespace, which the admin never
    # deletes: accounts are banned (a moderation action, recorded) instead.
    ann = make_user("ann")
    delete = reverse("admin:accounts_user_delete", args=[ann.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [ann.pk], "post": "yes"},
    )
    assert type(ann).objects.filter(username="ann").exists()
