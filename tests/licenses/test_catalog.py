"""The license catalog: loaded by migration, flags right, helpful errors."""

from __future__ import annotations

import re

import pytest

from hub.core.errors import NotFoundError, ValidationError
from hub.licenses.loader import licenses_load, licenses_read, licenses_unload
from hub.licenses.models import License
from hub.licenses.selectors import license_get, license_list, license_validate_id

ENTRIES = licenses_read()
FLAGS = (
    "allows_commercial_use",
    "allows_derivatives",
    "requires_attribution",
    "requires_share_alike",
    "has_use_restrictions",
    "requires_acceptance",
)
KEYS = {"id", "name", "url", "kind", "spdx_id", "summary", *FLAGS}


def test_catalog_file_is_well_formed():
    ids = [entry["id"] for entry in ENTRIES]
    assert len(ids) == len(set(ids))
    for entry in ENTRIES:
        assert set(entry) == KEYS, entry["id"]
        # HF ids are lowercase; the error for 'MIT' relies on that.
        assert re.fullmatch(r"[a-z0-9][a-z0-9.+-]*", entry["id"]), entry["id"]
        assert entry["kind"] in License.Kind.values
        assert entry["name"] and entry["summary"]
        assert entry["url"] == "" or entry["url"].startswith("https://")
        for flag in FLAGS:
            assert entry[flag] in (True, False, None), (entry["id"], flag)
        # Non-null columns in the model.
        assert entry["has_use_restrictions"] is not None
        assert entry["requires_acceptance"] is not None


def test_catalog_has_the_hf_model_licenses():
    ids = {entry["id"] for entry in ENTRIES}
    expected = {
        "apache-2.0",
        "mit",
        "openrail",
        "openrail++",
        "bigscience-openrail-m",
        "creativeml-openrail-m",
        "bigscience-bloom-rail-1.0",
        "bigcode-openrail-m",
        "llama2",
        "llama3",
        "llama3.1",
        "llama3.2",
        "llama3.3",
        "llama4",
        "gemma",
        "deepseek",
        "qwen",
        "qwen-research",
        "cc-by-nc-sa-4.0",
        "cc0-1.0",
        "other",
        "unknown",
    }
    assert expected <= ids


@pytest.mark.django_db
def test_every_license_id_is_loaded_with_its_flags():
    rows = {license_.id: license_ for license_ in license_list()}
    assert set(rows) >= {entry["id"] for entry in ENTRIES}
    for entry in ENTRIES:
        row = rows[entry["id"]]
        for key in KEYS - {"id"}:
            assert getattr(row, key) == entry[key], (entry["id"], key)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("license_id", "flags"),
    [
        (
            "apache-2.0",
            {
                "allows_commercial_use": True,
                "allows_derivatives": True,
                "requires_attribution": True,
                "requires_share_alike": False,
                "has_use_restrictions": False,
                "requires_acceptance": False,
            },
        ),
        ("mit", {"allows_commercial_use": True, "requires_share_alike": False}),
        ("cc-by-nc-4.0", {"allows_commercial_use": False, "allows_derivatives": True}),
        ("cc-by-nd-4.0", {"allows_commercial_use": True, "allows_derivatives": False}),
        (
            "cc-by-sa-4.0",
            {"allows_commercial_use": True, "requires_share_alike": True},
        ),
        ("cc0-1.0", {"requires_attribution": False}),
        ("gpl-3.0", {"requires_share_alike": True}),
        (
            "llama3",
            {
                "allows_commercial_use": True,
                "has_use_restrictions": True,
                "requires_acceptance": True,
            },
        ),
        ("gemma", {"has_use_restrictions": True, "requires_acceptance": True}),
        (
            "creativeml-openrail-m",
            {"allows_commercial_use": True, "has_use_restrictions": True},
        ),
        ("deepfloyd-if-license", {"allows_commercial_use": False}),
        ("apple-amlr", {"allows_commercial_use": False}),
        ("qwen-research", {"allows_commercial_use": False}),
        (
            "other",
            {
                "allows_commercial_use": None,
                "allows_derivatives": None,
                "requires_share_alike": None,
            },
        ),
        ("unknown", {"allows_commercial_use": None}),
    ],
)
def test_license_flags_match_the_license_terms(license_id, flags):
    license_ = license_get(license_id=license_id)
    for flag, expected in flags.items():
        assert getattr(license_, flag) is expected, flag


@pytest.mark.django_db
def test_license_kinds():
    assert license_get(license_id="apache-2.0").kind == License.Kind.SPDX
    assert license_get(license_id="apache-2.0").spdx_id == "Apache-2.0"
    assert license_get(license_id="llama3.1").kind == License.Kind.MODEL
    assert license_get(license_id="other").kind == License.Kind.SPECIAL


@pytest.mark.django_db
def test_loader_is_idempotent_and_restores_edited_rows():
    License.objects.filter(id="mit").update(allows_commercial_use=False)
    License.objects.filter(id="gemma").delete()

    assert licenses_load(License) == len(ENTRIES)
    assert licenses_load(License) == len(ENTRIES)

    assert License.objects.count() == len(ENTRIES)
    assert license_get(license_id="mit").allows_commercial_use is True
    assert license_get(license_id="gemma").requires_acceptance is True


@pytest.mark.django_db
def test_unload_removes_the_catalog_rows():
    assert licenses_unload(License) == len(ENTRIES)
    assert not License.objects.exists()


@pytest.mark.django_db
def test_license_get_raises_not_found():
    with pytest.raises(NotFoundError, match="nope"):
        license_get(license_id="nope")


@pytest.mark.django_db
def test_validate_returns_the_license_for_a_valid_id():
    assert license_validate_id(license_id="llama3.2").name.startswith("Llama 3.2")


@pytest.mark.django_db
def test_unknown_id_error_suggests_close_ids_and_lists_all():
    with pytest.raises(ValidationError) as caught:
        license_validate_id(license_id="apache-2")

    error = caught.value
    assert "'apache-2'" in error.message
    assert "'apache-2.0'" in error.message
    assert "https://huggingface.co/docs/hub/repositories-licenses" in error.message
    assert "apache-2.0" in error.details["suggestions"]
    assert error.details["valid_ids"] == sorted(entry["id"] for entry in ENTRIES)


@pytest.mark.django_db
def test_unknown_id_without_close_match_still_says_where_the_list_is():
    with pytest.raises(ValidationError) as caught:
        license_validate_id(license_id="zzzzzzzzzzzz")

    assert caught.value.details["suggestions"] == []
    assert "full list" in caught.value.message
    assert "other" in caught.value.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "right"),
    [("MIT", "mit"), ("Apache-2.0", "apache-2.0"), ("LLAMA3.1", "llama3.1")],
)
def test_wrong_case_id_is_refused_with_the_right_spelling(given, right):
    with pytest.raises(ValidationError) as caught:
        license_validate_id(license_id=given)

    assert repr(right) in caught.value.message
    assert "case-sensitive" in caught.value.message
    assert caught.value.details["suggestions"] == [right]


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["", "   ", None, 3])
def test_empty_or_non_string_id_is_refused(given):
    with pytest.raises(ValidationError, match="non-empty string"):
        license_validate_id(license_id=given)
