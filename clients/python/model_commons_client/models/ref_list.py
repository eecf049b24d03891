from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ref import Ref


T = TypeVar("T", bound="RefList")


@_attrs_define
class RefList:
    """
    Attributes:
        branches (list[Ref]):
        tags (list[Ref]):
        pull_requests (list[Ref]):
    """

    branches: list[Ref]
    tags: list[Ref]
    pull_requests: list[Ref]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        branches = []
        for branches_item_data in self.branches:
            branches_item = branches_item_data.to_dict()
            branches.append(branches_item)

        tags = []
        for tags_item_data in self.tags:
            tags_item = tags_item_data.to_dict()
            tags.append(tags_item)

        pull_requests = []
        for pull_requests_item_data in self.pull_requests:
            pull_requests_item = pull_requests_item_data.to_dict()
            pull_requests.append(pull_requests_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "branches": branches,
                "tags": tags,
                "pull_requests": pull_requests,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ref import Ref

        d = dict(src_dict)
        branches = []
        _branches = d.pop("branches")
        for branches_item_data in _branches:
            branches_item = Ref.from_dict(branches_item_data)

            branches.append(branches_item)

        tags = []
        _tags = d.pop("tags")
        for tags_item_data in _tags:
            tags_item = Ref.from_dict(tags_item_data)

            tags.append(tags_item)

        pull_requests = []
        _pull_requests = d.pop("pull_requests")
        for pull_requests_item_data in _pull_requests:
            pull_requests_item = Ref.from_dict(pull_requests_item_data)

            pull_requests.append(pull_requests_item)

        ref_list = cls(
            branches=branches,
            tags=tags,
            pull_requests=pull_requests,
        )

        ref_list.additional_properties = d
        return ref_list

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
