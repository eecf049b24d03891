from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EvalRequestRequest")


@_attrs_define
class EvalRequestRequest:
    """
    Attributes:
        revision (str | Unset): Branch, tag, refs/pr/N or commit id whose evaluations re-run. Default: 'main'.
        dataset (str | Unset): namespace/name of a dataset repo of this hub whose text split is the held-out data
            (causal LMs); blank: re-run on the shipped data. Default: ''.
        dataset_revision (str | Unset): Branch, tag or commit id of the dataset (pinned to its commit). Default: 'main'.
        config (str | Unset): The dataset config (blank: its default config). Default: ''.
        split (str | Unset):  Default: 'test'.
        column (str | Unset):  Default: 'text'.
    """

    revision: str | Unset = "main"
    dataset: str | Unset = ""
    dataset_revision: str | Unset = "main"
    config: str | Unset = ""
    split: str | Unset = "test"
    column: str | Unset = "text"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        revision = self.revision

        dataset = self.dataset

        dataset_revision = self.dataset_revision

        config = self.config

        split = self.split

        column = self.column

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if revision is not UNSET:
            field_dict["revision"] = revision
        if dataset is not UNSET:
            field_dict["dataset"] = dataset
        if dataset_revision is not UNSET:
            field_dict["dataset_revision"] = dataset_revision
        if config is not UNSET:
            field_dict["config"] = config
        if split is not UNSET:
            field_dict["split"] = split
        if column is not UNSET:
            field_dict["column"] = column

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        revision = d.pop("revision", UNSET)

        dataset = d.pop("dataset", UNSET)

        dataset_revision = d.pop("dataset_revision", UNSET)

        config = d.pop("config", UNSET)

        split = d.pop("split", UNSET)

        column = d.pop("column", UNSET)

        eval_request_request = cls(
            revision=revision,
            dataset=dataset,
            dataset_revision=dataset_revision,
            config=config,
            split=split,
            column=column,
        )

        eval_request_request.additional_properties = d
        return eval_request_request

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
