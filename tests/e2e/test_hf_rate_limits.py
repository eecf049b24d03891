"""The HF protocol is rate limited per token and per client address (issue 13,
hole 12), and the real huggingface_hub client copes with it.

Over the limit the hub answers 429 with Retry-After, X-Error-Message and the
IETF draft RateLimit headers. What the client (huggingface_hub 2.x,
utils/_http.py) does with that:

* calls made through ``http_backoff`` (the file metadata and download of
  ``hf_hub_download`` and ``snapshot_download``, preupload, LFS batch)
  sleep Retry-After + 1 s and try again, up to 5 times;
* the others (``model_info``, ``list_models``, ...) raise HfHubHTTPError
  whose message names the limit, the window and when to retry, followed by
  the hub's own message.

Rates are lowered per test with the ``settings`` fixture; the cache holding
the counters is emptied around every test (tests/conftest.py).
"""

from __future__ import annotations

import time

import pytest
import requests
from huggingface_hub import HfApi, hf_hub_download, snapshot_download
from huggingface_hub.errors import HfHubHTTPError

from hub.core.ratelimit import rate_parse
from tests.factories import commit_files, make_repo


@pytest.fixture
def repo(maya):
    repo = make_repo(maya[0], "limited")
    commit_files(repo, {"config.json": b'{"hidden_size": 8}\n'}, author=maya[0])
    return repo


def test_client_over_the_token_limit_raises_with_the_limit_and_the_wait(
    api, repo, settings
):
    settings.HUB_HF_RATE_USER = "3/hour"
    for _ in range(3):
        api.model_info("maya/limited")

    with pytest.raises(HfHubHTTPError) as error:
        api.model_info("maya/limited")

    response = error.value.response
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 3600
    message = str(error.value)
    assert "you have reached your 'api' rate limit" in message
    assert f"Retry after {retry_after} seconds" in message
    assert "Too many requests from this token: at most 3 per hour" in message


def test_each_token_has_its_own_budget(api, repo, hub_url, jun, settings):
    settings.HUB_HF_RATE_USER = "2/hour"
    for _ in range(2):
        api.model_info("maya/limited")
    with pytest.raises(HfHubHTTPError):
        api.model_info("maya/limited")

    assert HfApi(endpoint=hub_url, token=jun[1]).model_info("maya/limited")


def test_anonymous_limit_is_per_address_and_ignores_forged_forwarded_for(
    hub_url, repo, settings
):
    settings.HUB_HF_RATE_ANON = "2/hour"
    statuses = [
        requests.get(
            f"{hub_url}/api/models/maya/limited",
            headers={"X-Forwarded-For": f"10.0.0.{n}"},
            timeout=30,
        ).status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_refused_tokens_spend_the_address_budget(hub_url, repo, settings):
    settings.HUB_HF_RATE_ANON = "2/hour"
    bad = {"Authorization": "Bearer mc_not-a-real-token"}
    statuses = [
        requests.get(f"{hub_url}/api/whoami-v2", headers=bad, timeout=30).status_code
        for _ in range(3)
    ]

    assert statuses == [401, 401, 429]
    limited = requests.get(f"{hub_url}/api/models/maya/limited", timeout=30)
    assert limited.status_code == 429
    assert limited.headers["X-Error-Message"].startswith(
        "Too many requests from your address: at most 2 per hour."
    )
    assert limited.headers["RateLimit"].startswith('"api";r=0;t=')
    assert limited.headers["RateLimit-Policy"] == '"fixed window";"api";q=2;w=3600'


def test_client_download_waits_out_the_limit_and_succeeds(
    repo, hub_url, hf_cache, settings
):
    """hf_hub_download meets a 429, sleeps Retry-After + 1 s and gets the file."""
    settings.HUB_HF_RATE_ANON = "2/3s"
    url = f"{hub_url}/api/models/maya/limited"
    for _attempt in range(8):  # a busy machine may cross windows
        # Spend the window's budget, so that the client's first call meets 429
        # (unless the 3 s window ends in between: then try again).
        while requests.get(url, timeout=30).status_code != 429:
            pass
        started = time.monotonic()
        path = hf_hub_download(
            "maya/limited", "config.json", endpoint=hub_url, cache_dir=hf_cache
        )
        waited = time.monotonic() - started
        if waited >= 2:  # at least Retry-After (>= 1) + 1 s of sleep
            break
    else:
        pytest.fail("the client never met the limit")
    with open(path, "rb") as fh:
        assert fh.read() == b'{"hidden_size": 8}\n'


def test_snapshot_of_300_files_stays_far_below_the_default_limits(
    repo, maya, hub_url, tmp_path, settings
):
    # The default budget, over a day instead of its 5 minutes: the count is
    # then the whole download's even if it spans a window's end.
    default = rate_parse(settings.HUB_HF_RATE_ANON)
    settings.HUB_HF_RATE_ANON = f"{default.limit}/day"
    files = {f"shards/part-{n:03}.txt": b"%d\n" % n for n in range(300)}
    commit_files(repo, files, author=maya[0])

    snapshot_download(
        "maya/limited", endpoint=hub_url, cache_dir=str(tmp_path / "cache")
    )

    assert len(list((tmp_path / "cache").rglob("part-*.txt"))) == 300
    after = requests.get(f"{hub_url}/api/models/maya/limited", timeout=30)
    remaining = int(after.headers["RateLimit"].split("r=")[1].split(";")[0])
    spent = default.limit - remaining - 1
    # About two requests per file (metadata, download): room for several
    # such downloads in every window.
    assert 300 < spent < default.limit / 3
