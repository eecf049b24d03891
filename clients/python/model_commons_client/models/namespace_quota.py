from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.namespace_quota_kind_enum import NamespaceQuotaKindEnum

if TYPE_CHECKING:
    from ..models.quota_file_size import QuotaFileSize
    from ..models.quota_repo_count import QuotaRepoCount
    from ..models.quota_repo_usage import QuotaRepoUsage
    from ..models.quota_storage import QuotaStorage


T = TypeVar("T", bound="NamespaceQuota")


@_attrs_define
class NamespaceQuota:
    """A namespace's limits and what it uses of them.

    Attributes:
        namespace (str):
        kind (NamespaceQuotaKindEnum): * `user` - user
            * `org` - org
        storage (QuotaStorage):
        repos (QuotaRepoCount):
        file_size (QuotaFileSize):
        repositories (list[QuotaRepoUsage]): Each repository's stored bytes, largest first.
    """

    namespace: str
    kind: NamespaceQuotaKindEnum
    storage: QuotaStorage
    repos: QuotaRepoCount
    file_size: QuotaFileSize
    repositories: list[QuotaRepoUsage]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        namespace = self.namespace

        kind = self.kind.value

        storage = self.storage.to_dict()

        repos = self.repos.to_dict()

        file_size = self.file_size.to_dict()

        repositories = []
        for repositories_item_data in self.repositories:
            repositories_item = repositories_item_data.to_dict()
            repositories.append(repositories_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "namespace": namespace,
                "kind": kind,
                "storage": storage,
                "repos": repos,
                "file_size": file_size,
                "repositories": repositories,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.quota_file_size import QuotaFileSize
        from ..models.quota_repo_count import QuotaRepoCount
        from ..models.quota_repo_usage import QuotaRepoUsage
        from ..models.quota_storage import QuotaStorage

        d = dict(src_dict)
        namespace = d.pop("namespace")

        kind = NamespaceQuotaKindEnum(d.pop("kind"))

        storage = QuotaStorage.from_dict(d.pop("storage"))

        repos = QuotaRepoCount.from_dict(d.pop("repos"))

        file_size = QuotaFileSize.from_dict(d.pop("file_size"))

        repositories = []
        _repositories = d.pop("repositories")
        for repositories_item_data in _repositories:
            repositories_item = QuotaRepoUsage.from_dict(repositories_item_data)

            repositories.append(repositories_item)

        namespace_quota = cls(
            namespace=namespace,
            kind=kind,
            storage=storage,
            repos=repos,
            file_size=file_size,
            repositories=repositories,
        )

        namespace_quota.additional_properties = d
        return namespace_quota

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
