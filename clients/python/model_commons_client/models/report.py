from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reason_enum import ReasonEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="Report")


@_attrs_define
class Report:
    """
    Attributes:
        id (int):
        kind (str): model, review, comment or user.
        target (str):
        reason (ReasonEnum): * `spam` - Spam or advertising
            * `abuse` - Harassment or hateful content
            * `malware` - Malicious or unsafe files
            * `license` - License or copyright violation
            * `illegal` - Illegal content
            * `misleading` - Misleading or false claims
            * `other` - Something else
        status (str): open, resolved or dismissed.
        reporter (None | str): Who reported: shown to hub staff only (null otherwise).
        created_at (datetime.datetime):
        repo (None | str | Unset):
        text (str | Unset):
        decided_at (datetime.datetime | None | Unset):
        decided_by (None | str | Unset):
        decision_note (str | Unset):
    """

    id: int
    kind: str
    target: str
    reason: ReasonEnum
    status: str
    reporter: None | str
    created_at: datetime.datetime
    repo: None | str | Unset = UNSET
    text: str | Unset = UNSET
    decided_at: datetime.datetime | None | Unset = UNSET
    decided_by: None | str | Unset = UNSET
    decision_note: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind

        target = self.target

        reason = self.reason.value

        status = self.status

        reporter: None | str
        reporter = self.reporter

        created_at = self.created_at.isoformat()

        repo: None | str | Unset
        if isinstance(self.repo, Unset):
            repo = UNSET
        else:
            repo = self.repo

        text = self.text

        decided_at: None | str | Unset
        if isinstance(self.decided_at, Unset):
            decided_at = UNSET
        elif isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        decided_by: None | str | Unset
        if isinstance(self.decided_by, Unset):
            decided_by = UNSET
        else:
            decided_by = self.decided_by

        decision_note = self.decision_note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "target": target,
                "reason": reason,
                "status": status,
                "reporter": reporter,
                "created_at": created_at,
            }
        )
        if repo is not UNSET:
            field_dict["repo"] = repo
        if text is not UNSET:
            field_dict["text"] = text
        if decided_at is not UNSET:
            field_dict["decided_at"] = decided_at
        if decided_by is not UNSET:
            field_dict["decided_by"] = decided_by
        if decision_note is not UNSET:
            field_dict["decision_note"] = decision_note

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        kind = d.pop("kind")

        target = d.pop("target")

        reason = ReasonEnum(d.pop("reason"))

        status = d.pop("status")

        def _parse_reporter(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reporter = _parse_reporter(d.pop("reporter"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_repo(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        repo = _parse_repo(d.pop("repo", UNSET))

        text = d.pop("text", UNSET)

        def _parse_decided_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        decided_at = _parse_decided_at(d.pop("decided_at", UNSET))

        def _parse_decided_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decided_by = _parse_decided_by(d.pop("decided_by", UNSET))

        decision_note = d.pop("decision_note", UNSET)

        report = cls(
            id=id,
            kind=kind,
            target=target,
            reason=reason,
            status=status,
            reporter=reporter,
            created_at=created_at,
            repo=repo,
            text=text,
            decided_at=decided_at,
            decided_by=decided_by,
            decision_note=decision_note,
        )

        report.additional_properties = d
        return report

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
