from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

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
        entries (int):
        url (str):
    """

    evaluator: str
    title: str
    primary_metric: str
    higher_is_better: bool
    suite_version: str
    entries: int
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        evaluator = self.evaluator

        title = self.title

        primary_metric = self.primary_metric

        higher_is_better = self.higher_is_better

        suite_version = self.suite_version

        entries = self.entries

        url = self.url

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
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        evaluator = d.pop("evaluator")

        title = d.pop("title")

        primary_metric = d.pop("primary_metric")

        higher_is_better = d.pop("higher_is_better")

        suite_version = d.pop("suite_version")

        entries = d.pop("entries")

        url = d.pop("url")

        leaderboard_index_item = cls(
            evaluator=evaluator,
            title=title,
            primary_metric=primary_metric,
            higher_is_better=higher_is_better,
            suite_version=suite_version,
            entries=entries,
            url=url,
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
