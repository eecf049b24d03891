from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.eval_run import EvalRun


T = TypeVar("T", bound="EvalQueue")


@_attrs_define
class EvalQueue:
    """Queued and running runs of the models the caller may see.

    Attributes:
        enabled (bool):
        results (list[EvalRun]):
    """

    enabled: bool
    results: list[EvalRun]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enabled": enabled,
                "results": results,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.eval_run import EvalRun

        d = dict(src_dict)
        enabled = d.pop("enabled")

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = EvalRun.from_dict(results_item_data)

            results.append(results_item)

        eval_queue = cls(
            enabled=enabled,
            results=results,
        )

        eval_queue.additional_properties = d
        return eval_queue

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
