from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_repo_facet_value import ModelRepoFacetValue


T = TypeVar("T", bound="DatasetRepoFacets")


@_attrs_define
class DatasetRepoFacets:
    """Counts over the filtered, visible set; only the facets asked for.

    Attributes:
        task_category (list[ModelRepoFacetValue] | Unset):
        license_ (list[ModelRepoFacetValue] | Unset):
        language (list[ModelRepoFacetValue] | Unset):
        size_category (list[ModelRepoFacetValue] | Unset):
        file_format (list[ModelRepoFacetValue] | Unset):
        tags (list[ModelRepoFacetValue] | Unset): The 30 most frequent.
    """

    task_category: list[ModelRepoFacetValue] | Unset = UNSET
    license_: list[ModelRepoFacetValue] | Unset = UNSET
    language: list[ModelRepoFacetValue] | Unset = UNSET
    size_category: list[ModelRepoFacetValue] | Unset = UNSET
    file_format: list[ModelRepoFacetValue] | Unset = UNSET
    tags: list[ModelRepoFacetValue] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task_category: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.task_category, Unset):
            task_category = []
            for task_category_item_data in self.task_category:
                task_category_item = task_category_item_data.to_dict()
                task_category.append(task_category_item)

        license_: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.license_, Unset):
            license_ = []
            for license_item_data in self.license_:
                license_item = license_item_data.to_dict()
                license_.append(license_item)

        language: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.language, Unset):
            language = []
            for language_item_data in self.language:
                language_item = language_item_data.to_dict()
                language.append(language_item)

        size_category: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.size_category, Unset):
            size_category = []
            for size_category_item_data in self.size_category:
                size_category_item = size_category_item_data.to_dict()
                size_category.append(size_category_item)

        file_format: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.file_format, Unset):
            file_format = []
            for file_format_item_data in self.file_format:
                file_format_item = file_format_item_data.to_dict()
                file_format.append(file_format_item)

        tags: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = []
            for tags_item_data in self.tags:
                tags_item = tags_item_data.to_dict()
                tags.append(tags_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if task_category is not UNSET:
            field_dict["task_category"] = task_category
        if license_ is not UNSET:
            field_dict["license"] = license_
        if language is not UNSET:
            field_dict["language"] = language
        if size_category is not UNSET:
            field_dict["size_category"] = size_category
        if file_format is not UNSET:
            field_dict["file_format"] = file_format
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.model_repo_facet_value import ModelRepoFacetValue

        d = dict(src_dict)
        _task_category = d.pop("task_category", UNSET)
        task_category: list[ModelRepoFacetValue] | Unset = UNSET
        if _task_category is not UNSET:
            task_category = []
            for task_category_item_data in _task_category:
                task_category_item = ModelRepoFacetValue.from_dict(task_category_item_data)

                task_category.append(task_category_item)

        _license_ = d.pop("license", UNSET)
        license_: list[ModelRepoFacetValue] | Unset = UNSET
        if _license_ is not UNSET:
            license_ = []
            for license_item_data in _license_:
                license_item = ModelRepoFacetValue.from_dict(license_item_data)

                license_.append(license_item)

        _language = d.pop("language", UNSET)
        language: list[ModelRepoFacetValue] | Unset = UNSET
        if _language is not UNSET:
            language = []
            for language_item_data in _language:
                language_item = ModelRepoFacetValue.from_dict(language_item_data)

                language.append(language_item)

        _size_category = d.pop("size_category", UNSET)
        size_category: list[ModelRepoFacetValue] | Unset = UNSET
        if _size_category is not UNSET:
            size_category = []
            for size_category_item_data in _size_category:
                size_category_item = ModelRepoFacetValue.from_dict(size_category_item_data)

                size_category.append(size_category_item)

        _file_format = d.pop("file_format", UNSET)
        file_format: list[ModelRepoFacetValue] | Unset = UNSET
        if _file_format is not UNSET:
            file_format = []
            for file_format_item_data in _file_format:
                file_format_item = ModelRepoFacetValue.from_dict(file_format_item_data)

                file_format.append(file_format_item)

        _tags = d.pop("tags", UNSET)
        tags: list[ModelRepoFacetValue] | Unset = UNSET
        if _tags is not UNSET:
            tags = []
            for tags_item_data in _tags:
                tags_item = ModelRepoFacetValue.from_dict(tags_item_data)

                tags.append(tags_item)

        dataset_repo_facets = cls(
            task_category=task_category,
            license_=license_,
            language=language,
            size_category=size_category,
            file_format=file_format,
            tags=tags,
        )

        dataset_repo_facets.additional_properties = d
        return dataset_repo_facets

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
