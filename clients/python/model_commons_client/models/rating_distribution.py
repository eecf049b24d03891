from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RatingDistribution")


@_attrs_define
class RatingDistribution:
    """How many visible reviews gave each number of stars.

    Attributes:
        stars_1 (int):
        stars_2 (int):
        stars_3 (int):
        stars_4 (int):
        stars_5 (int):
    """

    stars_1: int
    stars_2: int
    stars_3: int
    stars_4: int
    stars_5: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        stars_1 = self.stars_1

        stars_2 = self.stars_2

        stars_3 = self.stars_3

        stars_4 = self.stars_4

        stars_5 = self.stars_5

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "stars_1": stars_1,
                "stars_2": stars_2,
                "stars_3": stars_3,
                "stars_4": stars_4,
                "stars_5": stars_5,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        stars_1 = d.pop("stars_1")

        stars_2 = d.pop("stars_2")

        stars_3 = d.pop("stars_3")

        stars_4 = d.pop("stars_4")

        stars_5 = d.pop("stars_5")

        rating_distribution = cls(
            stars_1=stars_1,
            stars_2=stars_2,
            stars_3=stars_3,
            stars_4=stars_4,
            stars_5=stars_5,
        )

        rating_distribution.additional_properties = d
        return rating_distribution

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
