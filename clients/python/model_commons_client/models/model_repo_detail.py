from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.gated_enum import GatedEnum

if TYPE_CHECKING:
    from ..models.checks_summary import ChecksSummary
    from ..models.license_lineage import LicenseLineage
    from ..models.model_dataset_link import ModelDatasetLink
    from ..models.model_repo_detail_card_data import ModelRepoDetailCardData
    from ..models.model_repo_license import ModelRepoLicense
    from ..models.rating_summary import RatingSummary
    from ..models.storage_usage import StorageUsage


T = TypeVar("T", bound="ModelRepoDetail")


@_attrs_define
class ModelRepoDetail:
    """A repo with its license terms, main's head commit, its checks and its
    storage accounting.

    Expects ``license``, ``head`` (Commit or None), ``checks``
    (ChecksSummary or None) and ``storage`` (StorageUsage) in the serializer
    context.

        Attributes:
            id (str): namespace/name
            namespace (str):
            name (str):
            private (bool):
            gated (GatedEnum): * `off` - Not gated
                * `auto` - Automatic approval
                * `manual` - Manual approval
            license_ (ModelRepoLicense | None):
            pipeline_tag (str):
            library_name (str):
            tags (list[str]):
            language (list[str]):
            description (str):
            downloads (int):
            likes (int):
            trending_score (float):
            rating_avg (float):
            rating_count (int):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            last_commit_at (datetime.datetime | None):
            license_name (str):
            base_model (list[str]):
            datasets (list[str]):
            sha (str): Commit id of main's head.
            card_data (ModelRepoDetailCardData): Parsed README.md front matter.
            checks (ChecksSummary | None):
            rating (None | RatingSummary):
            license_lineage (LicenseLineage | None):
            storage (None | StorageUsage):
            dataset_links (list[ModelDatasetLink]):
    """

    id: str
    namespace: str
    name: str
    private: bool
    gated: GatedEnum
    license_: ModelRepoLicense | None
    pipeline_tag: str
    library_name: str
    tags: list[str]
    language: list[str]
    description: str
    downloads: int
    likes: int
    trending_score: float
    rating_avg: float
    rating_count: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    last_commit_at: datetime.datetime | None
    license_name: str
    base_model: list[str]
    datasets: list[str]
    sha: str
    card_data: ModelRepoDetailCardData
    checks: ChecksSummary | None
    rating: None | RatingSummary
    license_lineage: LicenseLineage | None
    storage: None | StorageUsage
    dataset_links: list[ModelDatasetLink]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.checks_summary import ChecksSummary
        from ..models.license_lineage import LicenseLineage
        from ..models.model_repo_license import ModelRepoLicense
        from ..models.rating_summary import RatingSummary
        from ..models.storage_usage import StorageUsage

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

        pipeline_tag = self.pipeline_tag

        library_name = self.library_name

        tags = self.tags

        language = self.language

        description = self.description

        downloads = self.downloads

        likes = self.likes

        trending_score = self.trending_score

        rating_avg = self.rating_avg

        rating_count = self.rating_count

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        last_commit_at: None | str
        if isinstance(self.last_commit_at, datetime.datetime):
            last_commit_at = self.last_commit_at.isoformat()
        else:
            last_commit_at = self.last_commit_at

        license_name = self.license_name

        base_model = self.base_model

        datasets = self.datasets

        sha = self.sha

        card_data = self.card_data.to_dict()

        checks: dict[str, Any] | None
        if isinstance(self.checks, ChecksSummary):
            checks = self.checks.to_dict()
        else:
            checks = self.checks

        rating: dict[str, Any] | None
        if isinstance(self.rating, RatingSummary):
            rating = self.rating.to_dict()
        else:
            rating = self.rating

        license_lineage: dict[str, Any] | None
        if isinstance(self.license_lineage, LicenseLineage):
            license_lineage = self.license_lineage.to_dict()
        else:
            license_lineage = self.license_lineage

        storage: dict[str, Any] | None
        if isinstance(self.storage, StorageUsage):
            storage = self.storage.to_dict()
        else:
            storage = self.storage

        dataset_links = []
        for dataset_links_item_data in self.dataset_links:
            dataset_links_item = dataset_links_item_data.to_dict()
            dataset_links.append(dataset_links_item)

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
                "pipeline_tag": pipeline_tag,
                "library_name": library_name,
                "tags": tags,
                "language": language,
                "description": description,
                "downloads": downloads,
                "likes": likes,
                "trending_score": trending_score,
                "rating_avg": rating_avg,
                "rating_count": rating_count,
                "created_at": created_at,
                "updated_at": updated_at,
                "last_commit_at": last_commit_at,
                "license_name": license_name,
                "base_model": base_model,
                "datasets": datasets,
                "sha": sha,
                "card_data": card_data,
                "checks": checks,
                "rating": rating,
                "license_lineage": license_lineage,
                "storage": storage,
                "dataset_links": dataset_links,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.checks_summary import ChecksSummary
        from ..models.license_lineage import LicenseLineage
        from ..models.model_dataset_link import ModelDatasetLink
        from ..models.model_repo_detail_card_data import ModelRepoDetailCardData
        from ..models.model_repo_license import ModelRepoLicense
        from ..models.rating_summary import RatingSummary
        from ..models.storage_usage import StorageUsage

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

        pipeline_tag = d.pop("pipeline_tag")

        library_name = d.pop("library_name")

        tags = cast(list[str], d.pop("tags"))

        language = cast(list[str], d.pop("language"))

        description = d.pop("description")

        downloads = d.pop("downloads")

        likes = d.pop("likes")

        trending_score = d.pop("trending_score")

        rating_avg = d.pop("rating_avg")

        rating_count = d.pop("rating_count")

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

        base_model = cast(list[str], d.pop("base_model"))

        datasets = cast(list[str], d.pop("datasets"))

        sha = d.pop("sha")

        card_data = ModelRepoDetailCardData.from_dict(d.pop("card_data"))

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

        def _parse_rating(data: object) -> None | RatingSummary:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rating_type_1 = RatingSummary.from_dict(data)

                return rating_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RatingSummary, data)

        rating = _parse_rating(d.pop("rating"))

        def _parse_license_lineage(data: object) -> LicenseLineage | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                license_lineage_type_1 = LicenseLineage.from_dict(data)

                return license_lineage_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LicenseLineage | None, data)

        license_lineage = _parse_license_lineage(d.pop("license_lineage"))

        def _parse_storage(data: object) -> None | StorageUsage:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                storage_type_1 = StorageUsage.from_dict(data)

                return storage_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StorageUsage, data)

        storage = _parse_storage(d.pop("storage"))

        dataset_links = []
        _dataset_links = d.pop("dataset_links")
        for dataset_links_item_data in _dataset_links:
            dataset_links_item = ModelDatasetLink.from_dict(dataset_links_item_data)

            dataset_links.append(dataset_links_item)

        model_repo_detail = cls(
            id=id,
            namespace=namespace,
            name=name,
            private=private,
            gated=gated,
            license_=license_,
            pipeline_tag=pipeline_tag,
            library_name=library_name,
            tags=tags,
            language=language,
            description=description,
            downloads=downloads,
            likes=likes,
            trending_score=trending_score,
            rating_avg=rating_avg,
            rating_count=rating_count,
            created_at=created_at,
            updated_at=updated_at,
            last_commit_at=last_commit_at,
            license_name=license_name,
            base_model=base_model,
            datasets=datasets,
            sha=sha,
            card_data=card_data,
            checks=checks,
            rating=rating,
            license_lineage=license_lineage,
            storage=storage,
            dataset_links=dataset_links,
        )

        model_repo_detail.additional_properties = d
        return model_repo_detail

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
