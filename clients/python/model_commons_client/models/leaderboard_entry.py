from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.eval_data import EvalData
    from ..models.leaderboard_entry_metrics import LeaderboardEntryMetrics


T = TypeVar("T", bound="LeaderboardEntry")


@_attrs_define
class LeaderboardEntry:
    """
    Attributes:
        rank (int):
        repo (str):
        checkpoint (str):
        commit (str): The exact commit evaluated.
        commit_url (str):
        run_id (int):
        score (float):
        metrics (LeaderboardEntryMetrics):
        parameter_count (int | None):
        size_tier (str):
        task (str):
        license_ (str):
        base_model (list[str]):
        held_out_data (EvalData): The held-out data a run used: a dataset repo of this hub at a commit
            and split, or the data the eval suite ships.
        evaluated_at (datetime.datetime | None):
    """

    rank: int
    repo: str
    checkpoint: str
    commit: str
    commit_url: str
    run_id: int
    score: float
    metrics: LeaderboardEntryMetrics
    parameter_count: int | None
    size_tier: str
    task: str
    license_: str
    base_model: list[str]
    held_out_data: EvalData
    evaluated_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rank = self.rank

        repo = self.repo

        checkpoint = self.checkpoint

        commit = self.commit

        commit_url = self.commit_url

        run_id = self.run_id

        score = self.score

        metrics = self.metrics.to_dict()

        parameter_count: int | None
        parameter_count = self.parameter_count

        size_tier = self.size_tier

        task = self.task

        license_ = self.license_

        base_model = self.base_model

        held_out_data = self.held_out_data.to_dict()

        evaluated_at: None | str
        if isinstance(self.evaluated_at, datetime.datetime):
            evaluated_at = self.evaluated_at.isoformat()
        else:
            evaluated_at = self.evaluated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rank": rank,
                "repo": repo,
                "checkpoint": checkpoint,
                "commit": commit,
                "commit_url": commit_url,
                "run_id": run_id,
                "score": score,
                "metrics": metrics,
                "parameter_count": parameter_count,
                "size_tier": size_tier,
                "task": task,
                "license": license_,
                "base_model": base_model,
                "held_out_data": held_out_data,
                "evaluated_at": evaluated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.eval_data import EvalData
        from ..models.leaderboard_entry_metrics import LeaderboardEntryMetrics

        d = dict(src_dict)
        rank = d.pop("rank")

        repo = d.pop("repo")

        checkpoint = d.pop("checkpoint")

        commit = d.pop("commit")

        commit_url = d.pop("commit_url")

        run_id = d.pop("run_id")

        score = d.pop("score")

        metrics = LeaderboardEntryMetrics.from_dict(d.pop("metrics"))

        def _parse_parameter_count(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        parameter_count = _parse_parameter_count(d.pop("parameter_count"))

        size_tier = d.pop("size_tier")

        task = d.pop("task")

        license_ = d.pop("license")

        base_model = cast(list[str], d.pop("base_model"))

        held_out_data = EvalData.from_dict(d.pop("held_out_data"))

        def _parse_evaluated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                evaluated_at_type_0 = datetime.datetime.fromisoformat(data)

                return evaluated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        evaluated_at = _parse_evaluated_at(d.pop("evaluated_at"))

        leaderboard_entry = cls(
            rank=rank,
            repo=repo,
            checkpoint=checkpoint,
            commit=commit,
            commit_url=commit_url,
            run_id=run_id,
            score=score,
            metrics=metrics,
            parameter_count=parameter_count,
            size_tier=size_tier,
            task=task,
            license_=license_,
            base_model=base_model,
            held_out_data=held_out_data,
            evaluated_at=evaluated_at,
        )

        leaderboard_entry.additional_properties = d
        return leaderboard_entry

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
