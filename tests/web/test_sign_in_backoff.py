"""Passwords cannot be guessed at full speed (issue 13, hole 12).

After a few failed sign-ins an account, and a client address across
accounts, must wait before the next attempt: 1 s, then 2 s, 4 s, ... The
page says so and answers 429 with Retry-After; while waiting even the right
password is refused, so a guesser learns nothing.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from hub.accounts.signin import SignInThrottledError, user_sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase"
WAIT_MESSAGE = "Too many failed sign-ins; try again in"


@pytest.fixture
def jun(db):
    return make_user("jun", password=PASSWORD)


def sign_in(client, username: str, password: str, ip: str = "203.0.113.7"):
    return client.post(
        "/login", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def is_signed_in(client) -> bool:
    return client.get("/settings/tokens").status_code == 200


def test_failed_sign_ins_back_off_with_a_clear_message(client, jun, settings):
    free = settings.HUB_SIGNIN_FREE_FAILURES
    # The free attempts, then one more that passes the first 1 s gate.
    for _ in range(free + 1):
        response = sign_in(client, "jun", "guess")
        assert response.status_code == 200
        assert "did not match" in response.content.decode()

    response = sign_in(client, "jun", "another guess")

    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert f"{WAIT_MESSAGE} 1 second." in response.content.decode()


def test_right_password_is_refused_while_waiting_then_works_and_resets(
    client, jun, settings
):
    for _ in range(settings.HUB_SIGNIN_FREE_FAILURES + 1):
        sign_in(client, "jun", "guess")

    refused = sign_in(client, "jun", PASSWORD)

    assert refused.status_code == 429
    assert not is_signed_in(client)
    time.sleep(int(refused["Retry-After"]) + 0.1)
    assert sign_in(client, "jun", PASSWORD).status_code == 302
    assert is_signed_in(client)
    client.post("/logout")
    # The success forgot the account's failures: the free attempts are back.
    for _ in range(settings.HUB_SIGNIN_FREE_FAILURES):
        assert sign_in(client, "jun", "typo").status_code == 200


def test_guesses_spread_over_many_addresses_still_back_off_per_account(
    client, jun, settings
):
    for n in range(settings.HUB_SIGNIN_FREE_FAILURES + 1):
        sign_in(client, "jun", "guess", ip=f"198.51.100.{n}")

    response = sign_in(client, "JUN", "guess", ip="198.51.100.200")

    assert response.status_code == 429
    assert WAIT_MESSAGE in response.content.decode()


def test_guesses_across_accounts_from_one_address_back_off_per_address(
    client, jun, settings
):
    settings.HUB_SIGNIN_FREE_FAILURES_PER_IP = 3
    for n in range(4):
        assert sign_in(client, f"victim{n}", "guess").status_code == 200

    response = sign_in(client, "victim9", "guess")

    assert response.status_code == 429
    assert WAIT_MESSAGE in response.content.decode()
    # Another address is not held back by this one.
    assert sign_in(client, "jun", PASSWORD, ip="192.0.2.1").status_code == 302


def test_forged_forwarded_for_header_does_not_reset_the_address(client, jun, settings):
    settings.HUB_SIGNIN_FREE_FAILURES_PER_IP = 2
    for n in range(3):
        client.post(
            "/login",
            {"username": f"victim{n}", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )

    response = client.post(
        "/login",
        {"username": "victim9", "password": "guess"},
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )

    assert response.status_code == 429


def test_successful_sign_ins_from_a_shared_address_use_up_nothing(
    client, jun, settings
):
    settings.HUB_SIGNIN_FREE_FAILURES_PER_IP = 2
    for _ in range(6):
        assert sign_in(client, "jun", PASSWORD).status_code == 302
        client.post("/logout")

    assert sign_in(client, "jun", "typo").status_code == 200


# Committed rows: each guess writes its audit event on its own connection,
# which on SQLite would wait for the test's open transaction to end.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_guesses_cannot_outrun_the_counter(jun, settings):
    free = settings.HUB_SIGNIN_FREE_FAILURES
    checked: list[bool] = []
    lock = threading.Lock()

    def guess(n: int) -> None:
        try:
            user_sign_in(
                request=None, username="jun", password=f"guess{n}", ip=f"10.1.0.{n}"
            )
            outcome = True  # the password was checked (and was wrong)
        except SignInThrottledError:
            outcome = False
        finally:
            connection.close()
        with lock:
            checked.append(outcome)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # The free attempts and one through the first gate; the rest waited.
    assert (len(checked), checked.count(True)) == (40, free + 1)


def test_admin_login_form_is_not_a_second_way_to_guess(client, db):
    make_user("chief", password=PASSWORD, is_staff=True)

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "chief", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/login?next=/admin/"
    assert client.get("/admin/").status_code == 302  # not signed in


def test_sign_in_works_without_backoff_while_the_cache_is_down(client, jun, settings):
    """Redis down must not lock everyone out (nor answer 500): the backoff
    fails open, as every rate limit of the hub does, and says so in the log."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1: every cache call fails.
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    wrong = sign_in(client, "jun", "guess")
    right = sign_in(client, "jun", PASSWORD)

    assert wrong.status_code == 200
    assert "did not match" in wrong.content.decode()
    assert right.status_code == 302
    assert is_signed_in(client)
