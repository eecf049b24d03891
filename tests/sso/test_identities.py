"""The user behind a provider's identity (hub.accounts.sso), at the
service level, on the real database."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from hub.accounts.models import ExternalIdentity, Membership
from hub.accounts.sso import sso_identity_resolve, sso_memberships_sync
from tests.factories import make_org, make_user


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_sign_ins_at_once_end_in_one_user():
    barrier = threading.Barrier(2)
    results: list[object] = []

    def sign_in() -> None:
        try:
            barrier.wait()
            identity = sso_identity_resolve(
                provider="oidc", subject="same-sub", username="twin"
            )
            results.append(identity.user.pk)
        except Exception as exc:  # the test reports it below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_in) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 2
    assert results[0] == results[1], results
    assert ExternalIdentity.objects.filter(subject="same-sub").count() == 1


@pytest.mark.django_db
def test_the_last_admin_keeps_a_membership_the_groups_no_longer_grant():
    identity = sso_identity_resolve(provider="ldap", subject="uid=x", username="solo")
    research = make_org("research", creator=make_user("founder"))
    mapping = {"admins": (("research", "admin"),)}
    sso_memberships_sync(identity=identity, groups=["admins"], mapping=mapping)
    Membership.objects.filter(user__username="founder").delete()
    sso_memberships_sync(identity=identity, groups=[], mapping=mapping)
    assert Membership.objects.get(organization=research, user=identity.user).role == (
        "admin"
    )
    assert identity.managed_organizations == ["research"]


@pytest.mark.django_db
def test_a_mapping_to_an_unknown_organization_changes_nothing():
    identity = sso_identity_resolve(provider="oidc", subject="s-1", username="zed")
    sso_memberships_sync(
        identity=identity, groups=["g"], mapping={"g": (("no-such-org", "read"),)}
    )
    assert not Membership.objects.filter(user=identity.user).exists()
    assert identity.managed_organizations == []
