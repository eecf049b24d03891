from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.eval_run_status_enum import EvalRunStatusEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.eval_data import EvalData
    from ..models.eval_result import EvalResult


T = TypeVar("T", bound="EvalRun")


@_attrs_define
class EvalRun:
    """One eval run of one checkpoint of a commit; ``result`` when finished.

    Attributes:
        id (int):
        repo (str): namespace/name
        commit (str): The commit id.
        evaluator (str):
        suite_version (str):
        log_tail (str): Last lines of the sandboxed child's log (non-successes only).
        position (int | None): Place in the fair queue (1 = next) while queued, else null.
        held_out_data (EvalData): The held-out data a run used: a dataset repo of this hub at a commit
            and split, or the data the eval suite ships.
        result (EvalResult | None):
        created_at (datetime.datetime):
        checkpoint (str | Unset):
        status (EvalRunStatusEnum | Unset): * `queued` - Queued
            * `running` - Running
            * `finished` - Finished
            * `failed` - Failed
            * `timeout` - Timed out
            * `skipped` - Skipped
        reason (str | Unset):
        message (str | Unset):
        reused (bool | Unset): Result taken from an earlier run on the same files.
        force (bool | Unset): A re-run: evaluate even if a result exists.
        attempts (int | Unset):
        parameter_count (int | None | Unset):
        size_tier (str | Unset):
        inputs_digest (str | Unset):
        inputs (Any | Unset):
        started_at (datetime.datetime | None | Unset):
        finished_at (datetime.datetime | None | Unset):
    """

    id: int
    repo: str
    commit: str
    evaluator: str
    suite_version: str
    log_tail: str
    position: int | None
    held_out_data: EvalData
    result: EvalResult | None
    created_at: datetime.datetime
    checkpoint: str | Unset = UNSET
    status: EvalRunStatusEnum | Unset = UNSET
    reason: str | Unset = UNSET
    message: str | Unset = UNSET
    reused: bool | Unset = UNSET
    force: bool | Unset = UNSET
    attempts: int | Unset = UNSET
    parameter_count: int | None | Unset = UNSET
    size_tier: str | Unset = UNSET
    inputs_digest: str | Unset = UNSET
    inputs: Any | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.eval_result import EvalResult

        id = self.id

        repo = self.repo

        commit = self.commit

        evaluator = self.evaluator

        suite_version = self.suite_version

        log_tail = self.log_tail

        position: int | None
        position = self.position

        held_out_data = self.held_out_data.to_dict()

        result: dict[str, Any] | None
        if isinstance(self.result, EvalResult):
            result = self.result.to_dict()
        else:
            result = self.result

        created_at = self.created_at.isoformat()

        checkpoint = self.checkpoint

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        reason = self.reason

        message = self.message

        reused = self.reused

        force = self.force

        attempts = self.attempts

        parameter_count: int | None | Unset
        if isinstance(self.parameter_count, Unset):
            parameter_count = UNSET
        else:
            parameter_count = self.parameter_count

        size_tier = self.size_tier

        inputs_digest = self.inputs_digest

        inputs = self.inputs

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
                "repo": repo,
                "commit": commit,
                "evaluator": evaluator,
                "suite_version": suite_version,
                "log_tail": log_tail,
                "position": position,
                "held_out_data": held_out_data,
                "result": result,
                "created_at": created_at,
            }
        )
        if checkpoint is not UNSET:
            field_dict["checkpoint"] = checkpoint
        if status is not UNSET:
            field_dict["status"] = status
        if reason is not UNSET:
            field_dict["reason"] = reason
        if message is not UNSET:
            field_dict["message"] = message
        if reused is not UNSET:
            field_dict["reused"] = reused
        if force is not UNSET:
            field_dict["force"] = force
        if attempts is not UNSET:
            field_dict["attempts"] = attempts
        if parameter_count is not UNSET:
            field_dict["parameter_count"] = parameter_count
        if size_tier is not UNSET:
            field_dict["size_tier"] = size_tier
        if inputs_digest is not UNSET:
            field_dict["inputs_digest"] = inputs_digest
        if inputs is not UNSET:
            field_dict["inputs"] = inputs
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.eval_data import EvalData
        from ..models.eval_result import EvalResult

        d = dict(src_dict)
        id = d.pop("id")

        repo = d.pop("repo")

        commit = d.pop("commit")

        evaluator = d.pop("evaluator")

        suite_version = d.pop("suite_version")

        log_tail = d.pop("log_tail")

        def _parse_position(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        position = _parse_position(d.pop("position"))

        held_out_data = EvalData.from_dict(d.pop("held_out_data"))

        def _parse_result(data: object) -> EvalResult | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_1 = EvalResult.from_dict(data)

                return result_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EvalResult | None, data)

        result = _parse_result(d.pop("result"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        checkpoint = d.pop("checkpoint", UNSET)

        _status = d.pop("status", UNSET)
        status: EvalRunStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = EvalRunStatusEnum(_status)

        reason = d.pop("reason", UNSET)

        message = d.pop("message", UNSET)

        reused = d.pop("reused", UNSET)

        force = d.pop("force", UNSET)

        attempts = d.pop("attempts", UNSET)

        def _parse_parameter_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        parameter_count = _parse_parameter_count(d.pop("parameter_count", UNSET))

        size_tier = d.pop("size_tier", UNSET)

        inputs_digest = d.pop("inputs_digest", UNSET)

        inputs = d.pop("inputs", UNSET)

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

        eval_run = cls(
            id=id,
            repo=repo,
            commit=commit,
            evaluator=evaluator,
            suite_version=suite_version,
            log_tail=log_tail,
            position=position,
            held_out_data=held_out_data,
            result=result,
            created_at=created_at,
            checkpoint=checkpoint,
            status=status,
            reason=reason,
            message=message,
            reused=reused,
            force=force,
            attempts=attempts,
            parameter_count=parameter_count,
            size_tier=size_tier,
            inputs_digest=inputs_digest,
            inputs=inputs,
            started_at=started_at,
            finished_at=finished_at,
        )

        eval_run.additional_properties = d
        return eval_run

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
