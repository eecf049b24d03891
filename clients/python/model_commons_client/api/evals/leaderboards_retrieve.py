from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.leaderboard import Leaderboard
from ...models.leaderboards_retrieve_evaluator import LeaderboardsRetrieveEvaluator
from ...models.leaderboards_retrieve_size_tier import LeaderboardsRetrieveSizeTier
from ...models.leaderboards_retrieve_sort import LeaderboardsRetrieveSort
from ...types import UNSET, Response, Unset


def _get_kwargs(
    evaluator: LeaderboardsRetrieveEvaluator,
    *,
    base_model: str | Unset = "",
    dataset: str | Unset = "",
    license_: str | Unset = "",
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    size_tier: LeaderboardsRetrieveSizeTier | Unset = LeaderboardsRetrieveSizeTier.VALUE_5,
    sort: LeaderboardsRetrieveSort | Unset = LeaderboardsRetrieveSort.SCORE,
    split: str | Unset = "",
    task: str | Unset = "",
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["base_model"] = base_model

    params["dataset"] = dataset

    params["license"] = license_

    params["limit"] = limit

    params["offset"] = offset

    json_size_tier: str | Unset = UNSET
    if not isinstance(size_tier, Unset):
        json_size_tier = size_tier.value

    params["size_tier"] = json_size_tier

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params["split"] = split

    params["task"] = task

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/leaderboards/{evaluator}".format(
            evaluator=quote(str(evaluator), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Leaderboard | None:
    if response.status_code == 200:
        response_200 = Leaderboard.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Leaderboard]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    evaluator: LeaderboardsRetrieveEvaluator,
    *,
    client: AuthenticatedClient,
    base_model: str | Unset = "",
    dataset: str | Unset = "",
    license_: str | Unset = "",
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    size_tier: LeaderboardsRetrieveSizeTier | Unset = LeaderboardsRetrieveSizeTier.VALUE_5,
    sort: LeaderboardsRetrieveSort | Unset = LeaderboardsRetrieveSort.SCORE,
    split: str | Unset = "",
    task: str | Unset = "",
) -> Response[Leaderboard]:
    """One leaderboard: sortable (score, parameters, name, evaluated),
    filterable by task, license, size tier and base model; every entry
    names the exact commit evaluated.

    Args:
        evaluator (LeaderboardsRetrieveEvaluator):
        base_model (str | Unset):  Default: ''.
        dataset (str | Unset):  Default: ''.
        license_ (str | Unset):  Default: ''.
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.
        size_tier (LeaderboardsRetrieveSizeTier | Unset):  Default:
            LeaderboardsRetrieveSizeTier.VALUE_5.
        sort (LeaderboardsRetrieveSort | Unset):  Default: LeaderboardsRetrieveSort.SCORE.
        split (str | Unset):  Default: ''.
        task (str | Unset):  Default: ''.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Leaderboard]
    """

    kwargs = _get_kwargs(
        evaluator=evaluator,
        base_model=base_model,
        dataset=dataset,
        license_=license_,
        limit=limit,
        offset=offset,
        size_tier=size_tier,
        sort=sort,
        split=split,
        task=task,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    evaluator: LeaderboardsRetrieveEvaluator,
    *,
    client: AuthenticatedClient,
    base_model: str | Unset = "",
    dataset: str | Unset = "",
    license_: str | Unset = "",
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    size_tier: LeaderboardsRetrieveSizeTier | Unset = LeaderboardsRetrieveSizeTier.VALUE_5,
    sort: LeaderboardsRetrieveSort | Unset = LeaderboardsRetrieveSort.SCORE,
    split: str | Unset = "",
    task: str | Unset = "",
) -> Leaderboard | None:
    """One leaderboard: sortable (score, parameters, name, evaluated),
    filterable by task, license, size tier and base model; every entry
    names the exact commit evaluated.

    Args:
        evaluator (LeaderboardsRetrieveEvaluator):
        base_model (str | Unset):  Default: ''.
        dataset (str | Unset):  Default: ''.
        license_ (str | Unset):  Default: ''.
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.
        size_tier (LeaderboardsRetrieveSizeTier | Unset):  Default:
            LeaderboardsRetrieveSizeTier.VALUE_5.
        sort (LeaderboardsRetrieveSort | Unset):  Default: LeaderboardsRetrieveSort.SCORE.
        split (str | Unset):  Default: ''.
        task (str | Unset):  Default: ''.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Leaderboard
    """

    return sync_detailed(
        evaluator=evaluator,
        client=client,
        base_model=base_model,
        dataset=dataset,
        license_=license_,
        limit=limit,
        offset=offset,
        size_tier=size_tier,
        sort=sort,
        split=split,
        task=task,
    ).parsed


