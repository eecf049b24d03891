from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reason_enum import ReasonEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReportCreateRequest")


@_attrs_define
class ReportCreateRequest:
    """
    Attributes:
        kind (str): model, review, comment or user.
        target (str): model: 'namespace/name'; review or comment: its id; user: a username.
        reason (ReasonEnum): * `spam` - Spam or advertising
            * `abuse` - Harassment or hateful content
            * `malware` - Malicious or unsafe files
            * `license` - License or copyright violation
            * `illegal` - Illegal content
            * `misleading` - Misleading or false claims
            * `other` - Something else
        text (str | Unset):  Default: ''.
    """

    kind: str
    target: str
    reason: ReasonEnum
    text: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        target = self.target

        reason = self.reason.value

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "target": target,
                "reason": reason,
            }
        )
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kind = d.pop("kind")

        target = d.pop("target")

        reason = ReasonEnum(d.pop("reason"))

        text = d.pop("text", UNSET)

        report_create_request = cls(
            kind=kind,
            target=target,
            reason=reason,
            text=text,
        )

        report_create_request.additional_properties = d
        return report_create_request

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
