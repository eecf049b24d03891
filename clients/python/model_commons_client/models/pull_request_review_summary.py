from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.pull_request_review_summary_state_enum import (
    PullRequestReviewSummaryStateEnum,
)

T = TypeVar("T", bound="PullRequestReviewSummary")


@_attrs_define
class PullRequestReviewSummary:
    """
    Attributes:
        state (PullRequestReviewSummaryStateEnum): * `approved` - approved
            * `changes_requested` - changes_requested
            * `none` - none
        approved_by (list[str]):
        changes_requested_by (list[str]):
    """

    state: PullRequestReviewSummaryStateEnum
    approved_by: list[str]
    changes_requested_by: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state.value

        approved_by = self.approved_by

        changes_requested_by = self.changes_requested_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "state": state,
                "approved_by": approved_by,
                "changes_requested_by": changes_requested_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        state = PullRequestReviewSummaryStateEnum(d.pop("state"))

        approved_by = cast(list[str], d.pop("approved_by"))

        changes_requested_by = cast(list[str], d.pop("changes_requested_by"))

        pull_request_review_summary = cls(
            state=state,
            approved_by=approved_by,
            changes_requested_by=changes_requested_by,
        )

        pull_request_review_summary.additional_properties = d
        return pull_request_review_summary

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
