from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.review_helpful import ReviewHelpful
from ...types import Response


def _get_kwargs(
    namespace: str,
    name: str,
    review_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/models/{namespace}/{name}/reviews/{review_id}/helpful".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
            review_id=quote(str(review_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ReviewHelpful | None:
    if response.status_code == 200:
        response_200 = ReviewHelpful.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ReviewHelpful]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    namespace: str,
    name: str,
    review_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[ReviewHelpful]:
    """Mark a review helpful (not your own; voting twice changes nothing).

    Args:
        namespace (str):
        name (str):
        review_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ReviewHelpful]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        review_id=review_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    namespace: str,
    name: str,
    review_id: int,
    *,
    client: AuthenticatedClient,
) -> ReviewHelpful | None:
    """Mark a review helpful (not your own; voting twice changes nothing).

    Args:
        namespace (str):
        name (str):
        review_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ReviewHelpful
    """

    return sync_detailed(
        namespace=namespace,
        name=name,
        review_id=review_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    name: str,
    review_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[ReviewHelpful]:
    """Mark a review helpful (not your own; voting twice changes nothing).

    Args:
        namespace (str):
        name (str):
        review_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ReviewHelpful]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        review_id=review_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    name: str,
    review_id: int,
    *,
    client: AuthenticatedClient,
) -> ReviewHelpful | None:
    """Mark a review helpful (not your own; voting twice changes nothing).

    Args:
        namespace (str):
        name (str):
        review_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ReviewHelpful
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            name=name,
            review_id=review_id,
            client=client,
        )
    ).parsed
