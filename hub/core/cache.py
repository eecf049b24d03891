"""Django's Redis cache, with the two costs a rate-limited request paid removed.

Every HF request counts against a rate limit (hub.core.ratelimit), so the
cache is on the path of every download (issue 17). Django's client built a
new ``redis.Redis`` per operation (a dict of ~200 response callbacks each
time), and its ``incr`` is two round trips (EXISTS, then INCRBY). Here one
client per connection pool is kept (``redis.Redis`` is thread-safe), and
``incr`` is one atomic script: the same contract (ValueError when the key is
missing, the key's expiry untouched), one round trip.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

_INCR_EXISTING = """
if redis.call('exists', KEYS[1]) == 1 then
    return redis.call('incrby', KEYS[1], ARGV[1])
end
return false
"""


class _Client(RedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, Any] = {}
        self._scripts: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # django-stubs leave the client's private members undeclared.
        django_client: Any = self
        index = django_client._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = django_client._get_connection_pool(write)
            client = self._clients.setdefault(
                index, django_client._client(connection_pool=pool)
            )
        return client

    def incr(self, key: Any, delta: int) -> int:
        client = self.get_client(key, write=True)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts.setdefault(
                id(client), client.register_script(_INCR_EXISTING)
            )
        value = script(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return int(value)


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with ``_Client``."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _Client
