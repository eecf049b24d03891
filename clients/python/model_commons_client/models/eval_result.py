from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EvalResult")


@_attrs_define
class EvalResult:
    """Numbers of one evaluator on one exact set of files, and how they were made.

    Attributes:
        evaluator (str):
        suite_version (str):
        inputs_digest (str):
        primary_metric (str):
        primary_value (float):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        verified (bool): Always true: computed by this hub's sandboxed eval workers.
        higher_is_better (bool | Unset):
        metrics (Any | Unset):
        details (Any | Unset):
        environment (Any | Unset):
        settings (Any | Unset):
        parameter_count (int | None | Unset):
        size_tier (str | Unset):
        duration_seconds (float | Unset):
    """

    evaluator: str
    suite_version: str
    inputs_digest: str
    primary_metric: str
    primary_value: float
    created_at: datetime.datetime
    updated_at: datetime.datetime
    verified: bool
    higher_is_better: bool | Unset = UNSET
    metrics: Any | Unset = UNSET
    details: Any | Unset = UNSET
    environment: Any | Unset = UNSET
    settings: Any | Unset = UNSET
    parameter_count: int | None | Unset = UNSET
    size_tier: str | Unset = UNSET
    duration_seconds: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        evaluator = self.evaluator

        suite_version = self.suite_version

        inputs_digest = self.inputs_digest

        primary_metric = self.primary_metric

        primary_value = self.primary_value

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        verified = self.verified

        higher_is_better = self.higher_is_better

        metrics = self.metrics

        details = self.details

        environment = self.environment

        settings = self.settings

        parameter_count: int | None | Unset
        if isinstance(self.parameter_count, Unset):
            parameter_count = UNSET
        else:
            parameter_count = self.parameter_count

        size_tier = self.size_tier

        duration_seconds = self.duration_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "evaluator": evaluator,
                "suite_version": suite_version,
                "inputs_digest": inputs_digest,
                "primary_metric": primary_metric,
                "primary_value": primary_value,
                "created_at": created_at,
                "updated_at": updated_at,
                "verified": verified,
            }
        )
        if higher_is_better is not UNSET:
            field_dict["higher_is_better"] = higher_is_better
        if metrics is not UNSET:
            field_dict["metrics"] = metrics
        if details is not UNSET:
            field_dict["details"] = details
        if environment is not UNSET:
            field_dict["environment"] = environment
        if settings is not UNSET:
            field_dict["settings"] = settings
        if parameter_count is not UNSET:
            field_dict["parameter_count"] = parameter_count
        if size_tier is not UNSET:
            field_dict["size_tier"] = size_tier
        if duration_seconds is not UNSET:
            field_dict["duration_seconds"] = duration_seconds

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        evaluator = d.pop("evaluator")

        suite_version = d.pop("suite_version")

        inputs_digest = d.pop("inputs_digest")

        primary_metric = d.pop("primary_metric")

        primary_value = d.pop("primary_value")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        verified = d.pop("verified")

        higher_is_better = d.pop("higher_is_better", UNSET)

        metrics = d.pop("metrics", UNSET)

        details = d.pop("details", UNSET)

        environment = d.pop("environment", UNSET)

        settings = d.pop("settings", UNSET)

        def _parse_parameter_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        parameter_count = _parse_parameter_count(d.pop("parameter_count", UNSET))

        size_tier = d.pop("size_tier", UNSET)

        duration_seconds = d.pop("duration_seconds", UNSET)

        eval_result = cls(
            evaluator=evaluator,
            suite_version=suite_version,
            inputs_digest=inputs_digest,
            primary_metric=primary_metric,
            primary_value=primary_value,
            created_at=created_at,
            updated_at=updated_at,
            verified=verified,
            higher_is_better=higher_is_better,
            metrics=metrics,
            details=details,
            environment=environment,
            settings=settings,
            parameter_count=parameter_count,
            size_tier=size_tier,
            duration_seconds=duration_seconds,
        )

        eval_result.additional_properties = d
        return eval_result

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
