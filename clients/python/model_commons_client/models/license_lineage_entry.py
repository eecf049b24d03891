from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LicenseLineageEntry")


@_attrs_define
class LicenseLineageEntry:
    """One base model (or derivative) and the license verdict for the pair.

    Attributes:
        repo_id (str):
        found (bool): The repo is on this hub.
        license_ (str):
        status (str): ok, conflict or unknown.
        reasons (list[str]):
    """

    repo_id: str
    found: bool
    license_: str
    status: str
    reasons: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        repo_id = self.repo_id

        found = self.found

        license_ = self.license_

        status = self.status

        reasons = self.reasons

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "repo_id": repo_id,
                "found": found,
                "license": license_,
                "status": status,
                "reasons": reasons,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        repo_id = d.pop("repo_id")

        found = d.pop("found")

        license_ = d.pop("license")

        status = d.pop("status")

        reasons = cast(list[str], d.pop("reasons"))

        license_lineage_entry = cls(
            repo_id=repo_id,
            found=found,
            license_=license_,
            status=status,
            reasons=reasons,
        )

        license_lineage_entry.additional_properties = d
        return license_lineage_entry

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
