from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.models_discussions_list_status import ModelsDiscussionsListStatus
from ...models.models_discussions_list_type import ModelsDiscussionsListType
from ...models.paginated_discussion_list_item_list import (
    PaginatedDiscussionListItemList,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    namespace: str,
    name: str,
    *,
    author: str | Unset = "",
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    status: ModelsDiscussionsListStatus | Unset = ModelsDiscussionsListStatus.ALL,
    type_: ModelsDiscussionsListType | Unset = ModelsDiscussionsListType.ALL,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["author"] = author

    params["cursor"] = cursor

    params["limit"] = limit

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_type_: str | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = type_.value

    params["type"] = json_type_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/models/{namespace}/{name}/discussions".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedDiscussionListItemList | None:
    if response.status_code == 200:
        response_200 = PaginatedDiscussionListItemList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedDiscussionListItemList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    author: str | Unset = "",
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    status: ModelsDiscussionsListStatus | Unset = ModelsDiscussionsListStatus.ALL,
    type_: ModelsDiscussionsListType | Unset = ModelsDiscussionsListType.ALL,
) -> Response[PaginatedDiscussionListItemList]:
    """Newest first (by number), cursor-paginated; filter by type and status.

    Args:
        namespace (str):
        name (str):
        author (str | Unset):  Default: ''.
        cursor (str | Unset):
        limit (int | Unset):
        status (ModelsDiscussionsListStatus | Unset):  Default: ModelsDiscussionsListStatus.ALL.
        type_ (ModelsDiscussionsListType | Unset):  Default: ModelsDiscussionsListType.ALL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedDiscussionListItemList]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        author=author,
        cursor=cursor,
        limit=limit,
        status=status,
        type_=type_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    author: str | Unset = "",
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    status: ModelsDiscussionsListStatus | Unset = ModelsDiscussionsListStatus.ALL,
    type_: ModelsDiscussionsListType | Unset = ModelsDiscussionsListType.ALL,
) -> PaginatedDiscussionListItemList | None:
    """Newest first (by number), cursor-paginated; filter by type and status.

    Args:
        namespace (str):
        name (str):
        author (str | Unset):  Default: ''.
        cursor (str | Unset):
        limit (int | Unset):
        status (ModelsDiscussionsListStatus | Unset):  Default: ModelsDiscussionsListStatus.ALL.
        type_ (ModelsDiscussionsListType | Unset):  Default: ModelsDiscussionsListType.ALL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedDiscussionListItemList
    """

    return sync_detailed(
        namespace=namespace,
        name=name,
        client=client,
        author=author,
        cursor=cursor,
        limit=limit,
        status=status,
        type_=type_,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    author: str | Unset = "",
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    status: ModelsDiscussionsListStatus | Unset = ModelsDiscussionsListStatus.ALL,
    type_: ModelsDiscussionsListType | Unset = ModelsDiscussionsListType.ALL,
) -> Response[PaginatedDiscussionListItemList]:
    """Newest first (by number), cursor-paginated; filter by type and status.

    Args:
        namespace (str):
        name (str):
        author (str | Unset):  Default: ''.
        cursor (str | Unset):
        limit (int | Unset):
        status (ModelsDiscussionsListStatus | Unset):  Default: ModelsDiscussionsListStatus.ALL.
        type_ (ModelsDiscussionsListType | Unset):  Default: ModelsDiscussionsListType.ALL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedDiscussionListItemList]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        author=author,
        cursor=cursor,
        limit=limit,
        status=status,
        type_=type_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    author: str | Unset = "",
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    status: ModelsDiscussionsListStatus | Unset = ModelsDiscussionsListStatus.ALL,
    type_: ModelsDiscussionsListType | Unset = ModelsDiscussionsListType.ALL,
) -> PaginatedDiscussionListItemList | None:
    """Newest first (by number), cursor-paginated; filter by type and status.

    Args:
        namespace (str):
        name (str):
        author (str | Unset):  Default: ''.
        cursor (str | Unset):
        limit (int | Unset):
        status (ModelsDiscussionsListStatus | Unset):  Default: ModelsDiscussionsListStatus.ALL.
        type_ (ModelsDiscussionsListType | Unset):  Default: ModelsDiscussionsListType.ALL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedDiscussionListItemList
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            name=name,
            client=client,
            author=author,
            cursor=cursor,
            limit=limit,
            status=status,
            type_=type_,
        )
    ).parsed
