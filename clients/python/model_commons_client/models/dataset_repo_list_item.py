from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.gated_enum import GatedEnum

T = TypeVar("T", bound="DatasetRepoListItem")


@_attrs_define
class DatasetRepoListItem:
    """A dataset in a catalog list (card metadata of main's head).

    Attributes:
        id (str): namespace/name
        namespace (str):
        name (str):
        private (bool):
        gated (GatedEnum): * `off` - Not gated
            * `auto` - Automatic approval
            * `manual` - Manual approval
        license_ (str):
        task_categories (list[str]):
        size_categories (list[str]):
        language (list[str]):
        tags (list[str]):
        description (str):
        downloads (int):
        likes (int):
        trending_score (float):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        last_commit_at (datetime.datetime | None):
    """

    id: str
    namespace: str
    name: str
    private: bool
    gated: GatedEnum
    license_: str
    task_categories: list[str]
    size_categories: list[str]
    language: list[str]
    tags: list[str]
    description: str
    downloads: int
    likes: int
    trending_score: float
    created_at: datetime.datetime
    updated_at: datetime.datetime
    last_commit_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        namespace = self.namespace

        name = self.name

        private = self.private

        gated = self.gated.value

        license_ = self.license_

        task_categories = self.task_categories

        size_categories = self.size_categories

        language = self.language

        tags = self.tags

        description = self.description

        downloads = self.downloads

        likes = self.likes

        trending_score = self.trending_score

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        last_commit_at: None | str
        if isinstance(self.last_commit_at, datetime.datetime):
            last_commit_at = self.last_commit_at.isoformat()
        else:
            last_commit_at = self.last_commit_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "namespace": namespace,
                "name": name,
                "private": private,
                "gated": gated,
                "license": license_,
                "task_categories": task_categories,
                "size_categories": size_categories,
                "language": language,
                "tags": tags,
                "description": description,
                "downloads": downloads,
                "likes": likes,
                "trending_score": trending_score,
                "created_at": created_at,
                "updated_at": updated_at,
                "last_commit_at": last_commit_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        namespace = d.pop("namespace")

        name = d.pop("name")

        private = d.pop("private")

        gated = GatedEnum(d.pop("gated"))

        license_ = d.pop("license")

        task_categories = cast(list[str], d.pop("task_categories"))

        size_categories = cast(list[str], d.pop("size_categories"))

        language = cast(list[str], d.pop("language"))

        tags = cast(list[str], d.pop("tags"))

        description = d.pop("description")

        downloads = d.pop("downloads")

        likes = d.pop("likes")

        trending_score = d.pop("trending_score")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_last_commit_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_commit_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_commit_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_commit_at = _parse_last_commit_at(d.pop("last_commit_at"))

        dataset_repo_list_item = cls(
            id=id,
            namespace=namespace,
            name=name,
            private=private,
            gated=gated,
            license_=license_,
            task_categories=task_categories,
            size_categories=size_categories,
            language=language,
            tags=tags,
            description=description,
            downloads=downloads,
            likes=likes,
            trending_score=trending_score,
            created_at=created_at,
            updated_at=updated_at,
            last_commit_at=last_commit_at,
        )

        dataset_repo_list_item.additional_properties = d
        return dataset_repo_list_item

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
