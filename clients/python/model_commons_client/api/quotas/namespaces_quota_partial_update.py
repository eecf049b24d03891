from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.namespace_quota import NamespaceQuota
from ...models.patched_namespace_quota_set_request import (
    PatchedNamespaceQuotaSetRequest,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    body: PatchedNamespaceQuotaSetRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/namespaces/{name}/quota".format(
            name=quote(str(name), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> NamespaceQuota | None:
    if response.status_code == 200:
        response_200 = NamespaceQuota.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[NamespaceQuota]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: PatchedNamespaceQuotaSetRequest | Unset = UNSET,
) -> Response[NamespaceQuota]:
    """Set limits of a namespace (staff only): each given field takes a
    size or count, 'unlimited', or 'default'. Recorded in the audit log.

    Args:
        name (str):
        body (PatchedNamespaceQuotaSetRequest | Unset): Staff's change: only the limits given
            change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NamespaceQuota]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
    body: PatchedNamespaceQuotaSetRequest | Unset = UNSET,
) -> NamespaceQuota | None:
    """Set limits of a namespace (staff only): each given field takes a
    size or count, 'unlimited', or 'default'. Recorded in the audit log.

    Args:
        name (str):
        body (PatchedNamespaceQuotaSetRequest | Unset): Staff's change: only the limits given
            change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NamespaceQuota
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: PatchedNamespaceQuotaSetRequest | Unset = UNSET,
) -> Response[NamespaceQuota]:
    """Set limits of a namespace (staff only): each given field takes a
    size or count, 'unlimited', or 'default'. Recorded in the audit log.

    Args:
        name (str):
        body (PatchedNamespaceQuotaSetRequest | Unset): Staff's change: only the limits given
            change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NamespaceQuota]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    body: PatchedNamespaceQuotaSetRequest | Unset = UNSET,
) -> NamespaceQuota | None:
    """Set limits of a namespace (staff only): each given field takes a
    size or count, 'unlimited', or 'default'. Recorded in the audit log.

    Args:
        name (str):
        body (PatchedNamespaceQuotaSetRequest | Unset): Staff's change: only the limits given
            change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NamespaceQuota
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
        )
    ).parsed
