from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.rating_distribution import RatingDistribution


T = TypeVar("T", bound="RatingSummary")


@_attrs_define
class RatingSummary:
    """Average (0 when unrated), count and distribution of visible reviews.

    Attributes:
        average (float):
        count (int):
        distribution (RatingDistribution): How many visible reviews gave each number of stars.
    """

    average: float
    count: int
    distribution: RatingDistribution
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        average = self.average

        count = self.count

        distribution = self.distribution.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "average": average,
                "count": count,
                "distribution": distribution,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.rating_distribution import RatingDistribution

        d = dict(src_dict)
        average = d.pop("average")

        count = d.pop("count")

        distribution = RatingDistribution.from_dict(d.pop("distribution"))

        rating_summary = cls(
            average=average,
            count=count,
            distribution=distribution,
        )

        rating_summary.additional_properties = d
        return rating_summary

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
