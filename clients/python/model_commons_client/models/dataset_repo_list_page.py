from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.dataset_repo_facets import DatasetRepoFacets
    from ..models.dataset_repo_list_item import DatasetRepoListItem


T = TypeVar("T", bound="DatasetRepoListPage")


@_attrs_define
class DatasetRepoListPage:
    """A page of the dataset catalog: cursor links and the facets asked for.

    Attributes:
        results (list[DatasetRepoListItem]):
        next_ (None | str):
        previous (None | str):
        facets (DatasetRepoFacets): Counts over the filtered, visible set; only the facets asked for.
    """

    results: list[DatasetRepoListItem]
    next_: None | str
    previous: None | str
    facets: DatasetRepoFacets
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        next_: None | str
        next_ = self.next_

        previous: None | str
        previous = self.previous

        facets = self.facets.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
                "next": next_,
                "previous": previous,
                "facets": facets,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.dataset_repo_facets import DatasetRepoFacets
        from ..models.dataset_repo_list_item import DatasetRepoListItem

        d = dict(src_dict)
        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = DatasetRepoListItem.from_dict(results_item_data)

            results.append(results_item)

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

        facets = DatasetRepoFacets.from_dict(d.pop("facets"))

        dataset_repo_list_page = cls(
            results=results,
            next_=next_,
            previous=previous,
            facets=facets,
        )

        dataset_repo_list_page.additional_properties = d
        return dataset_repo_list_page

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
