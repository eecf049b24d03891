from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.access_request import AccessRequest


T = TypeVar("T", bound="AccessState")


@_attrs_define
class AccessState:
    """Whether the caller may download the model's files, and why.

    Attributes:
        gated (str): The gate in force (off, auto or manual): the owner's setting, or auto when the license requires
            accepting its terms.
        has_access (bool):
        request (AccessRequest | None):
        license_ (str):
    """

    gated: str
    has_access: bool
    request: AccessRequest | None
    license_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.access_request import AccessRequest

        gated = self.gated

        has_access = self.has_access

        request: dict[str, Any] | None
        if isinstance(self.request, AccessRequest):
            request = self.request.to_dict()
        else:
            request = self.request

        license_ = self.license_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "gated": gated,
                "has_access": has_access,
                "request": request,
                "license": license_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.access_request import AccessRequest

        d = dict(src_dict)
        gated = d.pop("gated")

        has_access = d.pop("has_access")

        def _parse_request(data: object) -> AccessRequest | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                request_type_1 = AccessRequest.from_dict(data)

                return request_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AccessRequest | None, data)

        request = _parse_request(d.pop("request"))

        license_ = d.pop("license")

        access_state = cls(
            gated=gated,
            has_access=has_access,
            request=request,
            license_=license_,
        )

        access_state.additional_properties = d
        return access_state

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
