from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DatasetModel")


@_attrs_define
class DatasetModel:
    """A model whose card names this dataset in ``datasets:``.

    Attributes:
        id (str):
        pipeline_tag (str):
        downloads (int):
    """

    id: str
    pipeline_tag: str
    downloads: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        pipeline_tag = self.pipeline_tag

        downloads = self.downloads

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "pipeline_tag": pipeline_tag,
                "downloads": downloads,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        pipeline_tag = d.pop("pipeline_tag")

        downloads = d.pop("downloads")

        dataset_model = cls(
            id=id,
            pipeline_tag=pipeline_tag,
            downloads=downloads,
        )

        dataset_model.additional_properties = d
        return dataset_model

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
