from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.moderation_action_action_enum import ModerationActionActionEnum

T = TypeVar("T", bound="ModerationAction")


@_attrs_define
class ModerationAction:
    """
    Attributes:
        id (int):
        actor (str):
        action (ModerationActionActionEnum): * `hide_review` - Hid a review
            * `hide_comment` - Hid a comment
            * `lock_discussion` - Locked a discussion
            * `unhide_review` - Showed a review again
            * `unhide_comment` - Showed a comment again
            * `unlock_discussion` - Unlocked a discussion
            * `disable_repo` - Disabled a model
            * `enable_repo` - Re-enabled a model
            * `ban_user` - Banned a user
            * `unban_user` - Lifted a ban
            * `resolve_report` - Resolved a report
            * `dismiss_report` - Dismissed a report
        reason (str):
        target_kind (str):
        target_label (str):
        report (int | None):
        created_at (datetime.datetime):
    """

    id: int
    actor: str
    action: ModerationActionActionEnum
    reason: str
    target_kind: str
    target_label: str
    report: int | None
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        actor = self.actor

        action = self.action.value

        reason = self.reason

        target_kind = self.target_kind

        target_label = self.target_label

        report: int | None
        report = self.report

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "actor": actor,
                "action": action,
                "reason": reason,
                "target_kind": target_kind,
                "target_label": target_label,
                "report": report,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        actor = d.pop("actor")

        action = ModerationActionActionEnum(d.pop("action"))

        reason = d.pop("reason")

        target_kind = d.pop("target_kind")

        target_label = d.pop("target_label")

        def _parse_report(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        report = _parse_report(d.pop("report"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        moderation_action = cls(
            id=id,
            actor=actor,
            action=action,
            reason=reason,
            target_kind=target_kind,
            target_label=target_label,
            report=report,
            created_at=created_at,
        )

        moderation_action.additional_properties = d
        return moderation_action

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
