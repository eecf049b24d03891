from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ref_kind_enum import RefKindEnum

T = TypeVar("T", bound="Ref")


@_attrs_define
class Ref:
    """A ref and the commit it points at.

    Attributes:
        name (str):
        kind (RefKindEnum): * `branch` - Branch
            * `tag` - Tag
            * `pr` - Pull request
        target_commit (str):
        updated_at (datetime.datetime):
    """

    name: str
    kind: RefKindEnum
    target_commit: str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        kind = self.kind.value

        target_commit = self.target_commit

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "kind": kind,
                "target_commit": target_commit,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        kind = RefKindEnum(d.pop("kind"))

        target_commit = d.pop("target_commit")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        ref = cls(
            name=name,
            kind=kind,
            target_commit=target_commit,
            updated_at=updated_at,
        )

        ref.additional_properties = d
        return ref

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
