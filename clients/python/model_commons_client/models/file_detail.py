from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.check_run import CheckRun


T = TypeVar("T", bound="FileDetail")


@_attrs_define
class FileDetail:
    """One file at a revision, with its latest validation verdict.

    Attributes:
        path (str):
        size (int):
        sha256 (str):
        git_oid (str):
        commit (str): The resolved commit id.
        is_quarantined (bool):
        download_url (None | str):
        validation (CheckRun | None):
        is_lfs (bool | Unset):
    """

    path: str
    size: int
    sha256: str
    git_oid: str
    commit: str
    is_quarantined: bool
    download_url: None | str
    validation: CheckRun | None
    is_lfs: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.check_run import CheckRun

        path = self.path

        size = self.size

        sha256 = self.sha256

        git_oid = self.git_oid

        commit = self.commit

        is_quarantined = self.is_quarantined

        download_url: None | str
        download_url = self.download_url

        validation: dict[str, Any] | None
        if isinstance(self.validation, CheckRun):
            validation = self.validation.to_dict()
        else:
            validation = self.validation

        is_lfs = self.is_lfs

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
                "size": size,
                "sha256": sha256,
                "git_oid": git_oid,
                "commit": commit,
                "is_quarantined": is_quarantined,
                "download_url": download_url,
                "validation": validation,
            }
        )
        if is_lfs is not UNSET:
            field_dict["is_lfs"] = is_lfs

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.check_run import CheckRun

        d = dict(src_dict)
        path = d.pop("path")

        size = d.pop("size")

        sha256 = d.pop("sha256")

        git_oid = d.pop("git_oid")

        commit = d.pop("commit")

        is_quarantined = d.pop("is_quarantined")

        def _parse_download_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        download_url = _parse_download_url(d.pop("download_url"))

        def _parse_validation(data: object) -> CheckRun | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                validation_type_1 = CheckRun.from_dict(data)

                return validation_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CheckRun | None, data)

        validation = _parse_validation(d.pop("validation"))

        is_lfs = d.pop("is_lfs", UNSET)

        file_detail = cls(
            path=path,
            size=size,
            sha256=sha256,
            git_oid=git_oid,
            commit=commit,
            is_quarantined=is_quarantined,
            download_url=download_url,
            validation=validation,
            is_lfs=is_lfs,
        )

        file_detail.additional_properties = d
        return file_detail

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
