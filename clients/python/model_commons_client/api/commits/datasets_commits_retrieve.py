from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.commit_detail import CommitDetail
from ...types import Response


def _get_kwargs(
    namespace: str,
    name: str,
    oid: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/datasets/{namespace}/{name}/commits/{oid}".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
            oid=quote(str(oid), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CommitDetail | None:
    if response.status_code == 200:
        response_200 = CommitDetail.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CommitDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    namespace: str,
    name: str,
    oid: str,
    *,
    client: AuthenticatedClient,
) -> Response[CommitDetail]:
    """A commit (by id) with its parents, changed files (with small text
    diffs) and the summary of its checks.

    Args:
        namespace (str):
        name (str):
        oid (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommitDetail]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        oid=oid,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    namespace: str,
    name: str,
    oid: str,
    *,
    client: AuthenticatedClient,
) -> CommitDetail | None:
    """A commit (by id) with its parents, changed files (with small text
    diffs) and the summary of its checks.

    Args:
        namespace (str):
        name (str):
        oid (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommitDetail
    """

    return sync_detailed(
        namespace=namespace,
        name=name,
        oid=oid,
        client=client,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    name: str,
    oid: str,
    *,
    client: AuthenticatedClient,
) -> Response[CommitDetail]:
    """A commit (by id) with its parents, changed files (with small text
    diffs) and the summary of its checks.

    Args:
        namespace (str):
        name (str):
        oid (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommitDetail]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        oid=oid,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    name: str,
    oid: str,
    *,
    client: AuthenticatedClient,
) -> CommitDetail | None:
    """A commit (by id) with its parents, changed files (with small text
    diffs) and the summary of its checks.

    Args:
        namespace (str):
        name (str):
        oid (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommitDetail
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            name=name,
            oid=oid,
            client=client,
        )
    ).parsed
