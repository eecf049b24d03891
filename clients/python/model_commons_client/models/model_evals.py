from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.claimed_result import ClaimedResult
    from ..models.eval_run import EvalRun


T = TypeVar("T", bound="ModelEvals")


@_attrs_define
class ModelEvals:
    """A commit's evaluations: hub-verified runs beside the card's claims.

    Attributes:
        enabled (bool): False when this hub does not run evaluations (no eval stack).
        commit (str):
        runs (list[EvalRun]):
        claimed (list[ClaimedResult]):
    """

    enabled: bool
    commit: str
    runs: list[EvalRun]
    claimed: list[ClaimedResult]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        commit = self.commit

        runs = []
        for runs_item_data in self.runs:
            runs_item = runs_item_data.to_dict()
            runs.append(runs_item)

        claimed = []
        for claimed_item_data in self.claimed:
            claimed_item = claimed_item_data.to_dict()
            claimed.append(claimed_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enabled": enabled,
                "commit": commit,
                "runs": runs,
                "claimed": claimed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.claimed_result import ClaimedResult
        from ..models.eval_run import EvalRun

        d = dict(src_dict)
        enabled = d.pop("enabled")

        commit = d.pop("commit")

        runs = []
        _runs = d.pop("runs")
        for runs_item_data in _runs:
            runs_item = EvalRun.from_dict(runs_item_data)

            runs.append(runs_item)

        claimed = []
        _claimed = d.pop("claimed")
        for claimed_item_data in _claimed:
            claimed_item = ClaimedResult.from_dict(claimed_item_data)

            claimed.append(claimed_item)

        model_evals = cls(
            enabled=enabled,
            commit=commit,
            runs=runs,
            claimed=claimed,
        )

        model_evals.additional_properties = d
        return model_evals

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
