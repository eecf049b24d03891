from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.file_detail import FileDetail
from ...types import UNSET, Response, Unset


def _get_kwargs(
    namespace: str,
    name: str,
    path: str,
    *,
    revision: str | Unset = "main",
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["revision"] = revision

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/datasets/{namespace}/{name}/files/{path}".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
            path=quote(str(path), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> FileDetail | None:
    if response.status_code == 200:
        response_200 = FileDetail.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[FileDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    namespace: str,
    name: str,
    path: str,
    *,
    client: AuthenticatedClient,
    revision: str | Unset = "main",
) -> Response[FileDetail]:
    """Size, hashes, storage, quarantine and the file's validation check.

    Args:
        namespace (str):
        name (str):
        path (str):
        revision (str | Unset):  Default: 'main'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FileDetail]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        path=path,
        revision=revision,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    namespace: str,
    name: str,
    path: str,
    *,
    client: AuthenticatedClient,
    revision: str | Unset = "main",
) -> FileDetail | None:
    """Size, hashes, storage, quarantine and the file's validation check.

    Args:
        namespace (str):
        name (str):
        path (str):
        revision (str | Unset):  Default: 'main'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FileDetail
    """

    return sync_detailed(
        namespace=namespace,
        name=name,
        path=path,
        client=client,
        revision=revision,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    name: str,
    path: str,
    *,
    client: AuthenticatedClient,
    revision: str | Unset = "main",
) -> Response[FileDetail]:
    """Size, hashes, storage, quarantine and the file's validation check.

    Args:
        namespace (str):
        name (str):
        path (str):
        revision (str | Unset):  Default: 'main'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FileDetail]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        path=path,
        revision=revision,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    name: str,
    path: str,
    *,
    client: AuthenticatedClient,
    revision: str | Unset = "main",
) -> FileDetail | None:
    """Size, hashes, storage, quarantine and the file's validation check.

    Args:
        namespace (str):
        name (str):
        path (str):
        revision (str | Unset):  Default: 'main'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FileDetail
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            name=name,
            path=path,
            client=client,
            revision=revision,
        )
    ).parsed
