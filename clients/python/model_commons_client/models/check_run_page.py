from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.check_run import CheckRun
    from ..models.checks_summary import ChecksSummary


T = TypeVar("T", bound="CheckRunPage")


@_attrs_define
class CheckRunPage:
    """A page of a commit's runs (cursor-paginated) with the summary of all.

    Attributes:
        commit (str): The commit id the checks belong to.
        summary (ChecksSummary): CI-style state of a commit's checks (``hub.jobs.selectors.ChecksSummary``).
        next_ (None | str):
        previous (None | str):
        results (list[CheckRun]):
    """

    commit: str
    summary: ChecksSummary
    next_: None | str
    previous: None | str
    results: list[CheckRun]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        commit = self.commit

        summary = self.summary.to_dict()

        next_: None | str
        next_ = self.next_

        previous: None | str
        previous = self.previous

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "commit": commit,
                "summary": summary,
                "next": next_,
                "previous": previous,
                "results": results,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.check_run import CheckRun
        from ..models.checks_summary import ChecksSummary

        d = dict(src_dict)
        commit = d.pop("commit")

        summary = ChecksSummary.from_dict(d.pop("summary"))

        def _parse_next_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_ = _parse_next_(d.pop("next"))

        def _parse_previous(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous = _parse_previous(d.pop("previous"))

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = CheckRun.from_dict(results_item_data)

            results.append(results_item)

        check_run_page = cls(
            commit=commit,
            summary=summary,
            next_=next_,
            previous=previous,
            results=results,
        )

        check_run_page.additional_properties = d
        return check_run_page

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
