from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.blank_enum import BlankEnum
from ..models.check_run_kind_enum import CheckRunKindEnum
from ..models.check_run_status_enum import CheckRunStatusEnum
from ..models.verdict_enum import VerdictEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="CheckRun")


@_attrs_define
class CheckRun:
    """One validation run of a commit: a file's check or the repo-level one.

    Attributes:
        id (int):
        kind (CheckRunKindEnum): * `file` - File
            * `repo` - Repository
        created_at (datetime.datetime):
        path (str | Unset):
        status (CheckRunStatusEnum | Unset): * `queued` - Queued
            * `running` - Running
            * `succeeded` - Succeeded
            * `failed` - Failed
            * `errored` - Errored
        verdict (BlankEnum | Unset | VerdictEnum):
        findings (Any | Unset):
        metadata (Any | Unset):
        attempts (int | Unset):
        reused (bool | Unset): Verdict taken from an earlier run on the same content.
        validator_version (str | Unset):
        started_at (datetime.datetime | None | Unset):
        finished_at (datetime.datetime | None | Unset):
    """

    id: int
    kind: CheckRunKindEnum
    created_at: datetime.datetime
    path: str | Unset = UNSET
    status: CheckRunStatusEnum | Unset = UNSET
    verdict: BlankEnum | Unset | VerdictEnum = UNSET
    findings: Any | Unset = UNSET
    metadata: Any | Unset = UNSET
    attempts: int | Unset = UNSET
    reused: bool | Unset = UNSET
    validator_version: str | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        created_at = self.created_at.isoformat()

        path = self.path

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        verdict: str | Unset
        if isinstance(self.verdict, Unset):
            verdict = UNSET
        elif isinstance(self.verdict, VerdictEnum):
            verdict = self.verdict.value
        else:
            verdict = self.verdict.value

        findings = self.findings

        metadata = self.metadata

        attempts = self.attempts

        reused = self.reused

        validator_version = self.validator_version

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "created_at": created_at,
            }
        )
        if path is not UNSET:
            field_dict["path"] = path
        if status is not UNSET:
            field_dict["status"] = status
        if verdict is not UNSET:
            field_dict["verdict"] = verdict
        if findings is not UNSET:
            field_dict["findings"] = findings
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if attempts is not UNSET:
            field_dict["attempts"] = attempts
        if reused is not UNSET:
            field_dict["reused"] = reused
        if validator_version is not UNSET:
            field_dict["validator_version"] = validator_version
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        kind = CheckRunKindEnum(d.pop("kind"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        path = d.pop("path", UNSET)

        _status = d.pop("status", UNSET)
        status: CheckRunStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = CheckRunStatusEnum(_status)

        def _parse_verdict(data: object) -> BlankEnum | Unset | VerdictEnum:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                verdict_type_0 = VerdictEnum(data)

                return verdict_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            verdict_type_1 = BlankEnum(data)

            return verdict_type_1

        verdict = _parse_verdict(d.pop("verdict", UNSET))

        findings = d.pop("findings", UNSET)

        metadata = d.pop("metadata", UNSET)

        attempts = d.pop("attempts", UNSET)

        reused = d.pop("reused", UNSET)

        validator_version = d.pop("validator_version", UNSET)

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        check_run = cls(
            id=id,
            kind=kind,
            created_at=created_at,
            path=path,
            status=status,
            verdict=verdict,
            findings=findings,
            metadata=metadata,
            attempts=attempts,
            reused=reused,
            validator_version=validator_version,
            started_at=started_at,
            finished_at=finished_at,
        )

        check_run.additional_properties = d
        return check_run

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
