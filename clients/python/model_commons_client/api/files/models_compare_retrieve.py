from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.compare import Compare
from ...types import UNSET, Response


def _get_kwargs(
    namespace: str,
    name: str,
    *,
    base: str,
    head: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["base"] = base

    params["head"] = head

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/models/{namespace}/{name}/compare".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Compare | None:
    if response.status_code == 200:
        response_200 = Compare.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Compare]:
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
    base: str,
    head: str,
) -> Response[Compare]:
    """Files changed from ``base`` to ``head``, with diffs of small text files.

    Args:
        namespace (str):
        name (str):
        base (str):
        head (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Compare]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        base=base,
        head=head,
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
    base: str,
    head: str,
) -> Compare | None:
    """Files changed from ``base`` to ``head``, with diffs of small text files.

    Args:
        namespace (str):
        name (str):
        base (str):
        head (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Compare
    """

    return sync_detailed(
        namespace=namespace,
        name=name,
        client=client,
        base=base,
        head=head,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    base: str,
    head: str,
) -> Response[Compare]:
    """Files changed from ``base`` to ``head``, with diffs of small text files.

    Args:
        namespace (str):
        name (str):
        base (str):
        head (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Compare]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        base=base,
        head=head,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    base: str,
    head: str,
) -> Compare | None:
    """Files changed from ``base`` to ``head``, with diffs of small text files.

    Args:
        namespace (str):
        name (str):
        base (str):
        head (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Compare
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            name=name,
            client=client,
            base=base,
            head=head,
        )
    ).parsed
