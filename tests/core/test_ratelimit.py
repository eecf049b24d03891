"""The rate-limit building blocks every limit of the hub shares (issue 13,
hole 12): rates, fixed windows, and whose address a request counts as."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from hub.core.ratelimit import Rate, client_ip, rate_parse, window_hit


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("5000/hour", Rate(5000, 3600)),
        ("1000/5m", Rate(1000, 300)),
        ("10/second", Rate(10, 1)),
        ("3/2s", Rate(3, 2)),
        ("100/day", Rate(100, 86400)),
    ],
)
def test_rates_read_drf_strings_and_multiples(text, rate):
    assert rate_parse(text) == rate


@pytest.mark.parametrize("text", ["", "many/hour", "10/0m", "10/fortnight", "-1/h"])
def test_bad_rates_are_refused(text):
    with pytest.raises(ValueError, match="is not a rate"):
        rate_parse(text)


def test_rate_says_its_period_in_words():
    assert Rate(1, 300).period_text == "5 minutes"
    assert Rate(1, 3600).period_text == "hour"
    assert Rate(1, 2).period_text == "2 seconds"


def test_window_counts_then_refuses_and_says_when_it_ends():
    rate = Rate(2, 60)
    start = 6000.0 + 15  # 15 s into a minute
    hits = [window_hit("caller", rate, now=start + i) for i in range(3)]

    assert [hit.allowed for hit in hits] == [True, True, False]
    assert hits[2].retry_after == 43
    assert window_hit("caller", rate, now=start + 45).allowed  # the next window
    assert window_hit("someone-else", rate, now=start).allowed


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_forwarded_header_is_ignored(settings):
    settings.HUB_PROXY_COUNT = 0
    request = _request(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert client_ip(request) == "203.0.113.9"


def test_behind_proxies_the_client_is_counted_from_the_end(settings):
    # The client forged "1.2.3.4"; the ingress appended the real client, and
    # nginx appended the ingress.
    request = _request(
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20, 10.0.0.5",
    )

    settings.HUB_PROXY_COUNT = 2
    assert client_ip(request) == "198.51.100.20"
    settings.HUB_PROXY_COUNT = 1
    assert client_ip(request) == "10.0.0.5"
    assert client_ip(_request(REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


def test_counters_fail_open_while_the_cache_is_down():
    """Redis down must not take uploads, downloads and commits with it."""
    from django.core.cache.backends.redis import RedisCache

    from hub.core.ratelimit import counter_decr, counter_incr

    unreachable = RedisCache("redis://127.0.0.1:1/0", {})
    assert counter_incr("k", timeout=10, cache=unreachable) == 0
    counter_decr("k", cache=unreachable)  # no error either
