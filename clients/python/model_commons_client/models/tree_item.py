from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tree_item_type_enum import TreeItemTypeEnum

T = TypeVar("T", bound="TreeItem")


@_attrs_define
class TreeItem:
    """A file or a folder at a revision (``hub.catalog.trees.TreeItem``).

    Attributes:
        type_ (TreeItemTypeEnum): * `file` - file
            * `directory` - directory
        path (str):
        size (int | None):
        is_lfs (bool | None):
        sha256 (None | str): SHA-256 of the file's content (files only).
        git_oid (None | str): git blob id: of the file, or of its LFS pointer (files only).
        download_url (None | str): HF-protocol resolve URL at the commit id (files only).
    """

    type_: TreeItemTypeEnum
    path: str
    size: int | None
    is_lfs: bool | None
    sha256: None | str
    git_oid: None | str
    download_url: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        path = self.path

        size: int | None
        size = self.size

        is_lfs: bool | None
        is_lfs = self.is_lfs

        sha256: None | str
        sha256 = self.sha256

        git_oid: None | str
        git_oid = self.git_oid

        download_url: None | str
        download_url = self.download_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "path": path,
                "size": size,
                "is_lfs": is_lfs,
                "sha256": sha256,
                "git_oid": git_oid,
                "download_url": download_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = TreeItemTypeEnum(d.pop("type"))

        path = d.pop("path")

        def _parse_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        size = _parse_size(d.pop("size"))

        def _parse_is_lfs(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        is_lfs = _parse_is_lfs(d.pop("is_lfs"))

        def _parse_sha256(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sha256 = _parse_sha256(d.pop("sha256"))

        def _parse_git_oid(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        git_oid = _parse_git_oid(d.pop("git_oid"))

        def _parse_download_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        download_url = _parse_download_url(d.pop("download_url"))

        tree_item = cls(
            type_=type_,
            path=path,
            size=size,
            is_lfs=is_lfs,
            sha256=sha256,
            git_oid=git_oid,
            download_url=download_url,
        )

        tree_item.additional_properties = d
        return tree_item

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
