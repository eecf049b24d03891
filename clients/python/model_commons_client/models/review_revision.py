from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReviewRevision")


@_attrs_define
class ReviewRevision:
    """
    Attributes:
        revision (str):
        rating (int):
        written_at (datetime.datetime):
        text (str | Unset):
        evidence (Any | Unset):
    """

    revision: str
    rating: int
    written_at: datetime.datetime
    text: str | Unset = UNSET
    evidence: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        revision = self.revision

        rating = self.rating

        written_at = self.written_at.isoformat()

        text = self.text

        evidence = self.evidence

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "revision": revision,
                "rating": rating,
                "written_at": written_at,
            }
        )
        if text is not UNSET:
            field_dict["text"] = text
        if evidence is not UNSET:
            field_dict["evidence"] = evidence

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        revision = d.pop("revision")

        rating = d.pop("rating")

        written_at = datetime.datetime.fromisoformat(d.pop("written_at"))

        text = d.pop("text", UNSET)

        evidence = d.pop("evidence", UNSET)

        review_revision = cls(
            revision=revision,
            rating=rating,
            written_at=written_at,
            text=text,
            evidence=evidence,
        )

        review_revision.additional_properties = d
        return review_revision

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
