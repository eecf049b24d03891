from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.file_change_status_enum import FileChangeStatusEnum

T = TypeVar("T", bound="FileChange")


@_attrs_define
class FileChange:
    """A file added, removed or modified, with a text diff when it is small.

    Takes ``(FileChange, diff)`` pairs (``hub.catalog.history.FileChange``).

        Attributes:
            status (FileChangeStatusEnum): * `added` - added
                * `removed` - removed
                * `modified` - modified
            path (str):
            old_size (int | None):
            new_size (int | None):
            old_sha256 (None | str):
            new_sha256 (None | str):
            is_lfs (bool):
            diff (None | str): Unified diff of a small text file; null for binary, LFS or large files, or once the
                response's diff budget is spent.
    """

    status: FileChangeStatusEnum
    path: str
    old_size: int | None
    new_size: int | None
    old_sha256: None | str
    new_sha256: None | str
    is_lfs: bool
    diff: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        path = self.path

        old_size: int | None
        old_size = self.old_size

        new_size: int | None
        new_size = self.new_size

        old_sha256: None | str
        old_sha256 = self.old_sha256

        new_sha256: None | str
        new_sha256 = self.new_sha256

        is_lfs = self.is_lfs

        diff: None | str
        diff = self.diff

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "path": path,
                "old_size": old_size,
                "new_size": new_size,
                "old_sha256": old_sha256,
                "new_sha256": new_sha256,
                "is_lfs": is_lfs,
                "diff": diff,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = FileChangeStatusEnum(d.pop("status"))

        path = d.pop("path")

        def _parse_old_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        old_size = _parse_old_size(d.pop("old_size"))

        def _parse_new_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        new_size = _parse_new_size(d.pop("new_size"))

        def _parse_old_sha256(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        old_sha256 = _parse_old_sha256(d.pop("old_sha256"))

        def _parse_new_sha256(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        new_sha256 = _parse_new_sha256(d.pop("new_sha256"))

        is_lfs = d.pop("is_lfs")

        def _parse_diff(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        diff = _parse_diff(d.pop("diff"))

        file_change = cls(
            status=status,
            path=path,
            old_size=old_size,
            new_size=new_size,
            old_sha256=old_sha256,
            new_sha256=new_sha256,
            is_lfs=is_lfs,
            diff=diff,
        )

        file_change.additional_properties = d
        return file_change

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
