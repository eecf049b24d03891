"""Staff set quotas in the Django admin through the audited service."""

from __future__ import annotations

from django.test import Client

from hub.accounts.models import NamespaceQuota
from hub.audit.models import AuditEvent
from tests.factories import make_org, make_user, namespace_of


def _staff_client(db) -> Client:
    staff = make_user("sam", is_staff=True)
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    return client


def test_staff_add_change_and_delete_a_quota_in_the_admin(db):
    client = _staff_client(db)
    acme = namespace_of(make_org("acme", creator=make_user("ada")))
    add = client.post(
        "/admin/accounts/namespacequota/add/",
        {"namespace": acme.pk, "kind": "storage", "value": "50GB"},
    )
    assert add.status_code == 302, add.content.decode()[-2000:]
    row = NamespaceQuota.objects.get(namespace=acme, kind="storage")
    assert row.limit == 50 * 1000**3
    change = client.post(
        f"/admin/accounts/namespacequota/{row.pk}/change/", {"value": "unlimited"}
    )
    assert change.status_code == 302
    assert NamespaceQuota.objects.get(pk=row.pk).limit is None
    client.post(f"/admin/accounts/namespacequota/{row.pk}/delete/", {"post": "yes"})
    assert not NamespaceQuota.objects.exists()
    events = list(AuditEvent.objects.filter(action="org.quota_set").order_by("pk"))
    storage = [e.details["storage"] for e in events]
    assert [(s["to"], s["default"]) for s in storage] == [
        (50 * 1000**3, False),
        ("unlimited", False),
        ("unlimited", True),  # deleted: the hub's default (unset) again
    ]
    assert all(e.actor_name == "sam" for e in events)


def test_a_value_that_is_not_a_size_is_a_field_error(db):
    client = _staff_client(db)
    alice = namespace_of(make_user("alice"))
    response = client.post(
        "/admin/accounts/namespacequota/add/",
        {"namespace": alice.pk, "kind": "repos", "value": "a few"},
    )
    assert response.status_code == 200
    assert "is not a number of repositories" in response.content.decode()
    assert not NamespaceQuota.objects.exists()
    assert not AuditEvent.objects.filter(action="user.quota_set").exists()
