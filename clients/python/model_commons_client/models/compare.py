from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.file_change import FileChange
    from ..models.revision_point import RevisionPoint


T = TypeVar("T", bound="Compare")


@_attrs_define
class Compare:
    """File-level changes from ``base`` to ``head``, text diffs for small files.

    Attributes:
        base (RevisionPoint):
        head (RevisionPoint):
        files (list[FileChange]):
        diff_truncated (bool): True when some text diffs were left out to bound the response.
    """

    base: RevisionPoint
    head: RevisionPoint
    files: list[FileChange]
    diff_truncated: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base = self.base.to_dict()

        head = self.head.to_dict()

        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)

        diff_truncated = self.diff_truncated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "base": base,
                "head": head,
                "files": files,
                "diff_truncated": diff_truncated,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.file_change import FileChange
        from ..models.revision_point import RevisionPoint

        d = dict(src_dict)
        base = RevisionPoint.from_dict(d.pop("base"))

        head = RevisionPoint.from_dict(d.pop("head"))

        files = []
        _files = d.pop("files")
        for files_item_data in _files:
            files_item = FileChange.from_dict(files_item_data)

            files.append(files_item)

        diff_truncated = d.pop("diff_truncated")

        compare = cls(
            base=base,
            head=head,
            files=files,
            diff_truncated=diff_truncated,
        )

        compare.additional_properties = d
        return compare

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
