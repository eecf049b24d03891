from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.gated_enum import GatedEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="PatchedModelRepoUpdateRequest")


@_attrs_define
class PatchedModelRepoUpdateRequest:
    """
    Attributes:
        private (bool | Unset):
        gated (GatedEnum | Unset): * `off` - Not gated
            * `auto` - Automatic approval
            * `manual` - Manual approval
    """

    private: bool | Unset = UNSET
    gated: GatedEnum | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        private = self.private

        gated: str | Unset = UNSET
        if not isinstance(self.gated, Unset):
            gated = self.gated.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if private is not UNSET:
            field_dict["private"] = private
        if gated is not UNSET:
            field_dict["gated"] = gated

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        private = d.pop("private", UNSET)

        _gated = d.pop("gated", UNSET)
        gated: GatedEnum | Unset
        if isinstance(_gated, Unset):
            gated = UNSET
        else:
            gated = GatedEnum(_gated)

        patched_model_repo_update_request = cls(
            private=private,
            gated=gated,
        )

        patched_model_repo_update_request.additional_properties = d
        return patched_model_repo_update_request

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
