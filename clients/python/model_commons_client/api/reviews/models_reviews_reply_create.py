from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.review_reply import ReviewReply
from ...models.review_reply_create_request import ReviewReplyCreateRequest
from ...types import Response


def _get_kwargs(
    namespace: str,
    name: str,
    review_id: int,
    *,
    body: ReviewReplyCreateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/models/{namespace}/{name}/reviews/{review_id}/reply".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
            review_id=quote(str(review_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ReviewReply | None:
    if response.status_code == 201:
        response_201 = ReviewReply.from_dict(response.json())

        return response_201

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ReviewReply]:
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
    body: ReviewReplyCreateRequest,
) -> Response[ReviewReply]:
    """The maintainers' reply (once per review; 409 for a second one).

    Args:
        namespace (str):
        name (str):
        review_id (int):
        body (ReviewReplyCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ReviewReply]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        review_id=review_id,
        body=body,
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
    body: ReviewReplyCreateRequest,
) -> ReviewReply | None:
    """The maintainers' reply (once per review; 409 for a second one).

    Args:
        namespace (str):
        name (str):
        review_id (int):
        body (ReviewReplyCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ReviewReply
    """

    return sync_detailed(
        namespace=namespace,
        name=name,
        review_id=review_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    name: str,
    review_id: int,
    *,
    client: AuthenticatedClient,
    body: ReviewReplyCreateRequest,
) -> Response[ReviewReply]:
    """The maintainers' reply (once per review; 409 for a second one).

    Args:
        namespace (str):
        name (str):
        review_id (int):
        body (ReviewReplyCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ReviewReply]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        review_id=review_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    name: str,
    review_id: int,
    *,
    client: AuthenticatedClient,
    body: ReviewReplyCreateRequest,
) -> ReviewReply | None:
    """The maintainers' reply (once per review; 409 for a second one).

    Args:
        namespace (str):
        name (str):
        review_id (int):
        body (ReviewReplyCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ReviewReply
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            name=name,
            review_id=review_id,
            client=client,
            body=body,
        )
    ).parsed
