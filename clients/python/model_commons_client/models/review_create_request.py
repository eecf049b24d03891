from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.review_create_state_enum import ReviewCreateStateEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReviewCreateRequest")


@_attrs_define
class ReviewCreateRequest:
    """
    Attributes:
        state (ReviewCreateStateEnum): * `approved` - Approved
            * `changes_requested` - Changes requested
            * `commented` - Commented
        content (str | Unset): Markdown; required unless approving. Default: ''.
    """

    state: ReviewCreateStateEnum
    content: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state.value

        content = self.content

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "state": state,
            }
        )
        if content is not UNSET:
            field_dict["content"] = content

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        state = ReviewCreateStateEnum(d.pop("state"))

        content = d.pop("content", UNSET)

        review_create_request = cls(
            state=state,
            content=content,
        )

        review_create_request.additional_properties = d
        return review_create_request

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
