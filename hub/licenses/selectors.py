"""Reads of the license catalog."""

from __future__ import annotations

import difflib

from django.db.models import QuerySet

from hub.core.errors import NotFoundError, ValidationError
from hub.licenses.models import License

# Where a user can read every accepted id. The ids are the Hugging Face
# Hub's, so its documentation lists them (this hub adds a few model
# licenses, which the error's ``valid_ids`` detail also carries).
LICENSE_LIST_URL = "https://huggingface.co/docs/hub/repositories-licenses"


def license_list() -> QuerySet[License]:
    """Every license the hub accepts, ordered by id."""
    return License.objects.all()


def license_get(*, license_id: str) -> License:
    """The license with exactly this id. Raises NotFoundError."""
    try:
        return License.objects.get(id=license_id)
    except License.DoesNotExist:
        raise NotFoundError(
            f"There is no license with the id {license_id!r}."
        ) from None


def license_validate_id(*, license_id: str) -> License:
    """The license for an id from a model card. Raises ValidationError naming the
    bad id, the closest valid ids and where the full list is."""
    if not isinstance(license_id, str) or not license_id.strip():
        raise ValidationError(
            "A license id must be a non-empty string such as 'apache-2.0'.",
            details={"valid_ids": _valid_ids()},
        )
    license_ = License.objects.filter(id=license_id).first()
    if license_ is not None:
        return license_

    valid_ids = _valid_ids()
    normalized = license_id.strip().lower()
    if normalized in valid_ids:
        # Ids are case-sensitive on the Hugging Face Hub too; accepting 'MIT'
        # here would make cards that the HF tooling rejects.
        raise ValidationError(
            f"Unknown license id {license_id!r}: license ids are lowercase and "
            f"case-sensitive. Write {normalized!r} instead.",
            details={"valid_ids": valid_ids, "suggestions": [normalized]},
        )
    suggestions = difflib.get_close_matches(normalized, valid_ids, n=3, cutoff=0.6)
    if suggestions:
        hint = "Did you mean " + " or ".join(repr(s) for s in suggestions) + "? "
    else:
        hint = ""
    raise ValidationError(
        f"Unknown license id {license_id!r}. {hint}The full list of valid ids is at "
        f"{LICENSE_LIST_URL}; for a license that is not listed, use 'other' and set "
        "license_name and license_link.",
        details={"valid_ids": valid_ids, "suggestions": suggestions},
    )


def _valid_ids() -> list[str]:
    return list(License.objects.order_by("id").values_list("id", flat=True))
