from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_repo_facet_value import ModelRepoFacetValue


T = TypeVar("T", bound="ModelRepoFacets")


@_attrs_define
class ModelRepoFacets:
    """Counts over the filtered, visible set; only the facets asked for.

    Attributes:
        license_ (list[ModelRepoFacetValue] | Unset):
        task (list[ModelRepoFacetValue] | Unset):
        library (list[ModelRepoFacetValue] | Unset):
        language (list[ModelRepoFacetValue] | Unset):
        tags (list[ModelRepoFacetValue] | Unset): The 30 most frequent.
    """

    license_: list[ModelRepoFacetValue] | Unset = UNSET
    task: list[ModelRepoFacetValue] | Unset = UNSET
    library: list[ModelRepoFacetValue] | Unset = UNSET
    language: list[ModelRepoFacetValue] | Unset = UNSET
    tags: list[ModelRepoFacetValue] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        license_: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.license_, Unset):
            license_ = []
            for license_item_data in self.license_:
                license_item = license_item_data.to_dict()
                license_.append(license_item)

        task: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.task, Unset):
            task = []
            for task_item_data in self.task:
                task_item = task_item_data.to_dict()
                task.append(task_item)

        library: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.library, Unset):
            library = []
            for library_item_data in self.library:
                library_item = library_item_data.to_dict()
                library.append(library_item)

        language: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.language, Unset):
            language = []
            for language_item_data in self.language:
                language_item = language_item_data.to_dict()
                language.append(language_item)

        tags: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = []
            for tags_item_data in self.tags:
                tags_item = tags_item_data.to_dict()
                tags.append(tags_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if license_ is not UNSET:
            field_dict["license"] = license_
        if task is not UNSET:
            field_dict["task"] = task
        if library is not UNSET:
            field_dict["library"] = library
        if language is not UNSET:
            field_dict["language"] = language
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.model_repo_facet_value import ModelRepoFacetValue

        d = dict(src_dict)
        _license_ = d.pop("license", UNSET)
        license_: list[ModelRepoFacetValue] | Unset = UNSET
        if _license_ is not UNSET:
            license_ = []
            for license_item_data in _license_:
                license_item = ModelRepoFacetValue.from_dict(license_item_data)

                license_.append(license_item)

        _task = d.pop("task", UNSET)
        task: list[ModelRepoFacetValue] | Unset = UNSET
        if _task is not UNSET:
            task = []
            for task_item_data in _task:
                task_item = ModelRepoFacetValue.from_dict(task_item_data)

                task.append(task_item)

        _library = d.pop("library", UNSET)
        library: list[ModelRepoFacetValue] | Unset = UNSET
        if _library is not UNSET:
            library = []
            for library_item_data in _library:
                library_item = ModelRepoFacetValue.from_dict(library_item_data)

                library.append(library_item)

        _language = d.pop("language", UNSET)
        language: list[ModelRepoFacetValue] | Unset = UNSET
        if _language is not UNSET:
            language = []
            for language_item_data in _language:
                language_item = ModelRepoFacetValue.from_dict(language_item_data)

                language.append(language_item)

        _tags = d.pop("tags", UNSET)
        tags: list[ModelRepoFacetValue] | Unset = UNSET
        if _tags is not UNSET:
            tags = []
            for tags_item_data in _tags:
                tags_item = ModelRepoFacetValue.from_dict(tags_item_data)

                tags.append(tags_item)

        model_repo_facets = cls(
            license_=license_,
            task=task,
            library=library,
            language=language,
            tags=tags,
        )

        model_repo_facets.additional_properties = d
        return model_repo_facets

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
