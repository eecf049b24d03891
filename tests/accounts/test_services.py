"""Users, organizations, namespaces and memberships (hub.accounts.services)."""

from __future__ import annotations

import pytest

from hub.accounts.memberships import membership_remove, membership_set
from hub.accounts.models import Membership, Namespace, Organization, User
from hub.accounts.selectors import (
    membership_list,
    namespace_get,
    namespace_list_writable,
    organization_role,
    user_get_by_username,
)
from hub.accounts.services import organization_create, user_create
from hub.core.errors import ConflictError, NotFoundError, ValidationError

pytestmark = pytest.mark.django_db

RESERVED = ["api", "models", "datasets", "spaces", "Admin", "settings", "new", "NEW"]
REJECTED_BY_HF_CLIENT = ["a--b", "-x", "x-", ".x", "x.git", "a..b", "a" * 97, "a/b", ""]


@pytest.fixture
def owner() -> User:
    return user_create(username="owner", email="owner@example.org")


@pytest.fixture
def stranger() -> User:
    return user_create(username="stranger")


@pytest.fixture
def org(owner: User) -> Organization:
    return organization_create(name="acme", creator=owner, display_name="Acme")


def test_user_create_makes_user_namespace_and_unusable_password():
    user = user_create(username="Alice", email="alice@EXAMPLE.org")

    assert user.namespace.kind == Namespace.Kind.USER
    assert user.namespace.name == "Alice"
    assert user.email == "alice@example.org"  # domain normalised
    assert not user.has_usable_password()


def test_user_create_with_password_hashes_it():
    user = user_create(username="bob", password="correct horse", is_staff=True)

    assert user.is_staff
    assert user.check_password("correct horse")
    assert "correct horse" not in user.password


def test_user_create_refuses_bad_email():
    with pytest.raises(ValidationError):
        user_create(username="carol", email="not-an-email")
    assert not User.objects.filter(username="carol").exists()


@pytest.mark.parametrize("name", RESERVED)
def test_reserved_names_refused_for_users(name):
    with pytest.raises(ValidationError, match="reserved"):
        user_create(username=name)
    assert not Namespace.objects.exists()


@pytest.mark.parametrize("name", RESERVED)
def test_reserved_names_refused_for_organizations(owner, name):
    with pytest.raises(ValidationError, match="reserved"):
        organization_create(name=name, creator=owner)
    assert not Organization.objects.exists()


@pytest.mark.parametrize("name", REJECTED_BY_HF_CLIENT)
def test_names_the_hf_client_rejects_are_refused_for_users(name):
    with pytest.raises(ValidationError):
        user_create(username=name)
    assert not User.objects.exists()


@pytest.mark.parametrize("name", REJECTED_BY_HF_CLIENT)
def test_names_the_hf_client_rejects_are_refused_for_organizations(owner, name):
    with pytest.raises(ValidationError):
        organization_create(name=name, creator=owner)
    assert not Organization.objects.exists()


def test_longest_valid_name_is_accepted():
    assert user_create(username="a" * 96).namespace.name == "a" * 96


def test_user_name_taken_by_user_in_other_case_is_refused(owner):
    with pytest.raises(ConflictError, match="already taken"):
        user_create(username="OWNER")


def test_org_name_taken_by_user_in_other_case_is_refused(owner):
    with pytest.raises(ConflictError, match="already taken"):
        organization_create(name="Owner", creator=owner)
    assert not Organization.objects.exists()


def test_user_name_taken_by_org_in_other_case_is_refused(org):
    with pytest.raises(ConflictError, match="already taken"):
        user_create(username="ACME")
    assert not User.objects.filter(username__iexact="acme").exists()


def test_name_of_user_made_outside_services_is_still_taken():
    # createsuperuser makes users without a namespace row.
    User.objects.create_user(username="legacy")

    with pytest.raises(ConflictError):
        user_create(username="Legacy")


