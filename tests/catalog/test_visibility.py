"""Private repos are invisible to anyone without a role, through every selector."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hub.accounts.memberships import membership_set
from hub.accounts.models import User
from hub.accounts.services import token_create
from hub.catalog.errors import RepoNotFoundError
from hub.catalog.models import ModelRepo
from hub.catalog.permissions import (
    namespace_can_create_repo,
    repo_can_admin,
    repo_can_read,
    repo_can_write,
)
from hub.catalog.services.repos import repo_delete, repo_move
from hub.catalog.visibility import (
    repo_get_visible,
    repo_list_beyond_public,
    repo_list_visible,
)
from tests.factories import make_org, make_repo, make_user, namespace_of


@pytest.fixture
def world(db):
    owner = make_user("alice")
    reader = make_user("reader")
    writer = make_user("writer")
    stranger = make_user("mallory")
    org = make_org("lab", creator=owner)
    membership_set(organization=org, user=reader, role="read")
    membership_set(organization=org, user=writer, role="write")
    return {
        "owner": owner,
        "reader": reader,
        "writer": writer,
        "stranger": stranger,
        "org": org,
        "public": make_repo(org, "open-model", creator=owner),
        "private": make_repo(org, "secret-model", creator=owner, is_private=True),
        "personal_private": make_repo(owner, "diary", is_private=True),
    }


def visible_names(user, token=None) -> set[str]:
    return {r.full_name for r in repo_list_visible(user=user, token=token)}


def test_stranger_and_anonymous_see_only_public_repos(world):
    for user in (world["stranger"], AnonymousUser(), None):
        assert visible_names(user) == {"lab/open-model"}
        with pytest.raises(RepoNotFoundError):
            repo_get_visible(user=user, namespace="lab", name="secret-model")
        with pytest.raises(RepoNotFoundError):
            repo_get_visible(user=user, namespace="alice", name="diary")
        assert not repo_can_read(user=user, repo=world["private"])


def test_members_see_their_orgs_private_repos(world):
    assert visible_names(world["reader"]) == {"lab/open-model", "lab/secret-model"}
    assert visible_names(world["owner"]) == {
        "lab/open-model",
        "lab/secret-model",
        "alice/diary",
    }
    repo = repo_get_visible(user=world["reader"], namespace="LAB", name="Secret-Model")
    assert repo.pk == world["private"].pk


def test_visible_list_has_no_duplicate_rows(world):
    membership_set(organization=world["org"], user=world["stranger"], role="read")
    names = [r.full_name for r in repo_list_visible(user=world["owner"])]
    assert len(names) == len(set(names))


def test_roles_decide_write_and_admin(world):
    private = world["private"]
    assert repo_can_write(user=world["writer"], repo=private)
    assert not repo_can_admin(user=world["writer"], repo=private)
    assert not repo_can_write(user=world["reader"], repo=private)
    assert repo_can_admin(user=world["owner"], repo=private)
    assert not repo_can_write(user=world["stranger"], repo=world["public"])
    ns = namespace_of(world["org"])
    assert namespace_can_create_repo(user=world["writer"], namespace=ns, name="x")
    assert not namespace_can_create_repo(user=world["reader"], namespace=ns, name="x")
    assert not namespace_can_create_repo(
        user=world["stranger"], namespace=namespace_of(world["owner"]), name="x"
    )


def test_read_token_never_writes(world):
    token, _ = token_create(user=world["owner"], name="ci", scope="read")
    assert repo_can_read(user=world["owner"], repo=world["private"], token=token)
    assert not repo_can_write(user=world["owner"], repo=world["private"], token=token)
    assert not namespace_can_create_repo(
        user=world["owner"],
        namespace=namespace_of(world["owner"]),
        name="new",
        token=token,
    )


def test_repo_restricted_token_reaches_only_named_private_repos(world):
    token, _ = token_create(
        user=world["owner"], name="deploy", scope="write", repo_ids=["lab/secret-model"]
    )
    assert visible_names(world["owner"], token) == {
        "lab/open-model",
        "lab/secret-model",
    }
    assert repo_can_write(user=world["owner"], repo=world["private"], token=token)
    assert not repo_can_read(
        user=world["owner"], repo=world["personal_private"], token=token
    )
    assert not repo_can_write(user=world["owner"], repo=world["public"], token=token)
    with pytest.raises(RepoNotFoundError):
        repo_get_visible(
            user=world["owner"], namespace="alice", name="diary", token=token
        )


def test_beyond_public_is_exactly_what_the_caller_sees_besides_public_repos(
    world,
):
    disabled = make_repo(world["org"], "taken-down", creator=world["owner"])
    ModelRepo.objects.filter(pk=disabled.pk).update(disabled_at=timezone.now())
    elsewhere = make_repo(world["stranger"], "spam")
    ModelRepo.objects.filter(pk=elsewhere.pk).update(disabled_at=timezone.now())
    make_repo(world["stranger"], "own-secret", is_private=True)
    staff = make_user("staff")
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    staff.refresh_from_db()
    root = make_user("admin-person")
    User.objects.filter(pk=root.pk).update(is_superuser=True)
    root.refresh_from_db()
    token, _ = token_create(
        user=world["owner"], name="one", scope="read", repo_ids=["lab/secret-model"]
    )

    def beyond(user, token=None) -> set[str]:
        return {r.full_name for r in repo_list_beyond_public(user=user, token=token)}

    public = {r.full_name for r in repo_list_visible(user=None)}
    for user, tok in [
        (world["owner"], None),
        (world["owner"], token),
        (world["reader"], None),
        (world["stranger"], None),
        (staff, None),
        (root, None),
        (AnonymousUser(), None),
    ]:
        sees = visible_names(user, tok) if user.is_authenticated else public
        assert beyond(user, tok) == sees - public, (user, tok)
    assert beyond(world["reader"]) == {"lab/secret-model", "lab/taken-down"}
    assert beyond(world["owner"], token) == {"lab/secret-model", "lab/taken-down"}
    assert beyond(staff) == {"lab/taken-down", "mallory/spam"}


def test_moved_repo_is_found_under_its_old_id_but_stays_private(world):
    repo_move(
        repo=world["private"], namespace=namespace_of(world["owner"]), name="renamed"
    )
    found = repo_get_visible(user=world["owner"], namespace="lab", name="secret-model")
    assert found.full_name == "alice/renamed"
    with pytest.raises(RepoNotFoundError):
        repo_get_visible(user=world["stranger"], namespace="lab", name="secret-model")


def test_deleted_repo_is_gone_everywhere(world):
    repo_delete(repo=world["public"])
    assert visible_names(world["owner"]) == {"lab/secret-model", "alice/diary"}
    with pytest.raises(RepoNotFoundError):
        repo_get_visible(user=world["owner"], namespace="lab", name="open-model")


def test_repo_names_follow_the_hf_client_rules(world):
    from hub.catalog.errors import RepoExistsError
    from hub.core.errors import ValidationError

    for bad in ["a--b", "-lead", "trail.", "x.git", "a" * 97, "sp ace", "a/b"]:
        with pytest.raises(ValidationError):
            make_repo(world["owner"], bad)
    with pytest.raises(RepoExistsError):
        make_repo(world["org"], "OPEN-MODEL", creator=world["owner"])
