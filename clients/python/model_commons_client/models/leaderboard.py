from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.leaderboard_entry import LeaderboardEntry


T = TypeVar("T", bound="Leaderboard")


@_attrs_define
class Leaderboard:
    """
    Attributes:
        evaluator (str):
        title (str):
        suite_version (str):
        primary_metric (str):
        higher_is_better (bool):
        count (int):
        results (list[LeaderboardEntry]):
    """

    evaluator: str
    title: str
    suite_version: str
    primary_metric: str
    higher_is_better: bool
    count: int
    results: list[LeaderboardEntry]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        evaluator = self.evaluator

        title = self.title

        suite_version = self.suite_version

        primary_metric = self.primary_metric

        higher_is_better = self.higher_is_better

        count = self.count

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "evaluator": evaluator,
                "title": title,
                "suite_version": suite_version,
                "primary_metric": primary_metric,
                "higher_is_better": higher_is_better,
                "count": count,
                "results": results,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.leaderboard_entry import LeaderboardEntry

        d = dict(src_dict)
        evaluator = d.pop("evaluator")

        title = d.pop("title")

        suite_version = d.pop("suite_version")

        primary_metric = d.pop("primary_metric")

        higher_is_better = d.pop("higher_is_better")

        count = d.pop("count")

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = LeaderboardEntry.from_dict(results_item_data)

            results.append(results_item)

        leaderboard = cls(
            evaluator=evaluator,
            title=title,
            suite_version=suite_version,
            primary_metric=primary_metric,
            higher_is_better=higher_is_better,
            count=count,
            results=results,
        )

        leaderboard.additional_properties = d
        return leaderboard

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
