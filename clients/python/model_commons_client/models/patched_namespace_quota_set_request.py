from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PatchedNamespaceQuotaSetRequest")


@_attrs_define
class PatchedNamespaceQuotaSetRequest:
    """Staff's change: only the limits given change.

    Attributes:
        storage (str | Unset): A size (bytes, or with a unit: 50GB, 1.5GiB), 'unlimited', or 'default' for the hub's
            default.
        repos (str | Unset): A number of repositories, 'unlimited', or 'default'.
        file_size (str | Unset): A size (bytes, or with a unit: 50GB, 1.5GiB), 'unlimited', or 'default' for the hub's
            default.
    """

    storage: str | Unset = UNSET
    repos: str | Unset = UNSET
    file_size: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        storage = self.storage

        repos = self.repos

        file_size = self.file_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if storage is not UNSET:
            field_dict["storage"] = storage
        if repos is not UNSET:
            field_dict["repos"] = repos
        if file_size is not UNSET:
            field_dict["file_size"] = file_size

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        storage = d.pop("storage", UNSET)

        repos = d.pop("repos", UNSET)

        file_size = d.pop("file_size", UNSET)

        patched_namespace_quota_set_request = cls(
            storage=storage,
            repos=repos,
            file_size=file_size,
        )

        patched_namespace_quota_set_request.additional_properties = d
        return patched_namespace_quota_set_request

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
