from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ModelDatasetLink")


@_attrs_define
class ModelDatasetLink:
    """One id of a model card's ``datasets:``.

    Attributes:
        id (str): As the card names it.
        on_hub (bool): Whether it is a dataset on this hub you may see (/api/v1/datasets/{id}).
    """

    id: str
    on_hub: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        on_hub = self.on_hub

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "on_hub": on_hub,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        on_hub = d.pop("on_hub")

        model_dataset_link = cls(
            id=id,
            on_hub=on_hub,
        )

        model_dataset_link.additional_properties = d
        return model_dataset_link

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
