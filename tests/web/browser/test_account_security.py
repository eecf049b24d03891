"""Account security in a real browser: turning on two-factor with the QR
code's secret and signing in with a code, a second browser signed out from
the sessions page, and a forgotten password reset through the link of a
mail received by a real SMTP server on loopback."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.accounts.security import away_from_step_end
from tests.factories import make_user

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new passphrase 7"


def app_code(secret_text: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the secret typed into it."""
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    away_from_step_end()
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def sign_in(page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_two_factor_enrolment_then_sign_in_with_a_code(
    browser, page, live_server, screenshot
):
    make_user("maya", password=PASSWORD)
    sign_in(page, "maya", PASSWORD)
    page.get_by_label("Account menu for maya").click()
    page.get_by_role("link", name="Account security").click()
    page.get_by_role("link", name="Two-factor").click()
    expect(page.locator(".qr-code svg")).to_be_visible()
    secret = page.locator("[data-totp-secret]").inner_text()
    screenshot(page, "settings-two-factor")
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Turn on").click()
    codes = page.locator("[data-recovery-codes] code")
    expect(codes).to_have_count(10)

    # A second browser: the password alone does not sign in.
    other = browser.new_context(base_url=live_server.url)
    tab = other.new_page()
    sign_in(tab, "maya", PASSWORD)
    expect(tab.get_by_role("heading", name="Enter your code")).to_be_visible()
    tab.goto("/settings/account")
    expect(tab).to_have_url(re.compile(r"/login\?next="))
    sign_in(tab, "maya", PASSWORD)
    tab.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    tab.get_by_role("button", name="Verify").click()
    tab.goto("/settings/sessions")
    expect(tab.get_by_role("heading", name="Where you are signed in")).to_be_visible()
    expect(tab.locator("tr[data-session]")).to_have_count(2)

    # The first browser signs the second out everywhere else.
    page.goto("/settings/sessions")
    page.get_by_role("button", name="Sign out everywhere else").click()
    expect(page.get_by_text("Signed out of 1 other session")).to_be_visible()
    tab.goto("/settings/sessions")
    expect(tab).to_have_url(re.compile(r"/login\?next="))
    other.close()


def test_forgotten_password_reset_through_the_mail_link(
    page, live_server, mailbox, settings
):
    settings.HUB_PUBLIC_URL = live_server.url
    user = make_user("jun", email="jun@example.org", password=PASSWORD)
    user.email_verified_at = timezone.now()
    user.save()

    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail address").fill("jun@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(
        page.get_by_text("a link to reset its password is on its way")
    ).to_be_visible()
    (mail,) = mailbox.wait(1)
    link = mailbox.link(mail)
    assert link.startswith(live_server.url + "/login/reset/")

    page.goto(link)
    expect(page).to_have_url(re.compile(r"/set-password$"))  # token out of the URL
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_text("Your password was reset")).to_be_visible()

    sign_in(page, "jun", NEW_PASSWORD)
    page.goto("/settings/account")
    expect(page.get_by_text("jun@example.org")).to_be_visible()
    page.goto(link)
    expect(page.get_by_text("This reset link is not valid")).to_be_visible()
