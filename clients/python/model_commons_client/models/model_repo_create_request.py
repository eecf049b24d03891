from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModelRepoCreateRequest")


@_attrs_define
class ModelRepoCreateRequest:
    """
    Attributes:
        name (str):
        namespace (str | Unset): User or organization (default: you).
        private (bool | Unset):  Default: False.
        license_ (str | Unset): License id; the first README.md declares it in its card.
    """

    name: str
    namespace: str | Unset = UNSET
    private: bool | Unset = False
    license_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        namespace = self.namespace

        private = self.private

        license_ = self.license_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if namespace is not UNSET:
            field_dict["namespace"] = namespace
        if private is not UNSET:
            field_dict["private"] = private
        if license_ is not UNSET:
            field_dict["license"] = license_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        namespace = d.pop("namespace", UNSET)

        private = d.pop("private", UNSET)

        license_ = d.pop("license", UNSET)

        model_repo_create_request = cls(
            name=name,
            namespace=namespace,
            private=private,
            license_=license_,
        )

        model_repo_create_request.additional_properties = d
        return model_repo_create_request

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
