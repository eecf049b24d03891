from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ViewerFile")


@_attrs_define
class ViewerFile:
    """
    Attributes:
        path (str):
        size (int):
        format_ (None | str):
        status (str): pending, ready, error, unsupported or withheld (you may not download the file yet).
        message (str):
        num_rows (int | None):
        num_rows_exact (bool):
    """

    path: str
    size: int
    format_: None | str
    status: str
    message: str
    num_rows: int | None
    num_rows_exact: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        size = self.size

        format_: None | str
        format_ = self.format_

        status = self.status

        message = self.message

        num_rows: int | None
        num_rows = self.num_rows

        num_rows_exact = self.num_rows_exact

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
                "size": size,
                "format": format_,
                "status": status,
                "message": message,
                "num_rows": num_rows,
                "num_rows_exact": num_rows_exact,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path")

        size = d.pop("size")

        def _parse_format_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        format_ = _parse_format_(d.pop("format"))

        status = d.pop("status")

        message = d.pop("message")

        def _parse_num_rows(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        num_rows = _parse_num_rows(d.pop("num_rows"))

        num_rows_exact = d.pop("num_rows_exact")

        viewer_file = cls(
            path=path,
            size=size,
            format_=format_,
            status=status,
            message=message,
            num_rows=num_rows,
            num_rows_exact=num_rows_exact,
        )

        viewer_file.additional_properties = d
        return viewer_file

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
