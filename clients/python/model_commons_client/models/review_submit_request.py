from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.review_evidence_request import ReviewEvidenceRequest


T = TypeVar("T", bound="ReviewSubmitRequest")


@_attrs_define
class ReviewSubmitRequest:
    """
    Attributes:
        rating (int):
        text (str | Unset):  Default: ''.
        revision (str | Unset): The revision you used (branch, tag or commit id; default main). Stored as its commit id.
            Default: 'main'.
        evidence (ReviewEvidenceRequest | Unset):
    """

    rating: int
    text: str | Unset = ""
    revision: str | Unset = "main"
    evidence: ReviewEvidenceRequest | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rating = self.rating

        text = self.text

        revision = self.revision

        evidence: dict[str, Any] | Unset = UNSET
        if not isinstance(self.evidence, Unset):
            evidence = self.evidence.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rating": rating,
            }
        )
        if text is not UNSET:
            field_dict["text"] = text
        if revision is not UNSET:
            field_dict["revision"] = revision
        if evidence is not UNSET:
            field_dict["evidence"] = evidence

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.review_evidence_request import ReviewEvidenceRequest

        d = dict(src_dict)
        rating = d.pop("rating")

        text = d.pop("text", UNSET)

        revision = d.pop("revision", UNSET)

        _evidence = d.pop("evidence", UNSET)
        evidence: ReviewEvidenceRequest | Unset
        if isinstance(_evidence, Unset):
            evidence = UNSET
        else:
            evidence = ReviewEvidenceRequest.from_dict(_evidence)

        review_submit_request = cls(
            rating=rating,
            text=text,
            revision=revision,
            evidence=evidence,
        )

        review_submit_request.additional_properties = d
        return review_submit_request

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
