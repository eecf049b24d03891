from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ModelRepoLicenseFlags")


@_attrs_define
class ModelRepoLicenseFlags:
    """What the license permits; null where the catalog does not know.

    Attributes:
        allows_commercial_use (bool | None):
        allows_derivatives (bool | None):
        requires_attribution (bool | None):
        requires_share_alike (bool | None):
        has_use_restrictions (bool):
        requires_acceptance (bool):
    """

    allows_commercial_use: bool | None
    allows_derivatives: bool | None
    requires_attribution: bool | None
    requires_share_alike: bool | None
    has_use_restrictions: bool
    requires_acceptance: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allows_commercial_use: bool | None
        allows_commercial_use = self.allows_commercial_use

        allows_derivatives: bool | None
        allows_derivatives = self.allows_derivatives

        requires_attribution: bool | None
        requires_attribution = self.requires_attribution

        requires_share_alike: bool | None
        requires_share_alike = self.requires_share_alike

        has_use_restrictions = self.has_use_restrictions

        requires_acceptance = self.requires_acceptance

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allows_commercial_use": allows_commercial_use,
                "allows_derivatives": allows_derivatives,
                "requires_attribution": requires_attribution,
                "requires_share_alike": requires_share_alike,
                "has_use_restrictions": has_use_restrictions,
                "requires_acceptance": requires_acceptance,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_allows_commercial_use(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        allows_commercial_use = _parse_allows_commercial_use(d.pop("allows_commercial_use"))

        def _parse_allows_derivatives(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        allows_derivatives = _parse_allows_derivatives(d.pop("allows_derivatives"))

        def _parse_requires_attribution(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        requires_attribution = _parse_requires_attribution(d.pop("requires_attribution"))

        def _parse_requires_share_alike(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        requires_share_alike = _parse_requires_share_alike(d.pop("requires_share_alike"))

        has_use_restrictions = d.pop("has_use_restrictions")

        requires_acceptance = d.pop("requires_acceptance")

        model_repo_license_flags = cls(
            allows_commercial_use=allows_commercial_use,
            allows_derivatives=allows_derivatives,
            requires_attribution=requires_attribution,
            requires_share_alike=requires_share_alike,
            has_use_restrictions=has_use_restrictions,
            requires_acceptance=requires_acceptance,
        )

        model_repo_license_flags.additional_properties = d
        return model_repo_license_flags

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
