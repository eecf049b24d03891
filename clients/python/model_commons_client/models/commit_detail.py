from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.checks_summary import ChecksSummary
    from ..models.commit_author import CommitAuthor
    from ..models.file_change import FileChange


T = TypeVar("T", bound="CommitDetail")


@_attrs_define
class CommitDetail:
    """A commit with its parents, the files it changed and its checks.

    Attributes:
        oid (str):
        tree_oid (str):
        title (str):
        author (CommitAuthor):
        created_at (datetime.datetime):
        parents (list[str]):
        changes (list[FileChange]):
        diff_truncated (bool): True when some text diffs were left out to bound the response.
        checks (ChecksSummary): CI-style state of a commit's checks (``hub.jobs.selectors.ChecksSummary``).
        description (str | Unset):
    """

    oid: str
    tree_oid: str
    title: str
    author: CommitAuthor
    created_at: datetime.datetime
    parents: list[str]
    changes: list[FileChange]
    diff_truncated: bool
    checks: ChecksSummary
    description: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        oid = self.oid

        tree_oid = self.tree_oid

        title = self.title

        author = self.author.to_dict()

        created_at = self.created_at.isoformat()

        parents = self.parents

        changes = []
        for changes_item_data in self.changes:
            changes_item = changes_item_data.to_dict()
            changes.append(changes_item)

        diff_truncated = self.diff_truncated

        checks = self.checks.to_dict()

        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "oid": oid,
                "tree_oid": tree_oid,
                "title": title,
                "author": author,
                "created_at": created_at,
                "parents": parents,
                "changes": changes,
                "diff_truncated": diff_truncated,
                "checks": checks,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.checks_summary import ChecksSummary
        from ..models.commit_author import CommitAuthor
        from ..models.file_change import FileChange

        d = dict(src_dict)
        oid = d.pop("oid")

        tree_oid = d.pop("tree_oid")

        title = d.pop("title")

        author = CommitAuthor.from_dict(d.pop("author"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        parents = cast(list[str], d.pop("parents"))

        changes = []
        _changes = d.pop("changes")
        for changes_item_data in _changes:
            changes_item = FileChange.from_dict(changes_item_data)

            changes.append(changes_item)

        diff_truncated = d.pop("diff_truncated")

        checks = ChecksSummary.from_dict(d.pop("checks"))

        description = d.pop("description", UNSET)

        commit_detail = cls(
            oid=oid,
            tree_oid=tree_oid,
            title=title,
            author=author,
            created_at=created_at,
            parents=parents,
            changes=changes,
            diff_truncated=diff_truncated,
            checks=checks,
            description=description,
        )

        commit_detail.additional_properties = d
        return commit_detail

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
