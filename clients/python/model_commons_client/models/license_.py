from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.license_kind_enum import LicenseKindEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="License")


@_attrs_define
class License:
    """A license id with what it permits (null: not known for this license).

    Attributes:
        id (str):
        name (str):
        kind (LicenseKindEnum): * `spdx` - SPDX license
            * `model` - Model license
            * `special` - Special value
        url (str | Unset):
        spdx_id (str | Unset):
        allows_commercial_use (bool | None | Unset):
        allows_derivatives (bool | None | Unset):
        requires_attribution (bool | None | Unset):
        requires_share_alike (bool | None | Unset):
        has_use_restrictions (bool | Unset):
        requires_acceptance (bool | Unset):
        summary (str | Unset):
    """

    id: str
    name: str
    kind: LicenseKindEnum
    url: str | Unset = UNSET
    spdx_id: str | Unset = UNSET
    allows_commercial_use: bool | None | Unset = UNSET
    allows_derivatives: bool | None | Unset = UNSET
    requires_attribution: bool | None | Unset = UNSET
    requires_share_alike: bool | None | Unset = UNSET
    has_use_restrictions: bool | Unset = UNSET
    requires_acceptance: bool | Unset = UNSET
    summary: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        kind = self.kind.value

        url: str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        spdx_id = self.spdx_id

        allows_commercial_use: bool | None | Unset
        if isinstance(self.allows_commercial_use, Unset):
            allows_commercial_use = UNSET
        else:
            allows_commercial_use = self.allows_commercial_use

        allows_derivatives: bool | None | Unset
        if isinstance(self.allows_derivatives, Unset):
            allows_derivatives = UNSET
        else:
            allows_derivatives = self.allows_derivatives

        requires_attribution: bool | None | Unset
        if isinstance(self.requires_attribution, Unset):
            requires_attribution = UNSET
        else:
            requires_attribution = self.requires_attribution

        requires_share_alike: bool | None | Unset
        if isinstance(self.requires_share_alike, Unset):
            requires_share_alike = UNSET
        else:
            requires_share_alike = self.requires_share_alike

        has_use_restrictions = self.has_use_restrictions

        requires_acceptance = self.requires_acceptance

        summary = self.summary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "kind": kind,
            }
        )
        if url is not UNSET:
            field_dict["url"] = url
        if spdx_id is not UNSET:
            field_dict["spdx_id"] = spdx_id
        if allows_commercial_use is not UNSET:
            field_dict["allows_commercial_use"] = allows_commercial_use
        if allows_derivatives is not UNSET:
            field_dict["allows_derivatives"] = allows_derivatives
        if requires_attribution is not UNSET:
            field_dict["requires_attribution"] = requires_attribution
        if requires_share_alike is not UNSET:
            field_dict["requires_share_alike"] = requires_share_alike
        if has_use_restrictions is not UNSET:
            field_dict["has_use_restrictions"] = has_use_restrictions
        if requires_acceptance is not UNSET:
            field_dict["requires_acceptance"] = requires_acceptance
        if summary is not UNSET:
            field_dict["summary"] = summary

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        kind = LicenseKindEnum(d.pop("kind"))

        def _parse_url(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        spdx_id = d.pop("spdx_id", UNSET)

        def _parse_allows_commercial_use(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        allows_commercial_use = _parse_allows_commercial_use(d.pop("allows_commercial_use", UNSET))

        def _parse_allows_derivatives(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        allows_derivatives = _parse_allows_derivatives(d.pop("allows_derivatives", UNSET))

        def _parse_requires_attribution(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        requires_attribution = _parse_requires_attribution(d.pop("requires_attribution", UNSET))

        def _parse_requires_share_alike(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        requires_share_alike = _parse_requires_share_alike(d.pop("requires_share_alike", UNSET))

        has_use_restrictions = d.pop("has_use_restrictions", UNSET)

        requires_acceptance = d.pop("requires_acceptance", UNSET)

        summary = d.pop("summary", UNSET)

        license_ = cls(
            id=id,
            name=name,
            kind=kind,
            url=url,
            spdx_id=spdx_id,
            allows_commercial_use=allows_commercial_use,
            allows_derivatives=allows_derivatives,
            requires_attribution=requires_attribution,
            requires_share_alike=requires_share_alike,
            has_use_restrictions=has_use_restrictions,
            requires_acceptance=requires_acceptance,
            summary=summary,
        )

        license_.additional_properties = d
        return license_

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
