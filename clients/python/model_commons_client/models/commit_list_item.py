from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.commit_author import CommitAuthor


T = TypeVar("T", bound="CommitListItem")


@_attrs_define
class CommitListItem:
    """A commit in a history listing.

    Attributes:
        oid (str):
        title (str):
        author (CommitAuthor):
        created_at (datetime.datetime):
        description (str | Unset):
    """

    oid: str
    title: str
    author: CommitAuthor
    created_at: datetime.datetime
    description: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        oid = self.oid

        title = self.title

        author = self.author.to_dict()

        created_at = self.created_at.isoformat()

        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "oid": oid,
                "title": title,
                "author": author,
                "created_at": created_at,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.commit_author import CommitAuthor

        d = dict(src_dict)
        oid = d.pop("oid")

        title = d.pop("title")

        author = CommitAuthor.from_dict(d.pop("author"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        description = d.pop("description", UNSET)

        commit_list_item = cls(
            oid=oid,
            title=title,
            author=author,
            created_at=created_at,
            description=description,
        )

        commit_list_item.additional_properties = d
        return commit_list_item

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
