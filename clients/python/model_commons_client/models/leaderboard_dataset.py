from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LeaderboardDataset")


@_attrs_define
class LeaderboardDataset:
    """A dataset repo (and split) whose results form a board of their own.

    Attributes:
        dataset (str): namespace/name
        split (str):
        entries (int):
        url (str):
    """

    dataset: str
    split: str
    entries: int
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dataset = self.dataset

        split = self.split

        entries = self.entries

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dataset": dataset,
                "split": split,
                "entries": entries,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        dataset = d.pop("dataset")

        split = d.pop("split")

        entries = d.pop("entries")

        url = d.pop("url")

        leaderboard_dataset = cls(
            dataset=dataset,
            split=split,
            entries=entries,
            url=url,
        )

        leaderboard_dataset.additional_properties = d
        return leaderboard_dataset

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
