from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.viewer_split import ViewerSplit


T = TypeVar("T", bound="ViewerConfig")


@_attrs_define
class ViewerConfig:
    """
    Attributes:
        name (str):
        is_default (bool):
        splits (list[ViewerSplit]):
    """

    name: str
    is_default: bool
    splits: list[ViewerSplit]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        is_default = self.is_default

        splits = []
        for splits_item_data in self.splits:
            splits_item = splits_item_data.to_dict()
            splits.append(splits_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "is_default": is_default,
                "splits": splits,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.viewer_split import ViewerSplit

        d = dict(src_dict)
        name = d.pop("name")

        is_default = d.pop("is_default")

        splits = []
        _splits = d.pop("splits")
        for splits_item_data in _splits:
            splits_item = ViewerSplit.from_dict(splits_item_data)

            splits.append(splits_item)

        viewer_config = cls(
            name=name,
            is_default=is_default,
            splits=splits,
        )

        viewer_config.additional_properties = d
        return viewer_config

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
