"""Rate-limit counters against the real Redis cache: exact under concurrency."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.v1.throttling import FixedWindowRateThrottle

REQUEST = Request(APIRequestFactory().get("/api/v1/models"))


class _Throttle(FixedWindowRateThrottle):
    scope = "test"
    rate = "3/minute"

    def __init__(self, cache: RedisCache, now: list[float]) -> None:
        super().__init__()
        self.cache = cache
        self.timer = lambda: now[0]

    def get_cache_key(self, request, view):
        return "throttle_test_caller"


@pytest.fixture
def redis_cache():
    cache = RedisCache(
        settings.CELERY_BROKER_URL, {"KEY_PREFIX": f"throttle-{uuid.uuid4().hex}"}
    )
    yield cache
    cache.clear()


def test_limit_counts_requests_per_window_and_says_when_it_ends(redis_cache):
    now = [600.0 * 1000 + 15]  # 15 s into a minute
    throttle = _Throttle(redis_cache, now)
    assert [throttle.allow_request(REQUEST, None) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert throttle.wait() == pytest.approx(45)
    now[0] += 45  # the next window
    assert throttle.allow_request(REQUEST, None) is True


def test_concurrent_requests_never_exceed_the_limit(redis_cache):
    class Hourly(_Throttle):
        rate = "100/hour"

    now = [3600.0 * 1000 + 1]
    allowed: list[bool] = []
    lock = threading.Lock()

    def caller() -> None:
        throttle = Hourly(redis_cache, now)
        for _ in range(10):
            verdict = throttle.allow_request(REQUEST, None)
            with lock:
                allowed.append(verdict)

    threads = [threading.Thread(target=caller) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 200 requests, 100 allowed: a read-modify-write history would let more
    # through when two requests read the same list.
    assert (len(allowed), allowed.count(True)) == (200, 100)
