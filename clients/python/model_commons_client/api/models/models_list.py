from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.model_repo_list_page import ModelRepoListPage
from ...models.models_list_gated import ModelsListGated
from ...models.models_list_has_eval_results import ModelsListHasEvalResults
from ...models.models_list_license_term_item import ModelsListLicenseTermItem
from ...models.models_list_sort import ModelsListSort
from ...models.models_list_task import ModelsListTask
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    author: str | Unset = UNSET,
    base_model: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    facets: str | Unset = UNSET,
    gated: ModelsListGated | Unset = UNSET,
    has_eval_results: ModelsListHasEvalResults | Unset = UNSET,
    language: list[str] | Unset = UNSET,
    library: str | Unset = UNSET,
    license_: list[str] | Unset = UNSET,
    license_term: list[ModelsListLicenseTermItem] | Unset = UNSET,
    limit: int | Unset = UNSET,
    min_rating: Any | Unset = UNSET,
    search: str | Unset = UNSET,
    sort: ModelsListSort | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    task: ModelsListTask | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["author"] = author

    params["base_model"] = base_model

    params["cursor"] = cursor

    params["facets"] = facets

    json_gated: str | Unset = UNSET
    if not isinstance(gated, Unset):
        json_gated = gated.value

    params["gated"] = json_gated

    json_has_eval_results: str | Unset = UNSET
    if not isinstance(has_eval_results, Unset):
        json_has_eval_results = has_eval_results.value

    params["has_eval_results"] = json_has_eval_results

    json_language: list[str] | Unset = UNSET
    if not isinstance(language, Unset):
        json_language = language

    params["language"] = json_language

    params["library"] = library

    json_license_: list[str] | Unset = UNSET
    if not isinstance(license_, Unset):
        json_license_ = license_

    params["license"] = json_license_

    json_license_term: list[str] | Unset = UNSET
    if not isinstance(license_term, Unset):
        json_license_term = []
        for license_term_item_data in license_term:
            license_term_item = license_term_item_data.value
            json_license_term.append(license_term_item)

    params["license_term"] = json_license_term

    params["limit"] = limit

    params["min_rating"] = min_rating

    params["search"] = search

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_tag: list[str] | Unset = UNSET
    if not isinstance(tag, Unset):
        json_tag = tag

    params["tag"] = json_tag

    json_task: str | Unset = UNSET
    if not isinstance(task, Unset):
        json_task = task.value

    params["task"] = json_task

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/models",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ModelRepoListPage | None:
    if response.status_code == 200:
        response_200 = ModelRepoListPage.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ModelRepoListPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    author: str | Unset = UNSET,
    base_model: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    facets: str | Unset = UNSET,
    gated: ModelsListGated | Unset = UNSET,
    has_eval_results: ModelsListHasEvalResults | Unset = UNSET,
    language: list[str] | Unset = UNSET,
    library: str | Unset = UNSET,
    license_: list[str] | Unset = UNSET,
    license_term: list[ModelsListLicenseTermItem] | Unset = UNSET,
    limit: int | Unset = UNSET,
    min_rating: Any | Unset = UNSET,
    search: str | Unset = UNSET,
    sort: ModelsListSort | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    task: ModelsListTask | Unset = UNSET,
) -> Response[ModelRepoListPage]:
    """Search, filter and sort the models you may see, with facet counts.

    Args:
        author (str | Unset):
        base_model (str | Unset):
        cursor (str | Unset):
        facets (str | Unset):
        gated (ModelsListGated | Unset):
        has_eval_results (ModelsListHasEvalResults | Unset):
        language (list[str] | Unset):
        library (str | Unset):
        license_ (list[str] | Unset):
        license_term (list[ModelsListLicenseTermItem] | Unset):
        limit (int | Unset):
        min_rating (Any | Unset):
        search (str | Unset):
        sort (ModelsListSort | Unset):
        tag (list[str] | Unset):
        task (ModelsListTask | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelRepoListPage]
    """

    kwargs = _get_kwargs(
        author=author,
        base_model=base_model,
        cursor=cursor,
        facets=facets,
        gated=gated,
        has_eval_results=has_eval_results,
        language=language,
        library=library,
        license_=license_,
        license_term=license_term,
        limit=limit,
        min_rating=min_rating,
        search=search,
        sort=sort,
        tag=tag,
        task=task,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    author: str | Unset = UNSET,
    base_model: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    facets: str | Unset = UNSET,
    gated: ModelsListGated | Unset = UNSET,
    has_eval_results: ModelsListHasEvalResults | Unset = UNSET,
    language: list[str] | Unset = UNSET,
    library: str | Unset = UNSET,
    license_: list[str] | Unset = UNSET,
    license_term: list[ModelsListLicenseTermItem] | Unset = UNSET,
    limit: int | Unset = UNSET,
    min_rating: Any | Unset = UNSET,
    search: str | Unset = UNSET,
    sort: ModelsListSort | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    task: ModelsListTask | Unset = UNSET,
) -> ModelRepoListPage | None:
    """Search, filter and sort the models you may see, with facet counts.

    Args:
        author (str | Unset):
        base_model (str | Unset):
        cursor (str | Unset):
        facets (str | Unset):
        gated (ModelsListGated | Unset):
        has_eval_results (ModelsListHasEvalResults | Unset):
        language (list[str] | Unset):
        library (str | Unset):
        license_ (list[str] | Unset):
        license_term (list[ModelsListLicenseTermItem] | Unset):
        limit (int | Unset):
        min_rating (Any | Unset):
        search (str | Unset):
        sort (ModelsListSort | Unset):
        tag (list[str] | Unset):
        task (ModelsListTask | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelRepoListPage
    """

    return sync_detailed(
        client=client,
        author=author,
        base_model=base_model,
        cursor=cursor,
        facets=facets,
        gated=gated,
        has_eval_results=has_eval_results,
        language=language,
        library=library,
        license_=license_,
        license_term=license_term,
        limit=limit,
        min_rating=min_rating,
        search=search,
        sort=sort,
        tag=tag,
        task=task,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    author: str | Unset = UNSET,
    base_model: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    facets: str | Unset = UNSET,
    gated: ModelsListGated | Unset = UNSET,
    has_eval_results: ModelsListHasEvalResults | Unset = UNSET,
    language: list[str] | Unset = UNSET,
    library: str | Unset = UNSET,
    license_: list[str] | Unset = UNSET,
    license_term: list[ModelsListLicenseTermItem] | Unset = UNSET,
    limit: int | Unset = UNSET,
    min_rating: Any | Unset = UNSET,
    search: str | Unset = UNSET,
    sort: ModelsListSort | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    task: ModelsListTask | Unset = UNSET,
) -> Response[ModelRepoListPage]:
    """Search, filter and sort the models you may see, with facet counts.

    Args:
        author (str | Unset):
        base_model (str | Unset):
        cursor (str | Unset):
        facets (str | Unset):
        gated (ModelsListGated | Unset):
        has_eval_results (ModelsListHasEvalResults | Unset):
        language (list[str] | Unset):
        library (str | Unset):
        license_ (list[str] | Unset):
        license_term (list[ModelsListLicenseTermItem] | Unset):
        limit (int | Unset):
        min_rating (Any | Unset):
        search (str | Unset):
        sort (ModelsListSort | Unset):
        tag (list[str] | Unset):
        task (ModelsListTask | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelRepoListPage]
    """

    kwargs = _get_kwargs(
        author=author,
        base_model=base_model,
        cursor=cursor,
        facets=facets,
        gated=gated,
        has_eval_results=has_eval_results,
        language=language,
        library=library,
        license_=license_,
        license_term=license_term,
        limit=limit,
        min_rating=min_rating,
        search=search,
        sort=sort,
        tag=tag,
        task=task,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    author: str | Unset = UNSET,
    base_model: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    facets: str | Unset = UNSET,
    gated: ModelsListGated | Unset = UNSET,
    has_eval_results: ModelsListHasEvalResults | Unset = UNSET,
    language: list[str] | Unset = UNSET,
    library: str | Unset = UNSET,
    license_: list[str] | Unset = UNSET,
    license_term: list[ModelsListLicenseTermItem] | Unset = UNSET,
    limit: int | Unset = UNSET,
    min_rating: Any | Unset = UNSET,
    search: str | Unset = UNSET,
    sort: ModelsListSort | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    task: ModelsListTask | Unset = UNSET,
) -> ModelRepoListPage | None:
    """Search, filter and sort the models you may see, with facet counts.

    Args:
        author (str | Unset):
        base_model (str | Unset):
        cursor (str | Unset):
        facets (str | Unset):
        gated (ModelsListGated | Unset):
        has_eval_results (ModelsListHasEvalResults | Unset):
        language (list[str] | Unset):
        library (str | Unset):
        license_ (list[str] | Unset):
        license_term (list[ModelsListLicenseTermItem] | Unset):
        limit (int | Unset):
        min_rating (Any | Unset):
        search (str | Unset):
        sort (ModelsListSort | Unset):
        tag (list[str] | Unset):
        task (ModelsListTask | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelRepoListPage
    """

    return (
        await asyncio_detailed(
            client=client,
            author=author,
            base_model=base_model,
            cursor=cursor,
            facets=facets,
            gated=gated,
            has_eval_results=has_eval_results,
            language=language,
            library=library,
            license_=license_,
            license_term=license_term,
            limit=limit,
            min_rating=min_rating,
            search=search,
            sort=sort,
            tag=tag,
            task=task,
        )
    ).parsed
