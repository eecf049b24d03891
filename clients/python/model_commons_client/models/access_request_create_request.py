from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.access_request_create_request_answers import (
        AccessRequestCreateRequestAnswers,
    )


T = TypeVar("T", bound="AccessRequestCreateRequest")


@_attrs_define
class AccessRequestCreateRequest:
    """
    Attributes:
        accept_license (bool): Must be true: you accept the model's license terms.
        answers (AccessRequestCreateRequestAnswers | Unset): Answers to the maintainers' questions, if any (shown to
            them with the request).
    """

    accept_license: bool
    answers: AccessRequestCreateRequestAnswers | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accept_license = self.accept_license

        answers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.answers, Unset):
            answers = self.answers.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accept_license": accept_license,
            }
        )
        if answers is not UNSET:
            field_dict["answers"] = answers

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.access_request_create_request_answers import (
            AccessRequestCreateRequestAnswers,
        )

        d = dict(src_dict)
        accept_license = d.pop("accept_license")

        _answers = d.pop("answers", UNSET)
        answers: AccessRequestCreateRequestAnswers | Unset
        if isinstance(_answers, Unset):
            answers = UNSET
        else:
            answers = AccessRequestCreateRequestAnswers.from_dict(_answers)

        access_request_create_request = cls(
            accept_license=accept_license,
            answers=answers,
        )

        access_request_create_request.additional_properties = d
        return access_request_create_request

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
