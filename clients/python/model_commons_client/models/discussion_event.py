from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.discussion_event_type_enum import DiscussionEventTypeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="DiscussionEvent")


@_attrs_define
class DiscussionEvent:
    """A timeline entry. A hidden comment shows no content.

    Attributes:
        id (int):
        type_ (DiscussionEventTypeEnum): * `comment` - Comment
            * `status-change` - Status change
            * `commit` - Commit
            * `title-change` - Title change
            * `review` - Review
            * `moderation` - Moderation
        created_at (datetime.datetime):
        content (None | str): A comment's or review's Markdown; null for hidden comments and other events.
        edited_at (datetime.datetime | None):
        data (Any): Status changes: {status}; commits: {oid, subject}; title changes: {from, to}; reviews: {state, oid}
            (state: approved, changes_requested or commented; oid: the head reviewed); moderation: {action} (pinned,
            unpinned, locked, unlocked).
        author (None | str | Unset):
        is_hidden (bool | Unset):
    """

    id: int
    type_: DiscussionEventTypeEnum
    created_at: datetime.datetime
    content: None | str
    edited_at: datetime.datetime | None
    data: Any
    author: None | str | Unset = UNSET
    is_hidden: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        created_at = self.created_at.isoformat()

        content: None | str
        content = self.content

        edited_at: None | str
        if isinstance(self.edited_at, datetime.datetime):
            edited_at = self.edited_at.isoformat()
        else:
            edited_at = self.edited_at

        data = self.data

        author: None | str | Unset
        if isinstance(self.author, Unset):
            author = UNSET
        else:
            author = self.author

        is_hidden = self.is_hidden

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "created_at": created_at,
                "content": content,
                "edited_at": edited_at,
                "data": data,
            }
        )
        if author is not UNSET:
            field_dict["author"] = author
        if is_hidden is not UNSET:
            field_dict["is_hidden"] = is_hidden

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = DiscussionEventTypeEnum(d.pop("type"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_content(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        content = _parse_content(d.pop("content"))

        def _parse_edited_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                edited_at_type_0 = datetime.datetime.fromisoformat(data)

                return edited_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        edited_at = _parse_edited_at(d.pop("edited_at"))

        data = d.pop("data")

        def _parse_author(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        author = _parse_author(d.pop("author", UNSET))

        is_hidden = d.pop("is_hidden", UNSET)

        discussion_event = cls(
            id=id,
            type_=type_,
            created_at=created_at,
            content=content,
            edited_at=edited_at,
            data=data,
            author=author,
            is_hidden=is_hidden,
        )

        discussion_event.additional_properties = d
        return discussion_event

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
