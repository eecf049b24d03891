from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_tree_item_list import PaginatedTreeItemList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    namespace: str,
    name: str,
    *,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    path: str | Unset = "",
    recursive: bool | Unset = False,
    revision: str | Unset = "main",
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset

    params["path"] = path

    params["recursive"] = recursive

    params["revision"] = revision

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/datasets/{namespace}/{name}/tree".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PaginatedTreeItemList | None:
    if response.status_code == 200:
        response_200 = PaginatedTreeItemList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedTreeItemList]:
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
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    path: str | Unset = "",
    recursive: bool | Unset = False,
    revision: str | Unset = "main",
) -> Response[PaginatedTreeItemList]:
    """Folders first, then files, by path; files carry a download URL.

    Args:
        namespace (str):
        name (str):
        limit (int | Unset):
        offset (int | Unset):
        path (str | Unset):  Default: ''.
        recursive (bool | Unset):  Default: False.
        revision (str | Unset):  Default: 'main'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedTreeItemList]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        limit=limit,
        offset=offset,
        path=path,
        recursive=recursive,
        revision=revision,
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
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    path: str | Unset = "",
    recursive: bool | Unset = False,
    revision: str | Unset = "main",
) -> PaginatedTreeItemList | None:
    """Folders first, then files, by path; files carry a download URL.

    Args:
        namespace (str):
        name (str):
        limit (int | Unset):
        offset (int | Unset):
        path (str | Unset):  Default: ''.
        recursive (bool | Unset):  Default: False.
        revision (str | Unset):  Default: 'main'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedTreeItemList
    """

    return sync_detailed(
        namespace=namespace,
        name=name,
        client=client,
        limit=limit,
        offset=offset,
        path=path,
        recursive=recursive,
        revision=revision,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    path: str | Unset = "",
    recursive: bool | Unset = False,
    revision: str | Unset = "main",
) -> Response[PaginatedTreeItemList]:
    """Folders first, then files, by path; files carry a download URL.

    Args:
        namespace (str):
        name (str):
        limit (int | Unset):
        offset (int | Unset):
        path (str | Unset):  Default: ''.
        recursive (bool | Unset):  Default: False.
        revision (str | Unset):  Default: 'main'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedTreeItemList]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        limit=limit,
        offset=offset,
        path=path,
        recursive=recursive,
        revision=revision,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    path: str | Unset = "",
    recursive: bool | Unset = False,
    revision: str | Unset = "main",
) -> PaginatedTreeItemList | None:
    """Folders first, then files, by path; files carry a download URL.

    Args:
        namespace (str):
        name (str):
        limit (int | Unset):
        offset (int | Unset):
        path (str | Unset):  Default: ''.
        recursive (bool | Unset):  Default: False.
        revision (str | Unset):  Default: 'main'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedTreeItemList
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            name=name,
            client=client,
            limit=limit,
            offset=offset,
            path=path,
            recursive=recursive,
            revision=revision,
        )
    ).parsed
