from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EvalData")


@_attrs_define
class EvalData:
    """The held-out data a run used: a dataset repo of this hub at a commit
    and split, or the data the eval suite ships.

        Attributes:
            dataset (str): namespace/name
            on_hub (bool): True: a dataset repo of this hub; false: the suite's data.
            revision (str): The dataset commit evaluated (the suite version when shipped).
            split (str):
            column (str):
            url (str): The dataset's files at that commit.
    """

    dataset: str
    on_hub: bool
    revision: str
    split: str
    column: str
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dataset = self.dataset

        on_hub = self.on_hub

        revision = self.revision

        split = self.split

        column = self.column

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dataset": dataset,
                "on_hub": on_hub,
                "revision": revision,
                "split": split,
                "column": column,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        dataset = d.pop("dataset")

        on_hub = d.pop("on_hub")

        revision = d.pop("revision")

        split = d.pop("split")

        column = d.pop("column")

        url = d.pop("url")

        eval_data = cls(
            dataset=dataset,
            on_hub=on_hub,
            revision=revision,
            split=split,
            column=column,
            url=url,
        )

        eval_data.additional_properties = d
        return eval_data

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
