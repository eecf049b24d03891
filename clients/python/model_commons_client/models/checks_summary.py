from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.checks_summary_state_enum import ChecksSummaryStateEnum

if TYPE_CHECKING:
    from ..models.checks_summary_counts import ChecksSummaryCounts
    from ..models.checks_summary_parameters import ChecksSummaryParameters
    from ..models.failing_check import FailingCheck


T = TypeVar("T", bound="ChecksSummary")


@_attrs_define
class ChecksSummary:
    """CI-style state of a commit's checks (``hub.jobs.selectors.ChecksSummary``).

    Attributes:
        state (ChecksSummaryStateEnum): * `pending` - pending
            * `success` - success
            * `failure` - failure
            * `error` - error
            * `none` - none
        total (int):
        counts (ChecksSummaryCounts): Runs per status.
        failing (list[FailingCheck]):
        parameters (ChecksSummaryParameters): Parameters per dtype, from the safetensors headers.
    """

    state: ChecksSummaryStateEnum
    total: int
    counts: ChecksSummaryCounts
    failing: list[FailingCheck]
    parameters: ChecksSummaryParameters
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state.value

        total = self.total

        counts = self.counts.to_dict()

        failing = []
        for failing_item_data in self.failing:
            failing_item = failing_item_data.to_dict()
            failing.append(failing_item)

        parameters = self.parameters.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "state": state,
                "total": total,
                "counts": counts,
                "failing": failing,
                "parameters": parameters,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.checks_summary_counts import ChecksSummaryCounts
        from ..models.checks_summary_parameters import ChecksSummaryParameters
        from ..models.failing_check import FailingCheck

        d = dict(src_dict)
        state = ChecksSummaryStateEnum(d.pop("state"))

        total = d.pop("total")

        counts = ChecksSummaryCounts.from_dict(d.pop("counts"))

        failing = []
        _failing = d.pop("failing")
        for failing_item_data in _failing:
            failing_item = FailingCheck.from_dict(failing_item_data)

            failing.append(failing_item)

        parameters = ChecksSummaryParameters.from_dict(d.pop("parameters"))

        checks_summary = cls(
            state=state,
            total=total,
            counts=counts,
            failing=failing,
            parameters=parameters,
        )

        checks_summary.additional_properties = d
        return checks_summary

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
