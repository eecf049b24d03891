from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.viewer_file import ViewerFile
    from ..models.viewer_split_features_item import ViewerSplitFeaturesItem
    from ..models.viewer_split_rows_item import ViewerSplitRowsItem


T = TypeVar("T", bound="ViewerSplit")


@_attrs_define
class ViewerSplit:
    """
    Attributes:
        name (str):
        status (str): pending, ready or error.
        message (str):
        num_bytes (int):
        num_rows (int | None):
        num_rows_exact (bool):
        features (list[ViewerSplitFeaturesItem]): The schema: one {name, type} per column.
        rows (list[ViewerSplitRowsItem]): The first rows (at most 100).
        files (list[ViewerFile]):
    """

    name: str
    status: str
    message: str
    num_bytes: int
    num_rows: int | None
    num_rows_exact: bool
    features: list[ViewerSplitFeaturesItem]
    rows: list[ViewerSplitRowsItem]
    files: list[ViewerFile]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        status = self.status

        message = self.message

        num_bytes = self.num_bytes

        num_rows: int | None
        num_rows = self.num_rows

        num_rows_exact = self.num_rows_exact

        features = []
        for features_item_data in self.features:
            features_item = features_item_data.to_dict()
            features.append(features_item)

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "status": status,
                "message": message,
                "num_bytes": num_bytes,
                "num_rows": num_rows,
                "num_rows_exact": num_rows_exact,
                "features": features,
                "rows": rows,
                "files": files,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.viewer_file import ViewerFile
        from ..models.viewer_split_features_item import ViewerSplitFeaturesItem
        from ..models.viewer_split_rows_item import ViewerSplitRowsItem

        d = dict(src_dict)
        name = d.pop("name")

        status = d.pop("status")

        message = d.pop("message")

        num_bytes = d.pop("num_bytes")

        def _parse_num_rows(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        num_rows = _parse_num_rows(d.pop("num_rows"))

        num_rows_exact = d.pop("num_rows_exact")

        features = []
        _features = d.pop("features")
        for features_item_data in _features:
            features_item = ViewerSplitFeaturesItem.from_dict(features_item_data)

            features.append(features_item)

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = ViewerSplitRowsItem.from_dict(rows_item_data)

            rows.append(rows_item)

        files = []
        _files = d.pop("files")
        for files_item_data in _files:
            files_item = ViewerFile.from_dict(files_item_data)

            files.append(files_item)

        viewer_split = cls(
            name=name,
            status=status,
            message=message,
            num_bytes=num_bytes,
            num_rows=num_rows,
            num_rows_exact=num_rows_exact,
            features=features,
            rows=rows,
            files=files,
        )

        viewer_split.additional_properties = d
        return viewer_split

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
