"""Two-factor sign-in (TOTP) over HTTP: enrolment, the code step, replay,
throttling, recovery codes, turning it off, and staff who must have it."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.accounts.models import RecoveryCode
from hub.audit.models import AuditEvent
from tests.accounts.security import (
    PASSWORD,
    enrol,
    is_signed_in,
    sign_in,
    totp_code,
)
from tests.factories import make_user, make_user_with_token

pytestmark = pytest.mark.django_db

# django-otp makes a device wait 1 s after one wrong code
# (OTP_TOTP_THROTTLE_FACTOR).
WAIT_AFTER_ONE_WRONG_CODE = 1.1
SECRET = re.compile(r"data-totp-secret>([A-Z2-7 ]+)<")


@pytest.fixture
def jun(db):
    return make_user("jun", password=PASSWORD)


@pytest.fixture
def admin_user(db, settings):
    settings.HUB_STAFF_REQUIRE_2FA = True
    return make_user("boss", password=PASSWORD, is_staff=True)


def code_step(client, code: str, **extra):
    return client.post("/login/code", {"code": code}, **extra)


def test_enrolment_shows_qr_and_secret_confirms_and_shows_recovery_codes_once(
    client, jun
):
    sign_in(client, "jun")
    page = client.get("/settings/two-factor")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "otpauth" not in html.split("<svg")[0][-50:]
    found = SECRET.search(html)
    assert found is not None
    assert page["Cache-Control"] == "no-store"
    device = TOTPDevice.objects.get(user=jun, confirmed=False)
    # The secret shown as text is the device's.
    shown = found.group(1).replace(" ", "")
    assert base64.b32decode(shown + "=" * (-len(shown) % 8)) == device.bin_key

    wrong = client.post("/settings/two-factor", {"code": "000000"})
    assert wrong.status_code == 400
    assert not TOTPDevice.objects.filter(user=jun, confirmed=True).exists()
    time.sleep(WAIT_AFTER_ONE_WRONG_CODE)

    done = client.post("/settings/two-factor", {"code": totp_code(device)})

    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert RecoveryCode.objects.filter(user=jun).count() == 10
    stored = set(RecoveryCode.objects.values_list("digest", flat=True))
    assert not stored & set(codes)  # digests only
    assert is_signed_in(client)  # this session stays signed in
    again = client.get("/settings/two-factor").content.decode()
    assert 'is <span class="badge ok">on' in again
    assert codes[0] not in again  # shown once
    assert AuditEvent.objects.filter(action="auth.totp_enable").count() == 1


def test_sign_in_asks_for_the_code_and_is_not_signed_in_before_it(client, jun):
    device, _ = enrol(jun)
    response = sign_in(client, "jun")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/code")
    assert not is_signed_in(client)
    assert client.get("/settings/tokens").status_code == 302
    assert b"Enter your code" in client.get("/login/code").content

    wrong = code_step(client, "123456" if totp_code(device) != "123456" else "654321")
    assert wrong.status_code == 400
    assert not is_signed_in(client)
    time.sleep(WAIT_AFTER_ONE_WRONG_CODE)

    right = code_step(client, totp_code(device, steps_ahead=1))
    assert right.status_code == 302
    assert is_signed_in(client)
    assert AuditEvent.objects.filter(action="auth.totp_failed").count() == 1


def test_next_is_kept_through_the_code_step_and_foreign_hosts_dropped(client, jun):
    device, codes = enrol(jun)
    response = client.post(
        "/login?next=/settings/sessions",
        {"username": "jun", "password": PASSWORD, "next": "/settings/sessions"},
    )
    assert response["Location"] == "/login/code?next=/settings/sessions"
    done = client.post(
        "/login/code", {"code": totp_code(device, 1), "next": "/settings/sessions"}
    )
    assert done["Location"] == "/settings/sessions"
    other = Client()
    sign_in(other, "jun")
    evil = other.post(
        "/login/code", {"code": codes[0], "next": "https://evil.example/"}
    )
    assert evil["Location"] == "/"


def test_the_same_code_cannot_be_used_twice(jun):
    device, _ = enrol(jun)
    first, second = Client(), Client()
    code = totp_code(device, steps_ahead=1)
    sign_in(first, "jun")
    sign_in(second, "jun")
    assert code_step(first, code).status_code == 302
    replay = code_step(second, code)
    assert replay.status_code == 400
    assert not is_signed_in(second)


def test_wrong_codes_are_throttled_with_retry_after(client, jun):
    device, _ = enrol(jun)
    sign_in(client, "jun")
    right = totp_code(device, steps_ahead=1)
    wrong = "000000" if right != "000000" else "111111"
    assert code_step(client, wrong).status_code == 400
    throttled = code_step(client, right)  # even the right code must wait
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) >= 1
    assert b"Too many wrong codes" in throttled.content
    assert not is_signed_in(client)


def test_a_recovery_code_signs_in_once(jun):
    _, codes = enrol(jun)
    first = Client()
    sign_in(first, "jun")
    assert code_step(first, codes[0].upper()).status_code == 302
    assert is_signed_in(first)
    second = Client()
    sign_in(second, "jun")
    assert code_step(second, codes[0]).status_code == 400
    assert not is_signed_in(second)


def test_the_code_step_without_a_password_step_sends_to_sign_in(client, jun):
    enrol(jun)
    assert client.get("/login/code")["Location"] == "/login"
    assert client.post("/login/code", {"code": "123456"})["Location"] == "/login"


def test_turning_it_off_needs_a_code(client, jun):
    device, codes = enrol(jun)
    sign_in(client, "jun")
    code_step(client, totp_code(device, 1))
    refused = client.post("/settings/two-factor", {"code": "not-a-code"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=jun).exists()
    time.sleep(WAIT_AFTER_ONE_WRONG_CODE)
    off = client.post("/settings/two-factor", {"code": codes[1]})
    assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=jun).exists()
    assert not RecoveryCode.objects.filter(user=jun).exists()
    assert AuditEvent.objects.filter(action="auth.totp_disable").count() == 1
    assert sign_in(Client(), "jun").status_code == 302


def test_enrolment_signs_out_other_sessions(jun):
    elsewhere, here = Client(), Client()
    sign_in(elsewhere, "jun")
    sign_in(here, "jun")
    device, _ = enrol(jun)  # through the service, no session kept
    assert not is_signed_in(elsewhere)
    assert not is_signed_in(here)


def test_a_sign_in_that_skipped_the_code_goes_back_to_the_code_step(client, jun):
    """Another sign-in path (single sign-on) calls login() without the code
    step: the next request puts the session back before the code."""
    device, _ = enrol(jun)
    client.force_login(jun)
    response = client.get("/settings/account")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/code")
    assert not is_signed_in(client)
    assert code_step(client, totp_code(device, 1)).status_code == 302
    assert is_signed_in(client)


def test_staff_without_a_device_must_enrol_before_anything_else(client, admin_user):
    sign_in(client, "boss")
    for path in ("/", "/settings/tokens", "/admin/", "/models"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/settings/two-factor"), path
    page = client.get("/settings/two-factor?next=/admin/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    done = client.post(
        "/settings/two-factor", {"code": totp_code(device), "next": "/admin/"}
    )
    assert done.status_code == 200
    assert client.get("/admin/").status_code == 200
    # Staff may not turn it off while it is required.
    refused = client.post("/settings/two-factor", {"code": totp_code(device, 1)})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()


def test_staff_requirement_can_be_turned_off(client, admin_user, settings):
    settings.HUB_STAFF_REQUIRE_2FA = False
    sign_in(client, "boss")
    assert client.get("/settings/tokens").status_code == 200


def test_api_tokens_are_not_affected_by_two_factor(client, settings):
    settings.HUB_STAFF_REQUIRE_2FA = True
    staff, token = make_user_with_token("ops")
    staff.is_staff = True
    staff.save()
    enrolled, token2 = make_user_with_token("maya")
    enrol(enrolled)
    for secret in (token, token2):
        response = client.get("/api/whoami-v2", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200, response.content
