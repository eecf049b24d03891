from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.discussion_event import DiscussionEvent
from ...models.review_create_request import ReviewCreateRequest
from ...types import Response


def _get_kwargs(
    namespace: str,
    name: str,
    num: int,
    *,
    body: ReviewCreateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/models/{namespace}/{name}/discussions/{num}/reviews".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
            num=quote(str(num), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DiscussionEvent | None:
    if response.status_code == 201:
        response_201 = DiscussionEvent.from_dict(response.json())

        return response_201

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[DiscussionEvent]:
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
    body: ReviewCreateRequest,
) -> Response[DiscussionEvent]:
    """Review an open pull request (maintainers): approve, request
    changes or comment. The PR's ``review`` field sums the verdicts up.

    Args:
        namespace (str):
        name (str):
        num (int):
        body (ReviewCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DiscussionEvent]
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
    body: ReviewCreateRequest,
) -> DiscussionEvent | None:
    """Review an open pull request (maintainers): approve, request
    changes or comment. The PR's ``review`` field sums the verdicts up.

    Args:
        namespace (str):
        name (str):
        num (int):
        body (ReviewCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DiscussionEvent
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
    body: ReviewCreateRequest,
) -> Response[DiscussionEvent]:
    """Review an open pull request (maintainers): approve, request
    changes or comment. The PR's ``review`` field sums the verdicts up.

    Args:
        namespace (str):
        name (str):
        num (int):
        body (ReviewCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DiscussionEvent]
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
    body: ReviewCreateRequest,
) -> DiscussionEvent | None:
    """Review an open pull request (maintainers): approve, request
    changes or comment. The PR's ``review`` field sums the verdicts up.

    Args:
        namespace (str):
        name (str):
        num (int):
        body (ReviewCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DiscussionEvent
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
