from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.model_repo_license_flags import ModelRepoLicenseFlags


T = TypeVar("T", bound="ModelRepoLicense")


@_attrs_define
class ModelRepoLicense:
    """The license a repo's card declares, from the license catalog.

    Attributes:
        id (str):
        name (str):
        url (str):
        flags (ModelRepoLicenseFlags): What the license permits; null where the catalog does not know.
    """

    id: str
    name: str
    url: str
    flags: ModelRepoLicenseFlags
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        url = self.url

        flags = self.flags.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "url": url,
                "flags": flags,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.model_repo_license_flags import ModelRepoLicenseFlags

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        url = d.pop("url")

        flags = ModelRepoLicenseFlags.from_dict(d.pop("flags"))

        model_repo_license = cls(
            id=id,
            name=name,
            url=url,
            flags=flags,
        )

        model_repo_license.additional_properties = d
        return model_repo_license

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
