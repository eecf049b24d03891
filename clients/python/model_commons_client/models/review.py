from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.review_evidence import ReviewEvidence
    from ..models.review_reply import ReviewReply


T = TypeVar("T", bound="Review")


@_attrs_define
class Review:
    """A review. Hidden reviews are shown to their author only, with the reason.

    Attributes:
        id (int):
        author (str):
        revision (str): Commit id.
        rating (int):
        evidence (ReviewEvidence):
        is_verified_download (bool): The author downloaded this revision from the hub.
        reply (None | ReviewReply):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        text (str | Unset):
        helpful_count (int | Unset):
        is_hidden (bool | Unset):
        hidden_reason (str | Unset):
    """

    id: int
    author: str
    revision: str
    rating: int
    evidence: ReviewEvidence
    is_verified_download: bool
    reply: None | ReviewReply
    created_at: datetime.datetime
    updated_at: datetime.datetime
    text: str | Unset = UNSET
    helpful_count: int | Unset = UNSET
    is_hidden: bool | Unset = UNSET
    hidden_reason: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.review_reply import ReviewReply

        id = self.id

        author = self.author

        revision = self.revision

        rating = self.rating

        evidence = self.evidence.to_dict()

        is_verified_download = self.is_verified_download

        reply: dict[str, Any] | None
        if isinstance(self.reply, ReviewReply):
            reply = self.reply.to_dict()
        else:
            reply = self.reply

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        text = self.text

        helpful_count = self.helpful_count

        is_hidden = self.is_hidden

        hidden_reason = self.hidden_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "author": author,
                "revision": revision,
                "rating": rating,
                "evidence": evidence,
                "is_verified_download": is_verified_download,
                "reply": reply,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if text is not UNSET:
            field_dict["text"] = text
        if helpful_count is not UNSET:
            field_dict["helpful_count"] = helpful_count
        if is_hidden is not UNSET:
            field_dict["is_hidden"] = is_hidden
        if hidden_reason is not UNSET:
            field_dict["hidden_reason"] = hidden_reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.review_evidence import ReviewEvidence
        from ..models.review_reply import ReviewReply

        d = dict(src_dict)
        id = d.pop("id")

        author = d.pop("author")

        revision = d.pop("revision")

        rating = d.pop("rating")

        evidence = ReviewEvidence.from_dict(d.pop("evidence"))

        is_verified_download = d.pop("is_verified_download")

        def _parse_reply(data: object) -> None | ReviewReply:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reply_type_1 = ReviewReply.from_dict(data)

                return reply_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReviewReply, data)

        reply = _parse_reply(d.pop("reply"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        text = d.pop("text", UNSET)

        helpful_count = d.pop("helpful_count", UNSET)

        is_hidden = d.pop("is_hidden", UNSET)

        hidden_reason = d.pop("hidden_reason", UNSET)

        review = cls(
            id=id,
            author=author,
            revision=revision,
            rating=rating,
            evidence=evidence,
            is_verified_download=is_verified_download,
            reply=reply,
            created_at=created_at,
            updated_at=updated_at,
            text=text,
            helpful_count=helpful_count,
            is_hidden=is_hidden,
            hidden_reason=hidden_reason,
        )

        review.additional_properties = d
        return review

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
