from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.leaderboard_dataset import LeaderboardDataset


T = TypeVar("T", bound="LeaderboardIndexItem")


@_attrs_define
class LeaderboardIndexItem:
    """
    Attributes:
        evaluator (str):
        title (str):
        primary_metric (str):
        higher_is_better (bool):
        suite_version (str):
        entries (int): Entries on the data the suite ships.
        url (str):
        datasets (list[LeaderboardDataset]): Boards on dataset repos the caller may see.
    """

    evaluator: str
    title: str
    primary_metric: str
    higher_is_better: bool
    suite_version: str
    entries: int
    url: str
    datasets: list[LeaderboardDataset]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        evaluator = self.evaluator

        title = self.title

        primary_metric = self.primary_metric

        higher_is_better = self.higher_is_better

        suite_version = self.suite_version

        entries = self.entries

        url = self.url

        datasets = []
        for datasets_item_data in self.datasets:
            datasets_item = datasets_item_data.to_dict()
            datasets.append(datasets_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "evaluator": evaluator,
                "title": title,
                "primary_metric": primary_metric,
                "higher_is_better": higher_is_better,
                "suite_version": suite_version,
                "entries": entries,
                "url": url,
                "datasets": datasets,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.leaderboard_dataset import LeaderboardDataset

        d = dict(src_dict)
        evaluator = d.pop("evaluator")

        title = d.pop("title")

        primary_metric = d.pop("primary_metric")

        higher_is_better = d.pop("higher_is_better")

        suite_version = d.pop("suite_version")

        entries = d.pop("entries")

        url = d.pop("url")

        datasets = []
        _datasets = d.pop("datasets")
        for datasets_item_data in _datasets:
            datasets_item = LeaderboardDataset.from_dict(datasets_item_data)

            datasets.append(datasets_item)

        leaderboard_index_item = cls(
            evaluator=evaluator,
            title=title,
            primary_metric=primary_metric,
            higher_is_better=higher_is_better,
            suite_version=suite_version,
            entries=entries,
            url=url,
            datasets=datasets,
        )

        leaderboard_index_item.additional_properties = d
        return leaderboard_index_item

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
