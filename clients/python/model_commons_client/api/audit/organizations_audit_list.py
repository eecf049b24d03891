from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_audit_event_list import PaginatedAuditEventList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org: str,
    *,
    action: str | Unset = UNSET,
    actor: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    organization: str | Unset = UNSET,
    q: str | Unset = UNSET,
    repo: str | Unset = UNSET,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["action"] = action

    params["actor"] = actor

    params["cursor"] = cursor

    params["limit"] = limit

    params["organization"] = organization

    params["q"] = q

    params["repo"] = repo

    params["since"] = since

    params["until"] = until

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/organizations/{org}/audit".format(
            org=quote(str(org), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedAuditEventList | None:
    if response.status_code == 200:
        response_200 = PaginatedAuditEventList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedAuditEventList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    org: str,
    *,
    client: AuthenticatedClient,
    action: str | Unset = UNSET,
    actor: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    organization: str | Unset = UNSET,
    q: str | Unset = UNSET,
    repo: str | Unset = UNSET,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,
) -> Response[PaginatedAuditEventList]:
    """Events you may read (staff: all; organisation admins: their
    organisations'), newest first.

    Args:
        org (str):
        action (str | Unset):
        actor (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):
        organization (str | Unset):
        q (str | Unset):
        repo (str | Unset):
        since (str | Unset):
        until (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedAuditEventList]
    """

    kwargs = _get_kwargs(
        org=org,
        action=action,
        actor=actor,
        cursor=cursor,
        limit=limit,
        organization=organization,
        q=q,
        repo=repo,
        since=since,
        until=until,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org: str,
    *,
    client: AuthenticatedClient,
    action: str | Unset = UNSET,
    actor: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    organization: str | Unset = UNSET,
    q: str | Unset = UNSET,
    repo: str | Unset = UNSET,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,
) -> PaginatedAuditEventList | None:
    """Events you may read (staff: all; organisation admins: their
    organisations'), newest first.

    Args:
        org (str):
        action (str | Unset):
        actor (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):
        organization (str | Unset):
        q (str | Unset):
        repo (str | Unset):
        since (str | Unset):
        until (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedAuditEventList
    """

    return sync_detailed(
        org=org,
        client=client,
        action=action,
        actor=actor,
        cursor=cursor,
        limit=limit,
        organization=organization,
        q=q,
        repo=repo,
        since=since,
        until=until,
    ).parsed


async def asyncio_detailed(
    org: str,
    *,
    client: AuthenticatedClient,
    action: str | Unset = UNSET,
    actor: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    organization: str | Unset = UNSET,
    q: str | Unset = UNSET,
    repo: str | Unset = UNSET,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,
) -> Response[PaginatedAuditEventList]:
    """Events you may read (staff: all; organisation admins: their
    organisations'), newest first.

    Args:
        org (str):
        action (str | Unset):
        actor (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):
        organization (str | Unset):
        q (str | Unset):
        repo (str | Unset):
        since (str | Unset):
        until (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedAuditEventList]
    """

    kwargs = _get_kwargs(
        org=org,
        action=action,
        actor=actor,
        cursor=cursor,
        limit=limit,
        organization=organization,
        q=q,
        repo=repo,
        since=since,
        until=until,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org: str,
    *,
    client: AuthenticatedClient,
    action: str | Unset = UNSET,
    actor: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    organization: str | Unset = UNSET,
    q: str | Unset = UNSET,
    repo: str | Unset = UNSET,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,
) -> PaginatedAuditEventList | None:
    """Events you may read (staff: all; organisation admins: their
    organisations'), newest first.

    Args:
        org (str):
        action (str | Unset):
        actor (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):
        organization (str | Unset):
        q (str | Unset):
        repo (str | Unset):
        since (str | Unset):
        until (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedAuditEventList
    """

    return (
        await asyncio_detailed(
            org=org,
            client=client,
            action=action,
            actor=actor,
            cursor=cursor,
            limit=limit,
            organization=organization,
            q=q,
            repo=repo,
            since=since,
            until=until,
        )
    ).parsed
