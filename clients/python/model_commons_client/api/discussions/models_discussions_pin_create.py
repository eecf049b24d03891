from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.discussion_detail import DiscussionDetail
from ...models.discussion_flag_request import DiscussionFlagRequest
from ...types import Response


def _get_kwargs(
    namespace: str,
    name: str,
    num: int,
    *,
    body: DiscussionFlagRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/models/{namespace}/{name}/discussions/{num}/pin".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
            num=quote(str(num), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DiscussionDetail | None:
    if response.status_code == 200:
        response_200 = DiscussionDetail.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[DiscussionDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    namespace: str,
    name: str,
    num: int,
    *,
    client: AuthenticatedClient,
    body: DiscussionFlagRequest,
) -> Response[DiscussionDetail]:
    """Pin (``{"value": true}``) or unpin; maintainers.

    Args:
        namespace (str):
        name (str):
        num (int):
        body (DiscussionFlagRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DiscussionDetail]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        num=num,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    namespace: str,
    name: str,
    num: int,
    *,
    client: AuthenticatedClient,
    body: DiscussionFlagRequest,
) -> DiscussionDetail | None:
    """Pin (``{"value": true}``) or unpin; maintainers.

    Args:
        namespace (str):
        name (str):
        num (int):
        body (DiscussionFlagRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DiscussionDetail
    """

    return sync_detailed(
        namespace=namespace,
        name=name,
        num=num,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    name: str,
    num: int,
    *,
    client: AuthenticatedClient,
    body: DiscussionFlagRequest,
) -> Response[DiscussionDetail]:
    """Pin (``{"value": true}``) or unpin; maintainers.

    Args:
        namespace (str):
        name (str):
        num (int):
        body (DiscussionFlagRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DiscussionDetail]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        num=num,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    name: str,
    num: int,
    *,
    client: AuthenticatedClient,
    body: DiscussionFlagRequest,
) -> DiscussionDetail | None:
    """Pin (``{"value": true}``) or unpin; maintainers.

    Args:
        namespace (str):
        name (str):
        num (int):
        body (DiscussionFlagRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DiscussionDetail
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            name=name,
            num=num,
            client=client,
            body=body,
        )
    ).parsed
