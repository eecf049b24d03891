"""Transient S3 failures as the store's own error, whatever the call.

An S3 server that answers 5xx or throttles, or does not answer in time,
after botocore's own retries, is a :class:`StoreUnavailableError` (503
with ``Retry-After`` on every face) instead of an unhandled botocore
exception (a 500 that tells the user nothing). Other client errors (a
missing key, a refused part list) pass through for the store to judge.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from hub.storage.store import StoreUnavailableError

_TRANSIENT_CODES = {
    "InternalError",
    "ServiceUnavailable",
    "SlowDown",
    "RequestTimeout",
    "Throttling",
    "ThrottlingException",
}
MESSAGE = "The object store is unavailable ({}): nothing was changed, try again."


def is_transient(exc: BaseException) -> bool:
    # botocore is loaded with the first S3 client, not with this module.
    from botocore.exceptions import (
        ClientError,
        ConnectionClosedError,
        ConnectionError,
        ConnectTimeoutError,
        ReadTimeoutError,
        ResponseStreamingError,
    )

    unreachable = (
        ConnectionError,
        ConnectionClosedError,
        ConnectTimeoutError,
        ReadTimeoutError,
        ResponseStreamingError,
    )
    if isinstance(exc, unreachable):
        return True
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
        return status >= 500 or str(error.get("Code", "")) in _TRANSIENT_CODES
    return False


def unavailable(exc: BaseException) -> StoreUnavailableError:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error", {})
        what = f"{error.get('Code')}: {error.get('Message')}"
    else:
        what = type(exc).__name__
    return StoreUnavailableError(MESSAGE.format(what))


def _guarded(call: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(call)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return call(*args, **kwargs)
        except Exception as exc:
            if is_transient(exc):
                raise unavailable(exc) from exc
            raise

    return guarded


def guarded_iter(items: Iterator[Any]) -> Iterator[Any]:
    """Iterate, turning transient failures midway into StoreUnavailableError."""
    try:
        yield from items
    except Exception as exc:
        if is_transient(exc):
            raise unavailable(exc) from exc
        raise


class _GuardedPaginator:
    def __init__(self, paginator: Any) -> None:
        self._paginator = paginator

    def paginate(self, **kwargs: Any) -> Iterator[Any]:
        return guarded_iter(iter(self._paginator.paginate(**kwargs)))


class GuardedClient:
    """A boto3 S3 client whose calls raise StoreUnavailableError when the
    server fails or does not answer (after botocore's retries)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    @property
    def raw(self) -> Any:
        return self._client

    def get_paginator(self, name: str) -> _GuardedPaginator:
        return _GuardedPaginator(self._client.get_paginator(name))

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._client, name)
        return _guarded(value) if callable(value) else value
