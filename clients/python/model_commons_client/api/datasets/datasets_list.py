from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dataset_repo_list_page import DatasetRepoListPage
from ...models.datasets_list_gated import DatasetsListGated
from ...models.datasets_list_license_term_item import DatasetsListLicenseTermItem
from ...models.datasets_list_sort import DatasetsListSort
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    author: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    facets: str | Unset = UNSET,
    file_format: list[str] | Unset = UNSET,
    gated: DatasetsListGated | Unset = UNSET,
    language: list[str] | Unset = UNSET,
    license_: list[str] | Unset = UNSET,
    license_term: list[DatasetsListLicenseTermItem] | Unset = UNSET,
    limit: int | Unset = UNSET,
    min_rating: Any | Unset = UNSET,
    search: str | Unset = UNSET,
    size_category: list[str] | Unset = UNSET,
    sort: DatasetsListSort | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    task_category: list[str] | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["author"] = author

    params["cursor"] = cursor

    params["facets"] = facets

    json_file_format: list[str] | Unset = UNSET
    if not isinstance(file_format, Unset):
        json_file_format = file_format

    params["file_format"] = json_file_format

    json_gated: str | Unset = UNSET
    if not isinstance(gated, Unset):
        json_gated = gated.value

    params["gated"] = json_gated

    json_language: list[str] | Unset = UNSET
    if not isinstance(language, Unset):
        json_language = language

    params["language"] = json_language

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

    json_size_category: list[str] | Unset = UNSET
    if not isinstance(size_category, Unset):
        json_size_category = size_category

    params["size_category"] = json_size_category

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_tag: list[str] | Unset = UNSET
    if not isinstance(tag, Unset):
        json_tag = tag

    params["tag"] = json_tag

    json_task_category: list[str] | Unset = UNSET
    if not isinstance(task_category, Unset):
        json_task_category = task_category

    params["task_category"] = json_task_category

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/datasets",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DatasetRepoListPage | None:
    if response.status_code == 200:
        response_200 = DatasetRepoListPage.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[DatasetRepoListPage]:
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
    cursor: str | Unset = UNSET,
    facets: str | Unset = UNSET,
    file_format: list[str] | Unset = UNSET,
    gated: DatasetsListGated | Unset = UNSET,
    language: list[str] | Unset = UNSET,
    license_: list[str] | Unset = UNSET,
    license_term: list[DatasetsListLicenseTermItem] | Unset = UNSET,
    limit: int | Unset = UNSET,
    min_rating: Any | Unset = UNSET,
    search: str | Unset = UNSET,
    size_category: list[str] | Unset = UNSET,
    sort: DatasetsListSort | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    task_category: list[str] | Unset = UNSET,
) -> Response[DatasetRepoListPage]:
    """Search, filter and sort the datasets you may see, with facet counts.

    Args:
        author (str | Unset):
        cursor (str | Unset):
        facets (str | Unset):
        file_format (list[str] | Unset):
        gated (DatasetsListGated | Unset):
        language (list[str] | Unset):
        license_ (list[str] | Unset):
        license_term (list[DatasetsListLicenseTermItem] | Unset):
        limit (int | Unset):
        min_rating (Any | Unset):
        search (str | Unset):
        size_category (list[str] | Unset):
        sort (DatasetsListSort | Unset):
        tag (list[str] | Unset):
        task_category (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DatasetRepoListPage]
    """

    kwargs = _get_kwargs(
        author=author,
        cursor=cursor,
        facets=facets,
        file_format=file_format,
        gated=gated,
        language=language,
        license_=license_,
        license_term=license_term,
        limit=limit,
        min_rating=min_rating,
        search=search,
        size_category=size_category,
        sort=sort,
        tag=tag,
        task_category=task_category,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    author: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    facets: str | Unset = UNSET,
    file_format: list[str] | Unset = UNSET,
    gated: DatasetsListGated | Unset = UNSET,
    language: list[str] | Unset = UNSET,
    license_: list[str] | Unset = UNSET,
    license_term: list[DatasetsListLicenseTermItem] | Unset = UNSET,
    limit: int | Unset = UNSET,
    min_rating: Any | Unset = UNSET,
    search: str | Unset = UNSET,
    size_category: list[str] | Unset = UNSET,
    sort: DatasetsListSort | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    task_category: list[str] | Unset = UNSET,
) -> DatasetRepoListPage | None:
    """Search, filter and sort the datasets you may see, with facet counts.

    Args:
        author (str | Unset):
        cursor (str | Unset):
        facets (str | Unset):
        file_format (list[str] | Unset):
        gated (DatasetsListGated | Unset):
        language (list[str] | Unset):
        license_ (list[str] | Unset):
        license_term (list[DatasetsListLicenseTermItem] | Unset):
        limit (int | Unset):
        min_rating (Any | Unset):
        search (str | Unset):
        size_category (list[str] | Unset):
        sort (DatasetsListSort | Unset):
        tag (list[str] | Unset):
        task_category (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DatasetRepoListPage
    """

    return sync_detailed(
        client=client,
        author=author,
        cursor=cursor,
        facets=facets,
        file_format=file_format,
        gated=gated,
        language=language,
        license_=license_,
        license_term=license_term,
        limit=limit,
        min_rating=min_rating,
        search=search,
        size_category=size_category,
        sort=sort,
        tag=tag,
        task_category=task_category,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    author: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    facets: str | Unset = UNSET,
    file_format: list[str] | Unset = UNSET,
    gated: DatasetsListGated | Unset = UNSET,
    language: list[str] | Unset = UNSET,
    license_: list[str] | Unset = UNSET,
    license_term: list[DatasetsListLicenseTermItem] | Unset = UNSET,
    limit: int | Unset = UNSET,
    min_rating: Any | Unset = UNSET,
    search: str | Unset = UNSET,
    size_category: list[str] | Unset = UNSET,
    sort: DatasetsListSort | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    task_category: list[str] | Unset = UNSET,
) -> Response[DatasetRepoListPage]:
    """Search, filter and sort the datasets you may see, with facet counts.

    Args:
        author (str | Unset):
        cursor (str | Unset):
        facets (str | Unset):
        file_format (list[str] | Unset):
        gated (DatasetsListGated | Unset):
        language (list[str] | Unset):
        license_ (list[str] | Unset):
        license_term (list[DatasetsListLicenseTermItem] | Unset):
        limit (int | Unset):
        min_rating (Any | Unset):
        search (str | Unset):
        size_category (list[str] | Unset):
        sort (DatasetsListSort | Unset):
        tag (list[str] | Unset):
        task_category (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DatasetRepoListPage]
    """

    kwargs = _get_kwargs(
        author=author,
        cursor=cursor,
        facets=facets,
        file_format=file_format,
        gated=gated,
        language=language,
        license_=license_,
        license_term=license_term,
        limit=limit,
        min_rating=min_rating,
        search=search,
        size_category=size_category,
        sort=sort,
        tag=tag,
        task_category=task_category,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    author: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    facets: str | Unset = UNSET,
    file_format: list[str] | Unset = UNSET,
    gated: DatasetsListGated | Unset = UNSET,
    language: list[str] | Unset = UNSET,
    license_: list[str] | Unset = UNSET,
    license_term: list[DatasetsListLicenseTermItem] | Unset = UNSET,
    limit: int | Unset = UNSET,
    min_rating: Any | Unset = UNSET,
    search: str | Unset = UNSET,
    size_category: list[str] | Unset = UNSET,
    sort: DatasetsListSort | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    task_category: list[str] | Unset = UNSET,
) -> DatasetRepoListPage | None:
    """Search, filter and sort the datasets you may see, with facet counts.

    Args:
        author (str | Unset):
        cursor (str | Unset):
        facets (str | Unset):
        file_format (list[str] | Unset):
        gated (DatasetsListGated | Unset):
        language (list[str] | Unset):
        license_ (list[str] | Unset):
        license_term (list[DatasetsListLicenseTermItem] | Unset):
        limit (int | Unset):
        min_rating (Any | Unset):
        search (str | Unset):
        size_category (list[str] | Unset):
        sort (DatasetsListSort | Unset):
        tag (list[str] | Unset):
        task_category (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DatasetRepoListPage
    """

    return (
        await asyncio_detailed(
            client=client,
            author=author,
            cursor=cursor,
            facets=facets,
            file_format=file_format,
            gated=gated,
            language=language,
            license_=license_,
            license_term=license_term,
            limit=limit,
            min_rating=min_rating,
            search=search,
            size_category=size_category,
            sort=sort,
            tag=tag,
            task_category=task_category,
        )
    ).parsed
