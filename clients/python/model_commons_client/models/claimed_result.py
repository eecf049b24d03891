from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ClaimedResult")


@_attrs_define
class ClaimedResult:
    """A result the model card claims in its ``model-index`` (not verified).

    Attributes:
        task (str):
        dataset (str):
        metric (str):
        name (str):
        value (float):
    """

    task: str
    dataset: str
    metric: str
    name: str
    value: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task = self.task

        dataset = self.dataset

        metric = self.metric

        name = self.name

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "task": task,
                "dataset": dataset,
                "metric": metric,
                "name": name,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        task = d.pop("task")

        dataset = d.pop("dataset")

        metric = d.pop("metric")

        name = d.pop("name")

        value = d.pop("value")

        claimed_result = cls(
            task=task,
            dataset=dataset,
            metric=metric,
            name=name,
            value=value,
        )

        claimed_result.additional_properties = d
        return claimed_result

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
