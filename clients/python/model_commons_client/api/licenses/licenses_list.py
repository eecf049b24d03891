from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.licenses_list_kind import LicensesListKind
from ...models.paginated_license_list import PaginatedLicenseList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    allows_commercial_use: bool | Unset = UNSET,
    allows_derivatives: bool | Unset = UNSET,
    has_use_restrictions: bool | Unset = UNSET,
    kind: LicensesListKind | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    requires_acceptance: bool | Unset = UNSET,
    requires_attribution: bool | Unset = UNSET,
    requires_share_alike: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["allows_commercial_use"] = allows_commercial_use

    params["allows_derivatives"] = allows_derivatives

    params["has_use_restrictions"] = has_use_restrictions

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    params["limit"] = limit

    params["offset"] = offset

    params["requires_acceptance"] = requires_acceptance

    params["requires_attribution"] = requires_attribution

    params["requires_share_alike"] = requires_share_alike

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/licenses",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PaginatedLicenseList | None:
    if response.status_code == 200:
        response_200 = PaginatedLicenseList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedLicenseList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    allows_commercial_use: bool | Unset = UNSET,
    allows_derivatives: bool | Unset = UNSET,
    has_use_restrictions: bool | Unset = UNSET,
    kind: LicensesListKind | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    requires_acceptance: bool | Unset = UNSET,
    requires_attribution: bool | Unset = UNSET,
    requires_share_alike: bool | Unset = UNSET,
) -> Response[PaginatedLicenseList]:
    """Licenses the hub accepts in model cards, by id (ids may contain dots).

    Args:
        allows_commercial_use (bool | Unset):
        allows_derivatives (bool | Unset):
        has_use_restrictions (bool | Unset):
        kind (LicensesListKind | Unset):
        limit (int | Unset):
        offset (int | Unset):
        requires_acceptance (bool | Unset):
        requires_attribution (bool | Unset):
        requires_share_alike (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedLicenseList]
    """

    kwargs = _get_kwargs(
        allows_commercial_use=allows_commercial_use,
        allows_derivatives=allows_derivatives,
        has_use_restrictions=has_use_restrictions,
        kind=kind,
        limit=limit,
        offset=offset,
        requires_acceptance=requires_acceptance,
        requires_attribution=requires_attribution,
        requires_share_alike=requires_share_alike,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    allows_commercial_use: bool | Unset = UNSET,
    allows_derivatives: bool | Unset = UNSET,
    has_use_restrictions: bool | Unset = UNSET,
    kind: LicensesListKind | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    requires_acceptance: bool | Unset = UNSET,
    requires_attribution: bool | Unset = UNSET,
    requires_share_alike: bool | Unset = UNSET,
) -> PaginatedLicenseList | None:
    """Licenses the hub accepts in model cards, by id (ids may contain dots).

    Args:
        allows_commercial_use (bool | Unset):
        allows_derivatives (bool | Unset):
        has_use_restrictions (bool | Unset):
        kind (LicensesListKind | Unset):
        limit (int | Unset):
        offset (int | Unset):
        requires_acceptance (bool | Unset):
        requires_attribution (bool | Unset):
        requires_share_alike (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedLicenseList
    """

    return sync_detailed(
        client=client,
        allows_commercial_use=allows_commercial_use,
        allows_derivatives=allows_derivatives,
        has_use_restrictions=has_use_restrictions,
        kind=kind,
        limit=limit,
        offset=offset,
        requires_acceptance=requires_acceptance,
        requires_attribution=requires_attribution,
        requires_share_alike=requires_share_alike,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    allows_commercial_use: bool | Unset = UNSET,
    allows_derivatives: bool | Unset = UNSET,
    has_use_restrictions: bool | Unset = UNSET,
    kind: LicensesListKind | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    requires_acceptance: bool | Unset = UNSET,
    requires_attribution: bool | Unset = UNSET,
    requires_share_alike: bool | Unset = UNSET,
) -> Response[PaginatedLicenseList]:
    """Licenses the hub accepts in model cards, by id (ids may contain dots).

    Args:
        allows_commercial_use (bool | Unset):
        allows_derivatives (bool | Unset):
        has_use_restrictions (bool | Unset):
        kind (LicensesListKind | Unset):
        limit (int | Unset):
        offset (int | Unset):
        requires_acceptance (bool | Unset):
        requires_attribution (bool | Unset):
        requires_share_alike (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedLicenseList]
    """

    kwargs = _get_kwargs(
        allows_commercial_use=allows_commercial_use,
        allows_derivatives=allows_derivatives,
        has_use_restrictions=has_use_restrictions,
        kind=kind,
        limit=limit,
        offset=offset,
        requires_acceptance=requires_acceptance,
        requires_attribution=requires_attribution,
        requires_share_alike=requires_share_alike,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    allows_commercial_use: bool | Unset = UNSET,
    allows_derivatives: bool | Unset = UNSET,
    has_use_restrictions: bool | Unset = UNSET,
    kind: LicensesListKind | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    requires_acceptance: bool | Unset = UNSET,
    requires_attribution: bool | Unset = UNSET,
    requires_share_alike: bool | Unset = UNSET,
) -> PaginatedLicenseList | None:
    """Licenses the hub accepts in model cards, by id (ids may contain dots).

    Args:
        allows_commercial_use (bool | Unset):
        allows_derivatives (bool | Unset):
        has_use_restrictions (bool | Unset):
        kind (LicensesListKind | Unset):
        limit (int | Unset):
        offset (int | Unset):
        requires_acceptance (bool | Unset):
        requires_attribution (bool | Unset):
        requires_share_alike (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedLicenseList
    """

    return (
        await asyncio_detailed(
            client=client,
            allows_commercial_use=allows_commercial_use,
            allows_derivatives=allows_derivatives,
            has_use_restrictions=has_use_restrictions,
            kind=kind,
            limit=limit,
            offset=offset,
            requires_acceptance=requires_acceptance,
            requires_attribution=requires_attribution,
            requires_share_alike=requires_share_alike,
        )
    ).parsed
