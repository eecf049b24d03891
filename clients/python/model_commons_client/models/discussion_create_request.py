from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DiscussionCreateRequest")


@_attrs_define
class DiscussionCreateRequest:
    """
    Attributes:
        title (str):
        description (str | Unset):  Default: ''.
        is_pull_request (bool | Unset): Open a draft pull request (its ref refs/pr/N starts at the head of
            target_branch); push commits to it with the HF protocol. Default: False.
        target_branch (str | Unset):  Default: 'main'.
    """

    title: str
    description: str | Unset = ""
    is_pull_request: bool | Unset = False
    target_branch: str | Unset = "main"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        description = self.description

        is_pull_request = self.is_pull_request

        target_branch = self.target_branch

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "title": title,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if is_pull_request is not UNSET:
            field_dict["is_pull_request"] = is_pull_request
        if target_branch is not UNSET:
            field_dict["target_branch"] = target_branch

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        title = d.pop("title")

        description = d.pop("description", UNSET)

        is_pull_request = d.pop("is_pull_request", UNSET)

        target_branch = d.pop("target_branch", UNSET)

        discussion_create_request = cls(
            title=title,
            description=description,
            is_pull_request=is_pull_request,
            target_branch=target_branch,
        )

        discussion_create_request.additional_properties = d
        return discussion_create_request

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
