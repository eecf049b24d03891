from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.viewer_config import ViewerConfig


T = TypeVar("T", bound="DatasetViewer")


@_attrs_define
class DatasetViewer:
    """Schema and first rows per config and split of main's head, as the
    worker computed them (``status`` is pending while any file is).

        Attributes:
            status (str):
            configs (list[ViewerConfig]):
    """

    status: str
    configs: list[ViewerConfig]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        configs = []
        for configs_item_data in self.configs:
            configs_item = configs_item_data.to_dict()
            configs.append(configs_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "configs": configs,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.viewer_config import ViewerConfig

        d = dict(src_dict)
        status = d.pop("status")

        configs = []
        _configs = d.pop("configs")
        for configs_item_data in _configs:
            configs_item = ViewerConfig.from_dict(configs_item_data)

            configs.append(configs_item)

        dataset_viewer = cls(
            status=status,
            configs=configs,
        )

        dataset_viewer.additional_properties = d
        return dataset_viewer

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
