from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.moderation_action import ModerationAction
from ...models.moderation_action_create_request import ModerationActionCreateRequest
from ...types import Response


def _get_kwargs(
    *,
    body: ModerationActionCreateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/moderation/actions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ModerationAction | None:
    if response.status_code == 201:
        response_201 = ModerationAction.from_dict(response.json())

        return response_201

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ModerationAction]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ModerationActionCreateRequest,
) -> Response[ModerationAction]:
    """Hide a review or comment, lock a discussion (staff, or the repo's
    admins); unhide, unlock, disable or re-enable a model, ban or unban
    a user (staff). Answers the audit log entry.

    Args:
        body (ModerationActionCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModerationAction]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ModerationActionCreateRequest,
) -> ModerationAction | None:
    """Hide a review or comment, lock a discussion (staff, or the repo's
    admins); unhide, unlock, disable or re-enable a model, ban or unban
    a user (staff). Answers the audit log entry.

    Args:
        body (ModerationActionCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModerationAction
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ModerationActionCreateRequest,
) -> Response[ModerationAction]:
    """Hide a review or comment, lock a discussion (staff, or the repo's
    admins); unhide, unlock, disable or re-enable a model, ban or unban
    a user (staff). Answers the audit log entry.

    Args:
        body (ModerationActionCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModerationAction]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ModerationActionCreateRequest,
) -> ModerationAction | None:
    """Hide a review or comment, lock a discussion (staff, or the repo's
    admins); unhide, unlock, disable or re-enable a model, ban or unban
    a user (staff). Answers the audit log entry.

    Args:
        body (ModerationActionCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModerationAction
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
