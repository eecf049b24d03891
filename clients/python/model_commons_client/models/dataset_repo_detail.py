from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.gated_enum import GatedEnum

if TYPE_CHECKING:
    from ..models.checks_summary import ChecksSummary
    from ..models.dataset_file import DatasetFile
    from ..models.dataset_model import DatasetModel
    from ..models.dataset_repo_detail_card_data import DatasetRepoDetailCardData
    from ..models.dataset_viewer import DatasetViewer
    from ..models.model_repo_license import ModelRepoLicense


T = TypeVar("T", bound="DatasetRepoDetail")


@_attrs_define
class DatasetRepoDetail:
    """A dataset with its license, card, main's files, its checks, its
    viewer and the models naming it.

    Expects ``license``, ``head`` (Commit or None), ``checks``, ``files``,
    ``viewer`` (a DatasetView or None) and ``models`` in the context.

        Attributes:
            id (str): namespace/name
            namespace (str):
            name (str):
            private (bool):
            gated (GatedEnum): * `off` - Not gated
                * `auto` - Automatic approval
                * `manual` - Manual approval
            license_ (ModelRepoLicense | None):
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
            license_name (str):
            sha (None | str): Commit id of main's head.
            card_data (DatasetRepoDetailCardData): Parsed README.md front matter.
            files (list[DatasetFile]): Files of main's head.
            checks (ChecksSummary | None):
            viewer (DatasetViewer | None):
            models (list[DatasetModel]): Models you may see whose card names this dataset.
    """

    id: str
    namespace: str
    name: str
    private: bool
    gated: GatedEnum
    license_: ModelRepoLicense | None
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
    license_name: str
    sha: None | str
    card_data: DatasetRepoDetailCardData
    files: list[DatasetFile]
    checks: ChecksSummary | None
    viewer: DatasetViewer | None
    models: list[DatasetModel]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.checks_summary import ChecksSummary
        from ..models.dataset_viewer import DatasetViewer
        from ..models.model_repo_license import ModelRepoLicense

        id = self.id

        namespace = self.namespace

        name = self.name

        private = self.private

        gated = self.gated.value

        license_: dict[str, Any] | None
        if isinstance(self.license_, ModelRepoLicense):
            license_ = self.license_.to_dict()
        else:
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

        license_name = self.license_name

        sha: None | str
        sha = self.sha

        card_data = self.card_data.to_dict()

        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)

        checks: dict[str, Any] | None
        if isinstance(self.checks, ChecksSummary):
            checks = self.checks.to_dict()
        else:
            checks = self.checks

        viewer: dict[str, Any] | None
        if isinstance(self.viewer, DatasetViewer):
            viewer = self.viewer.to_dict()
        else:
            viewer = self.viewer

        models = []
        for models_item_data in self.models:
            models_item = models_item_data.to_dict()
            models.append(models_item)

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
                "license_name": license_name,
                "sha": sha,
                "card_data": card_data,
                "files": files,
                "checks": checks,
                "viewer": viewer,
                "models": models,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.checks_summary import ChecksSummary
        from ..models.dataset_file import DatasetFile
        from ..models.dataset_model import DatasetModel
        from ..models.dataset_repo_detail_card_data import DatasetRepoDetailCardData
        from ..models.dataset_viewer import DatasetViewer
        from ..models.model_repo_license import ModelRepoLicense

        d = dict(src_dict)
        id = d.pop("id")

        namespace = d.pop("namespace")

        name = d.pop("name")

        private = d.pop("private")

        gated = GatedEnum(d.pop("gated"))

        def _parse_license_(data: object) -> ModelRepoLicense | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                license_type_1 = ModelRepoLicense.from_dict(data)

                return license_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelRepoLicense | None, data)

        license_ = _parse_license_(d.pop("license"))

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

        license_name = d.pop("license_name")

        def _parse_sha(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sha = _parse_sha(d.pop("sha"))

        card_data = DatasetRepoDetailCardData.from_dict(d.pop("card_data"))

        files = []
        _files = d.pop("files")
        for files_item_data in _files:
            files_item = DatasetFile.from_dict(files_item_data)

            files.append(files_item)

        def _parse_checks(data: object) -> ChecksSummary | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                checks_type_1 = ChecksSummary.from_dict(data)

                return checks_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChecksSummary | None, data)

        checks = _parse_checks(d.pop("checks"))

        def _parse_viewer(data: object) -> DatasetViewer | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                viewer_type_1 = DatasetViewer.from_dict(data)

                return viewer_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DatasetViewer | None, data)

        viewer = _parse_viewer(d.pop("viewer"))

        models = []
        _models = d.pop("models")
        for models_item_data in _models:
            models_item = DatasetModel.from_dict(models_item_data)

            models.append(models_item)

        dataset_repo_detail = cls(
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
            license_name=license_name,
            sha=sha,
            card_data=card_data,
            files=files,
            checks=checks,
            viewer=viewer,
            models=models,
        )

        dataset_repo_detail.additional_properties = d
        return dataset_repo_detail

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
