from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.moderation_action_create_action_enum import (
    ModerationActionCreateActionEnum,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ModerationActionCreateRequest")


@_attrs_define
class ModerationActionCreateRequest:
    """
    Attributes:
        action (ModerationActionCreateActionEnum): * `hide_review` - hide_review
            * `hide_comment` - hide_comment
            * `lock_discussion` - lock_discussion
            * `unhide_review` - unhide_review
            * `unhide_comment` - unhide_comment
            * `unlock_discussion` - unlock_discussion
            * `disable_repo` - disable_repo
            * `enable_repo` - enable_repo
            * `ban_user` - ban_user
            * `unban_user` - unban_user
        target (str): hide_review/unhide_review: review id; hide_comment/unhide_comment: comment id;
            lock_discussion/unlock_discussion: 'namespace/name#num'; disable_repo/enable_repo: 'namespace/name';
            ban_user/unban_user: username.
        reason (str):
        report (int | Unset): The report this action answers (resolved by it; staff only).
    """

    action: ModerationActionCreateActionEnum
    target: str
    reason: str
    report: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        target = self.target

        reason = self.reason

        report = self.report

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "target": target,
                "reason": reason,
            }
        )
        if report is not UNSET:
            field_dict["report"] = report

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        action = ModerationActionCreateActionEnum(d.pop("action"))

        target = d.pop("target")

        reason = d.pop("reason")

        report = d.pop("report", UNSET)

        moderation_action_create_request = cls(
            action=action,
            target=target,
            reason=reason,
            report=report,
        )

        moderation_action_create_request.additional_properties = d
        return moderation_action_create_request

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