def test_namespace_index_refuses_case_variant_even_without_the_check(owner):
    # The database is the last guard when two requests race past the check.
    from django.db import IntegrityError, transaction

    stray = Organization.objects.create(name="x-org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Namespace.objects.create(name="OWNER", kind="org", organization=stray)


def test_organization_create_makes_namespace_and_creator_admin(owner, org):
    assert org.namespace.kind == Namespace.Kind.ORGANIZATION
    assert org.display_name == "Acme"
    assert organization_role(organization=org, user=owner) == Membership.Role.ADMIN


def test_inactive_user_cannot_create_organization(owner):
    owner.is_active = False
    owner.save()

    with pytest.raises(ValidationError):
        organization_create(name="acme", creator=owner)


def test_membership_set_adds_and_changes_role(org, stranger):
    membership_set(organization=org, user=stranger, role="read")
    assert organization_role(organization=org, user=stranger) == "read"

    membership_set(organization=org, user=stranger, role="write")
    assert organization_role(organization=org, user=stranger) == "write"
    assert Membership.objects.filter(organization=org, user=stranger).count() == 1


def test_membership_set_refuses_unknown_role(org, stranger):
    with pytest.raises(ValidationError, match="Unknown role"):
        membership_set(organization=org, user=stranger, role="owner")


def test_last_admin_cannot_be_demoted(org, owner):
    with pytest.raises(ValidationError, match="last admin"):
        membership_set(organization=org, user=owner, role="write")
    assert organization_role(organization=org, user=owner) == "admin"


def test_last_admin_cannot_be_removed(org, owner):
    with pytest.raises(ValidationError, match="last admin"):
        membership_remove(organization=org, user=owner)
    assert organization_role(organization=org, user=owner) == "admin"


def test_inactive_admin_does_not_count_as_remaining_admin(org, owner, stranger):
    membership_set(organization=org, user=stranger, role="admin")
    stranger.is_active = False
    stranger.save()

    with pytest.raises(ValidationError, match="last admin"):
        membership_remove(organization=org, user=owner)


def test_admin_can_be_demoted_once_another_admin_exists(org, owner, stranger):
    membership_set(organization=org, user=stranger, role="admin")

    membership_set(organization=org, user=owner, role="read")
    membership_remove(organization=org, user=owner)

    assert organization_role(organization=org, user=owner) is None
    assert organization_role(organization=org, user=stranger) == "admin"


def test_membership_remove_of_non_member_is_not_found(org, stranger):
    with pytest.raises(NotFoundError):
        membership_remove(organization=org, user=stranger)


def test_membership_list_names_every_member(org, owner, stranger):
    membership_set(organization=org, user=stranger, role="read")

    assert [(m.user.username, m.role) for m in membership_list(organization=org)] == [
        ("owner", "admin"),
        ("stranger", "read"),
    ]


def test_user_and_namespace_lookups_ignore_case(owner, org):
    assert user_get_by_username(username="OWNER") == owner
    assert namespace_get(name="OwNeR").user == owner
    assert namespace_get(name="ACME").organization == org


def test_unknown_user_and_namespace_are_not_found():
    with pytest.raises(NotFoundError):
        user_get_by_username(username="nobody")
    with pytest.raises(NotFoundError):
        namespace_get(name="nobody")


def test_writable_namespaces_are_own_and_orgs_with_admin_or_write_role(owner, stranger):
    writer_org = organization_create(name="writers", creator=owner)
    reader_org = organization_create(name="readers", creator=owner)
    admin_org = organization_create(name="admins", creator=stranger)
    membership_set(organization=writer_org, user=stranger, role="write")
    membership_set(organization=reader_org, user=stranger, role="read")

    names = {ns.name for ns in namespace_list_writable(user=stranger)}

    assert names == {"stranger", "writers", "admins"}
    assert admin_org.namespace.name in names


def test_anonymous_and_inactive_users_have_no_writable_namespace(owner):
    from django.contrib.auth.models import AnonymousUser

    assert not namespace_list_writable(user=AnonymousUser()).exists()
    owner.is_active = False
    owner.save()
    assert not namespace_list_writable(user=owner).exists()
