from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.license_lineage_entry import LicenseLineageEntry


T = TypeVar("T", bound="LicenseLineage")


@_attrs_define
class LicenseLineage:
    """
    Attributes:
        bases (list[LicenseLineageEntry]): The card's base_model repos and their verdicts.
        derivative_conflicts (list[LicenseLineageEntry]): Models on this hub built on this one whose license conflicts
            with its terms.
    """

    bases: list[LicenseLineageEntry]
    derivative_conflicts: list[LicenseLineageEntry]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bases = []
        for bases_item_data in self.bases:
            bases_item = bases_item_data.to_dict()
            bases.append(bases_item)

        derivative_conflicts = []
        for derivative_conflicts_item_data in self.derivative_conflicts:
            derivative_conflicts_item = derivative_conflicts_item_data.to_dict()
            derivative_conflicts.append(derivative_conflicts_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bases": bases,
                "derivative_conflicts": derivative_conflicts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.license_lineage_entry import LicenseLineageEntry

        d = dict(src_dict)
        bases = []
        _bases = d.pop("bases")
        for bases_item_data in _bases:
            bases_item = LicenseLineageEntry.from_dict(bases_item_data)

            bases.append(bases_item)

        derivative_conflicts = []
        _derivative_conflicts = d.pop("derivative_conflicts")
        for derivative_conflicts_item_data in _derivative_conflicts:
            derivative_conflicts_item = LicenseLineageEntry.from_dict(derivative_conflicts_item_data)

            derivative_conflicts.append(derivative_conflicts_item)

        license_lineage = cls(
            bases=bases,
            derivative_conflicts=derivative_conflicts,
        )

        license_lineage.additional_properties = d
        return license_lineage

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
