from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FailingCheck")


@_attrs_define
class FailingCheck:
    """
    Attributes:
        kind (str):
        path (str):
        verdict (str):
        messages (list[str]):
    """

    kind: str
    path: str
    verdict: str
    messages: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        path = self.path

        verdict = self.verdict

        messages = self.messages

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "path": path,
                "verdict": verdict,
                "messages": messages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kind = d.pop("kind")

        path = d.pop("path")

        verdict = d.pop("verdict")

        messages = cast(list[str], d.pop("messages"))

        failing_check = cls(
            kind=kind,
            path=path,
            verdict=verdict,
            messages=messages,
        )

        failing_check.additional_properties = d
        return failing_check

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
