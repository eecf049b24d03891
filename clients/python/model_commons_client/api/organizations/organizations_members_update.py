from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.member import Member
from ...models.membership_set_request import MembershipSetRequest
from ...types import Response


def _get_kwargs(
    org: str,
    username: str,
    *,
    body: MembershipSetRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/organizations/{org}/members/{username}".format(
            org=quote(str(org), safe=""),
            username=quote(str(username), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Member | None:
    if response.status_code == 200:
        response_200 = Member.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Member]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    org: str,
    username: str,
    *,
    client: AuthenticatedClient,
    body: MembershipSetRequest,
) -> Response[Member]:
    """Add a user with a role, or change their role (organization admins).

    Args:
        org (str):
        username (str):
        body (MembershipSetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Member]
    """

    kwargs = _get_kwargs(
        org=org,
        username=username,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org: str,
    username: str,
    *,
    client: AuthenticatedClient,
    body: MembershipSetRequest,
) -> Member | None:
    """Add a user with a role, or change their role (organization admins).

    Args:
        org (str):
        username (str):
        body (MembershipSetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Member
    """

    return sync_detailed(
        org=org,
        username=username,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    org: str,
    username: str,
    *,
    client: AuthenticatedClient,
    body: MembershipSetRequest,
) -> Response[Member]:
    """Add a user with a role, or change their role (organization admins).

    Args:
        org (str):
        username (str):
        body (MembershipSetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Member]
    """

    kwargs = _get_kwargs(
        org=org,
        username=username,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org: str,
    username: str,
    *,
    client: AuthenticatedClient,
    body: MembershipSetRequest,
) -> Member | None:
    """Add a user with a role, or change their role (organization admins).

    Args:
        org (str):
        username (str):
        body (MembershipSetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Member
    """

    return (
        await asyncio_detailed(
            org=org,
            username=username,
            client=client,
            body=body,
        )
    ).parsed