async def asyncio_detailed(
    evaluator: LeaderboardsRetrieveEvaluator,
    *,
    client: AuthenticatedClient,
    base_model: str | Unset = "",
    dataset: str | Unset = "",
    license_: str | Unset = "",
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    size_tier: LeaderboardsRetrieveSizeTier | Unset = LeaderboardsRetrieveSizeTier.VALUE_5,
    sort: LeaderboardsRetrieveSort | Unset = LeaderboardsRetrieveSort.SCORE,
    split: str | Unset = "",
    task: str | Unset = "",
) -> Response[Leaderboard]:
    """One leaderboard: sortable (score, parameters, name, evaluated),
    filterable by task, license, size tier and base model; every entry
    names the exact commit evaluated.

    Args:
        evaluator (LeaderboardsRetrieveEvaluator):
        base_model (str | Unset):  Default: ''.
        dataset (str | Unset):  Default: ''.
        license_ (str | Unset):  Default: ''.
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.
        size_tier (LeaderboardsRetrieveSizeTier | Unset):  Default:
            LeaderboardsRetrieveSizeTier.VALUE_5.
        sort (LeaderboardsRetrieveSort | Unset):  Default: LeaderboardsRetrieveSort.SCORE.
        split (str | Unset):  Default: ''.
        task (str | Unset):  Default: ''.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Leaderboard]
    """

    kwargs = _get_kwargs(
        evaluator=evaluator,
        base_model=base_model,
        dataset=dataset,
        license_=license_,
        limit=limit,
        offset=offset,
        size_tier=size_tier,
        sort=sort,
        split=split,
        task=task,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    evaluator: LeaderboardsRetrieveEvaluator,
    *,
    client: AuthenticatedClient,
    base_model: str | Unset = "",
    dataset: str | Unset = "",
    license_: str | Unset = "",
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    size_tier: LeaderboardsRetrieveSizeTier | Unset = LeaderboardsRetrieveSizeTier.VALUE_5,
    sort: LeaderboardsRetrieveSort | Unset = LeaderboardsRetrieveSort.SCORE,
    split: str | Unset = "",
    task: str | Unset = "",
) -> Leaderboard | None:
    """One leaderboard: sortable (score, parameters, name, evaluated),
    filterable by task, license, size tier and base model; every entry
    names the exact commit evaluated.

    Args:
        evaluator (LeaderboardsRetrieveEvaluator):
        base_model (str | Unset):  Default: ''.
        dataset (str | Unset):  Default: ''.
        license_ (str | Unset):  Default: ''.
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.
        size_tier (LeaderboardsRetrieveSizeTier | Unset):  Default:
            LeaderboardsRetrieveSizeTier.VALUE_5.
        sort (LeaderboardsRetrieveSort | Unset):  Default: LeaderboardsRetrieveSort.SCORE.
        split (str | Unset):  Default: ''.
        task (str | Unset):  Default: ''.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Leaderboard
    """

    return (
        await asyncio_detailed(
            evaluator=evaluator,
            client=client,
            base_model=base_model,
            dataset=dataset,
            license_=license_,
            limit=limit,
            offset=offset,
            size_tier=size_tier,
            sort=sort,
            split=split,
            task=task,
        )
    ).parsed
