from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DiscussionListItem")


@_attrs_define
class DiscussionListItem:
    """
    Attributes:
        num (int):
        title (str):
        status (str): draft, open, closed or merged.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        is_pull_request (bool | Unset):
        author (None | str | Unset):
        target_branch (str | Unset):
    """

    num: int
    title: str
    status: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    is_pull_request: bool | Unset = UNSET
    author: None | str | Unset = UNSET
    target_branch: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        num = self.num

        title = self.title

        status = self.status

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        is_pull_request = self.is_pull_request

        author: None | str | Unset
        if isinstance(self.author, Unset):
            author = UNSET
        else:
            author = self.author

        target_branch = self.target_branch

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "num": num,
                "title": title,
                "status": status,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if is_pull_request is not UNSET:
            field_dict["is_pull_request"] = is_pull_request
        if author is not UNSET:
            field_dict["author"] = author
        if target_branch is not UNSET:
            field_dict["target_branch"] = target_branch

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        num = d.pop("num")

        title = d.pop("title")

        status = d.pop("status")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        is_pull_request = d.pop("is_pull_request", UNSET)

        def _parse_author(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        author = _parse_author(d.pop("author", UNSET))

        target_branch = d.pop("target_branch", UNSET)

        discussion_list_item = cls(
            num=num,
            title=title,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            is_pull_request=is_pull_request,
            author=author,
            target_branch=target_branch,
        )

        discussion_list_item.additional_properties = d
        return discussion_list_item

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
