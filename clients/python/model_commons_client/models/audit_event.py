from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.audit_event_action_enum import AuditEventActionEnum

T = TypeVar("T", bound="AuditEvent")


@_attrs_define
class AuditEvent:
    """One event; the same keys as a line of the JSON-lines export.

    Attributes:
        id (int):
        at (datetime.datetime):
        action (AuditEventActionEnum): * `auth.email_verify` - auth.email_verify
            * `auth.password_change` - auth.password_change
            * `auth.password_reset` - auth.password_reset
            * `auth.password_reset_request` - auth.password_reset_request
            * `auth.sign_in` - auth.sign_in
            * `auth.sign_in_failed` - auth.sign_in_failed
            * `auth.sign_out` - auth.sign_out
            * `auth.sign_out_everywhere` - auth.sign_out_everywhere
            * `auth.totp_disable` - auth.totp_disable
            * `auth.totp_enable` - auth.totp_enable
            * `auth.totp_failed` - auth.totp_failed
            * `moderation.act` - moderation.act
            * `org.create` - org.create
            * `org.member_remove` - org.member_remove
            * `org.member_set` - org.member_set
            * `org.quota_set` - org.quota_set
            * `org.update` - org.update
            * `repo.access_decision` - repo.access_decision
            * `repo.create` - repo.create
            * `repo.delete` - repo.delete
            * `repo.gating` - repo.gating
            * `repo.rename` - repo.rename
            * `repo.transfer` - repo.transfer
            * `repo.visibility` - repo.visibility
            * `token.create` - token.create
            * `token.new_address` - token.new_address
            * `token.revoke` - token.revoke
            * `user.create` - user.create
            * `user.email_change` - user.email_change
            * `user.privileges` - user.privileges
            * `user.quota_set` - user.quota_set
        actor (None | str): The acting user's name then (null: nobody signed in).
        actor_id (int | None):
        ip (None | str): The client's address (null outside a request).
        user_agent (str):
        request_id (str):
        organization (str):
        repo (str):
        target (str):
        details (Any):
    """

    id: int
    at: datetime.datetime
    action: AuditEventActionEnum
    actor: None | str
    actor_id: int | None
    ip: None | str
    user_agent: str
    request_id: str
    organization: str
    repo: str
    target: str
    details: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        at = self.at.isoformat()

        action = self.action.value

        actor: None | str
        actor = self.actor

        actor_id: int | None
        actor_id = self.actor_id

        ip: None | str
        ip = self.ip

        user_agent = self.user_agent

        request_id = self.request_id

        organization = self.organization

        repo = self.repo

        target = self.target

        details = self.details

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "at": at,
                "action": action,
                "actor": actor,
                "actor_id": actor_id,
                "ip": ip,
                "user_agent": user_agent,
                "request_id": request_id,
                "organization": organization,
                "repo": repo,
                "target": target,
                "details": details,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        action = AuditEventActionEnum(d.pop("action"))

        def _parse_actor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor = _parse_actor(d.pop("actor"))

        def _parse_actor_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        actor_id = _parse_actor_id(d.pop("actor_id"))

        def _parse_ip(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ip = _parse_ip(d.pop("ip"))

        user_agent = d.pop("user_agent")

        request_id = d.pop("request_id")

        organization = d.pop("organization")

        repo = d.pop("repo")

        target = d.pop("target")

        details = d.pop("details")

        audit_event = cls(
            id=id,
            at=at,
            action=action,
            actor=actor,
            actor_id=actor_id,
            ip=ip,
            user_agent=user_agent,
            request_id=request_id,
            organization=organization,
            repo=repo,
            target=target,
            details=details,
        )

        audit_event.additional_properties = d
        return audit_event

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
