"""The hub's Redis cache (hub.core.cache): Django's contract for ``incr``,
in one round trip, on the real Redis the tests use as broker."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.conf import settings

from hub.core.cache import RedisCache
from hub.core.ratelimit import counter_incr


@pytest.fixture
def redis_cache():
    # A prefix of its own: nothing of another test or process is touched.
    return RedisCache(
        settings.CELERY_BROKER_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    )


def test_incr_of_a_missing_key_raises_and_creates_nothing(redis_cache):
    with pytest.raises(ValueError, match="not found"):
        redis_cache.incr("counter")
    assert redis_cache.get("counter") is None


def test_incr_adds_to_a_counter_and_keeps_its_expiry(redis_cache):
    assert redis_cache.add("counter", 1, timeout=60)
    assert redis_cache.incr("counter") == 2
    assert redis_cache.incr("counter", 5) == 7
    assert redis_cache.get("counter") == 7
    client = redis_cache._cache.get_client(write=True)
    assert 0 < client.ttl(redis_cache.make_key("counter")) <= 60


def test_concurrent_increments_each_count_once(redis_cache):
    def hit() -> None:
        for _ in range(50):
            counter_incr("window", timeout=60, cache=redis_cache)

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert redis_cache.get("window") == 200
