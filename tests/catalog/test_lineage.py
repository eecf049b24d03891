"""License lineage verdicts on a table of (base, derivative) license pairs."""

from __future__ import annotations

import pytest

from hub.catalog.lineage import (
    CONFLICT,
    OK,
    UNKNOWN,
    lineage_verdict,
    repo_derivative_conflicts,
    repo_license_lineage,
)
from hub.licenses.models import License
from tests.factories import commit_files, make_repo, make_user

PAIRS = [
    # (base license, derivative license, verdict)
    ("cc-by-nc-4.0", "apache-2.0", CONFLICT),  # non-commercial made commercial
    ("apache-2.0", "mit", OK),
    ("mit", "apache-2.0", OK),
    ("apache-2.0", "apache-2.0", OK),
    ("cc-by-sa-4.0", "mit", CONFLICT),  # share-alike relicensed
    ("cc-by-sa-4.0", "cc-by-sa-4.0", OK),
    ("gpl-3.0", "apache-2.0", CONFLICT),
    ("llama3", "apache-2.0", CONFLICT),  # restrictions and share-alike dropped
    ("llama3", "llama3", OK),
    ("cc-by-nd-4.0", "cc-by-nd-4.0", CONFLICT),  # no derivatives at all
    ("cc-by-nc-nd-4.0", "cc-by-nc-4.0", CONFLICT),
    ("openrail", "mit", CONFLICT),  # use restrictions not carried over
    ("openrail", "bigscience-openrail-m", OK),
    ("cc-by-nc-4.0", "cc-by-nc-4.0", OK),
    ("cc-by-nc-4.0", "cc-by-nc-sa-4.0", OK),
    ("gemma", "apache-2.0", CONFLICT),
    ("other", "apache-2.0", UNKNOWN),  # custom base license
    ("unknown", "mit", UNKNOWN),
    ("apache-2.0", "other", UNKNOWN),
    ("h-research", "h-research", OK),
    ("h-research", "cc-by-nc-4.0", UNKNOWN),  # base's derivative terms unknown
    ("qwen-research", "mit", CONFLICT),
    ("cc0-1.0", "mit", OK),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("base", "derived", "expected"), PAIRS)
def test_lineage_verdicts(base, derived, expected):
    verdict = lineage_verdict(
        base=License.objects.get(id=base), derived=License.objects.get(id=derived)
    )

    assert verdict.status == expected, verdict.reasons
    assert bool(verdict.reasons) == (expected != OK)


@pytest.mark.django_db
def test_missing_license_cannot_be_checked():
    apache = License.objects.get(id="apache-2.0")

    assert lineage_verdict(base=None, derived=apache).status == UNKNOWN
    assert lineage_verdict(base=apache, derived=None).status == UNKNOWN


@pytest.mark.django_db
def test_conflict_reasons_name_the_terms():
    verdict = lineage_verdict(
        base=License.objects.get(id="cc-by-nc-4.0"),
        derived=License.objects.get(id="apache-2.0"),
    )

    assert any("non-commercial" in reason for reason in verdict.reasons)


def _card(license_id: str, base: str | None = None) -> bytes:
    lines = ["---", f"license: {license_id}"]
    if base:
        lines.append(f"base_model: {base}")
    return ("\n".join([*lines, "---", "# Model", ""])).encode()


@pytest.mark.django_db
def test_lineage_of_a_derivative_resolves_bases_on_this_hub():
    owner = make_user("maya")
    base = make_repo(owner, "base-nc")
    commit_files(base, {"README.md": _card("cc-by-nc-4.0")})
    child = make_repo(owner, "child")
    commit_files(child, {"README.md": _card("apache-2.0", "maya/base-nc")})
    elsewhere = make_repo(owner, "elsewhere")
    commit_files(elsewhere, {"README.md": _card("mit", "meta/not-here")})
    child.refresh_from_db()
    elsewhere.refresh_from_db()
    base.refresh_from_db()

    [entry] = repo_license_lineage(repo=child, user=None)
    [missing] = repo_license_lineage(repo=elsewhere, user=None)
    [derivative] = repo_derivative_conflicts(repo=base, user=None)

    assert (entry.repo_id, entry.found, entry.status) == (
        "maya/base-nc",
        True,
        CONFLICT,
    )
    assert (missing.found, missing.status) == (False, UNKNOWN)
    assert (derivative.repo_id, derivative.status) == ("maya/child", CONFLICT)


@pytest.mark.django_db
def test_private_base_is_not_resolved_for_strangers():
    owner = make_user("maya")
    base = make_repo(owner, "secret-base", is_private=True)
    commit_files(base, {"README.md": _card("cc-by-nc-4.0")})
    child = make_repo(owner, "child")
    commit_files(child, {"README.md": _card("apache-2.0", "maya/secret-base")})
    child.refresh_from_db()

    [as_stranger] = repo_license_lineage(repo=child, user=make_user("jun"))
    [as_owner] = repo_license_lineage(repo=child, user=owner)

    assert as_stranger.found is False
    assert as_owner.status == CONFLICT
