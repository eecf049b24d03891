from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReviewEvidence")


@_attrs_define
class ReviewEvidence:
    """
    Attributes:
        use_case (str | Unset):  Default: ''.
        hardware (str | Unset):  Default: ''.
        library_name (str | Unset):  Default: ''.
        library_version (str | Unset):  Default: ''.
        reproduced_eval (bool | Unset):  Default: False.
    """

    use_case: str | Unset = ""
    hardware: str | Unset = ""
    library_name: str | Unset = ""
    library_version: str | Unset = ""
    reproduced_eval: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        use_case = self.use_case

        hardware = self.hardware

        library_name = self.library_name

        library_version = self.library_version

        reproduced_eval = self.reproduced_eval

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if use_case is not UNSET:
            field_dict["use_case"] = use_case
        if hardware is not UNSET:
            field_dict["hardware"] = hardware
        if library_name is not UNSET:
            field_dict["library_name"] = library_name
        if library_version is not UNSET:
            field_dict["library_version"] = library_version
        if reproduced_eval is not UNSET:
            field_dict["reproduced_eval"] = reproduced_eval

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        use_case = d.pop("use_case", UNSET)

        hardware = d.pop("hardware", UNSET)

        library_name = d.pop("library_name", UNSET)

        library_version = d.pop("library_version", UNSET)

        reproduced_eval = d.pop("reproduced_eval", UNSET)

        review_evidence = cls(
            use_case=use_case,
            hardware=hardware,
            library_name=library_name,
            library_version=library_version,
            reproduced_eval=reproduced_eval,
        )

        review_evidence.additional_properties = d
        return review_evidence

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
