from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Organization")


@_attrs_define
class Organization:
    """An organization; counts are of what the caller may see.

    Attributes:
        name (str):
        created_at (datetime.datetime):
        members_count (int):
        models_count (int): Models of the organization the caller may see (public ones, plus private ones for members).
        viewer_role (None | str): The caller's role in the organization (admin, write or read), or null.
        display_name (str | Unset):
        description (str | Unset):
    """

    name: str
    created_at: datetime.datetime
    members_count: int
    models_count: int
    viewer_role: None | str
    display_name: str | Unset = UNSET
    description: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        created_at = self.created_at.isoformat()

        members_count = self.members_count

        models_count = self.models_count

        viewer_role: None | str
        viewer_role = self.viewer_role

        display_name = self.display_name

        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "created_at": created_at,
                "members_count": members_count,
                "models_count": models_count,
                "viewer_role": viewer_role,
            }
        )
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        members_count = d.pop("members_count")

        models_count = d.pop("models_count")

        def _parse_viewer_role(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        viewer_role = _parse_viewer_role(d.pop("viewer_role"))

        display_name = d.pop("display_name", UNSET)

        description = d.pop("description", UNSET)

        organization = cls(
            name=name,
            created_at=created_at,
            members_count=members_count,
            models_count=models_count,
            viewer_role=viewer_role,
            display_name=display_name,
            description=description,
        )

        organization.additional_properties = d
        return organization

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
