from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReviewHelpful")


@_attrs_define
class ReviewHelpful:
    """
    Attributes:
        helpful_count (int):
        voted (bool):
    """

    helpful_count: int
    voted: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        helpful_count = self.helpful_count

        voted = self.voted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "helpful_count": helpful_count,
                "voted": voted,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        helpful_count = d.pop("helpful_count")

        voted = d.pop("voted")

        review_helpful = cls(
            helpful_count=helpful_count,
            voted=voted,
        )

        review_helpful.additional_properties = d
        return review_helpful

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
