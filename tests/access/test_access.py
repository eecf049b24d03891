"""Gated models: who gets access when, and who decides."""

from __future__ import annotations

import pytest

from hub.access.services import access_request_decide, license_accept
from hub.accounts.memberships import membership_set
from hub.catalog.permissions import repo_gate_mode, repo_has_access
from hub.catalog.services.repos import repo_update_settings
from hub.core.errors import PermissionDeniedError, ValidationError
from hub.licenses.models import LicenseAcceptance
from hub.notifications.models import Notification
from tests.factories import commit_files, make_org, make_repo, make_user

pytestmark = pytest.mark.django_db

LLAMA_CARD = b"---\nlicense: llama3\n---\n# Llama derivative\n"


def _gated(owner, mode):
    repo = make_repo(owner, f"gated-{mode}")
    commit_files(repo, {"config.json": b"{}"})
    return repo_update_settings(repo=repo, gated=mode)


def test_auto_gate_accepts_at_once(owner, stranger):
    repo = _gated(owner, "auto")
    assert not repo_has_access(user=stranger, repo=repo)

    acceptance = license_accept(repo=repo, user=stranger)

    assert acceptance.status == LicenseAcceptance.Status.ACCEPTED
    assert repo_has_access(user=stranger, repo=repo)
    assert not Notification.objects.filter(kind="access_request").exists()


def test_manual_gate_waits_for_an_admin_who_is_notified(owner, stranger):
    repo = _gated(owner, "manual")

    pending = license_accept(repo=repo, user=stranger, fields={"company": "ACME"})
    again = license_accept(repo=repo, user=stranger)

    assert pending.status == again.status == LicenseAcceptance.Status.PENDING
    assert pending.fields == {"company": "ACME"}
    assert not repo_has_access(user=stranger, repo=repo)
    assert Notification.objects.get(recipient=owner).kind == "access_request"

    access_request_decide(repo=repo, actor=owner, user=stranger, status="accepted")

    assert repo_has_access(user=stranger, repo=repo)
    assert Notification.objects.filter(recipient=stranger).exists()


def test_rejected_user_cannot_ask_again(owner, stranger):
    repo = _gated(owner, "manual")
    license_accept(repo=repo, user=stranger)
    access_request_decide(repo=repo, actor=owner, user=stranger, status="rejected")

    with pytest.raises(PermissionDeniedError):
        license_accept(repo=repo, user=stranger)
    assert not repo_has_access(user=stranger, repo=repo)


def test_only_repo_admins_decide(owner, stranger):
    org = make_org("lab", creator=owner)
    writer = make_user("writer")
    membership_set(organization=org, user=writer, role="write")
    repo = make_repo(org, "gated", creator=owner)
    repo = repo_update_settings(repo=repo, gated="manual")
    license_accept(repo=repo, user=stranger)

    for actor in (writer, stranger):
        with pytest.raises(PermissionDeniedError):
            access_request_decide(
                repo=repo, actor=actor, user=stranger, status="accepted"
            )
    assert LicenseAcceptance.objects.get().status == "pending"


def test_license_requiring_acceptance_gates_the_repo(owner, stranger):
    repo = make_repo(owner, "llama-ft")
    commit_files(repo, {"README.md": LLAMA_CARD, "config.json": b"{}"})
    repo.refresh_from_db()

    assert repo.gated == "off"
    assert repo_gate_mode(repo=repo) == "auto"
    assert not repo_has_access(user=stranger, repo=repo)
    assert repo_has_access(user=owner, repo=repo)
    license_accept(repo=repo, user=stranger)
    assert repo_has_access(user=stranger, repo=repo)
    assert LicenseAcceptance.objects.get().license_id == "llama3"


def test_ungated_repo_and_members_need_no_request(owner, stranger):
    repo = make_repo(owner, "open")
    with pytest.raises(ValidationError):
        license_accept(repo=repo, user=stranger)
    gated = _gated(owner, "auto")
    with pytest.raises(ValidationError):
        license_accept(repo=gated, user=owner)
    assert not LicenseAcceptance.objects.exists()


def test_bad_fields_are_refused(owner, stranger):
    repo = _gated(owner, "auto")
    with pytest.raises(ValidationError):
        license_accept(repo=repo, user=stranger, fields={"a": "x" * 600})
    with pytest.raises(ValidationError):
        license_accept(repo=repo, user=stranger, fields=["not", "a", "dict"])  # type: ignore[arg-type]
    assert not LicenseAcceptance.objects.exists()


def test_disabled_repo_serves_files_to_nobody(owner, stranger):
    from django.utils import timezone

    repo = make_repo(owner, "bad")
    repo.disabled_at = timezone.now()

    assert not repo_has_access(user=owner, repo=repo)
    assert not repo_has_access(user=stranger, repo=repo)


def test_gated_filter_counts_license_gated_repos(owner):
    from django.http import QueryDict

    from hub.catalog.filters import ModelRepoFilter
    from hub.catalog.visibility import repo_list_visible

    llama = make_repo(owner, "llama-ft")
    commit_files(llama, {"README.md": LLAMA_CARD})
    _gated(owner, "manual")
    make_repo(owner, "open")

    def names(value: str) -> set[str]:
        filterset = ModelRepoFilter(
            QueryDict(f"gated={value}"), queryset=repo_list_visible(user=None)
        )
        return {r.name for r in filterset.qs}

    assert names("true") == {"llama-ft", "gated-manual"}
    assert names("false") == {"open"}
