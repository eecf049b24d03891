from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.eval_request_request import EvalRequestRequest
from ...models.eval_run import EvalRun
from ...types import UNSET, Response, Unset


def _get_kwargs(
    namespace: str,
    name: str,
    *,
    body: EvalRequestRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/models/{namespace}/{name}/evals".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> list[EvalRun] | None:
    if response.status_code == 202:
        response_202 = []
        _response_202 = response.json()
        for response_202_item_data in _response_202:
            response_202_item = EvalRun.from_dict(response_202_item_data)

            response_202.append(response_202_item)

        return response_202

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[list[EvalRun]]:
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
    body: EvalRequestRequest | Unset = UNSET,
) -> Response[list[EvalRun]]:
    """Re-run a commit's evaluations, or (``dataset``) evaluate its causal
    LMs on a text split of a dataset repo the caller can read
    (maintainers; 429 past the per-user limit of waiting requests).
    Answers the runs; poll ``/api/v1/evals/runs/{id}``.

    Args:
        namespace (str):
        name (str):
        body (EvalRequestRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[EvalRun]]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        body=body,
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
    body: EvalRequestRequest | Unset = UNSET,
) -> list[EvalRun] | None:
    """Re-run a commit's evaluations, or (``dataset``) evaluate its causal
    LMs on a text split of a dataset repo the caller can read
    (maintainers; 429 past the per-user limit of waiting requests).
    Answers the runs; poll ``/api/v1/evals/runs/{id}``.

    Args:
        namespace (str):
        name (str):
        body (EvalRequestRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[EvalRun]
    """

    return sync_detailed(
        namespace=namespace,
        name=name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    body: EvalRequestRequest | Unset = UNSET,
) -> Response[list[EvalRun]]:
    """Re-run a commit's evaluations, or (``dataset``) evaluate its causal
    LMs on a text split of a dataset repo the caller can read
    (maintainers; 429 past the per-user limit of waiting requests).
    Answers the runs; poll ``/api/v1/evals/runs/{id}``.

    Args:
        namespace (str):
        name (str):
        body (EvalRequestRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[EvalRun]]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    body: EvalRequestRequest | Unset = UNSET,
) -> list[EvalRun] | None:
    """Re-run a commit's evaluations, or (``dataset``) evaluate its causal
    LMs on a text split of a dataset repo the caller can read
    (maintainers; 429 past the per-user limit of waiting requests).
    Answers the runs; poll ``/api/v1/evals/runs/{id}``.

    Args:
        namespace (str):
        name (str):
        body (EvalRequestRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[EvalRun]
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            name=name,
            client=client,
            body=body,
        )
    ).parsed
