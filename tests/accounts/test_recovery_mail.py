"""Password reset and address verification by e-mail, as a user meets them:
mail sent through the hub's SMTP backend to a real SMTP server on loopback,
the link read from the mail and followed over HTTP."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from hub.accounts.models import User
from hub.audit.models import AuditEvent
from tests.accounts.security import PASSWORD, is_signed_in, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long passphrase 42"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def jun(db):
    user = make_user("jun", email="jun@example.org", password=PASSWORD)
    user.email_verified_at = timezone.now()
    user.save()
    return user


def forgot(client, email: str, ip: str = "198.51.100.4"):
    return client.post("/login/forgot", {"email": email}, REMOTE_ADDR=ip)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def reset_by_link(client, link: str, password: str = NEW_PASSWORD):
    """Follow a reset link as a browser does; the answer to the form."""
    opened = client.get(path_of(link))
    assert opened.status_code == 302, opened.status_code  # token moved to session
    form = client.get(opened["Location"])
    assert form.status_code == 200 and b"new_password1" in form.content
    return client.post(
        opened["Location"], {"new_password1": password, "new_password2": password}
    )


def test_forgot_link_on_the_sign_in_page(client):
    assert b'href="/login/forgot"' in client.get("/login").content


def test_reset_mail_link_sets_a_new_password_once(
    client, jun, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = forgot(client, "JUN@example.org")
    assert response.status_code == 200
    (mail,) = mailbox.wait(1)
    assert mail["To"] == "jun@example.org"
    link = mailbox.link(mail)

    answer = reset_by_link(client, link)

    assert answer.status_code == 302 and answer["Location"] == "/login"
    assert sign_in(Client(), "jun", PASSWORD).status_code == 200  # old one refused
    fresh = Client()
    assert sign_in(fresh, "jun", NEW_PASSWORD).status_code == 302
    assert is_signed_in(fresh)
    # The same link again: the new password voided it.
    again = Client().get(path_of(link), follow=True)
    assert b"This reset link is not valid" in again.content
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "auth.password_reset_request" in actions
    assert "auth.password_reset" in actions


def test_reset_answer_is_the_same_for_any_address_and_mail_goes_only_to_verified(
    client, jun, mailbox, django_capture_on_commit_callbacks
):
    make_user("mei", email="mei@example.org", password=PASSWORD)  # unverified
    pages = []
    with django_capture_on_commit_callbacks(execute=True):
        for address in ("nobody@example.org", "mei@example.org", "jun@example.org"):
            response = forgot(Client(), address)
            assert response.status_code == 200
            body = CSRF.sub("", response.content.decode()).replace(address, "ADDRESS")
            pages.append(body)
    assert pages[0] == pages[1] == pages[2]
    (mail,) = mailbox.wait(1)
    assert mail["To"] == "jun@example.org"
    time.sleep(1)  # mail is sent after the answer: none for the others
    assert len(mailbox.messages) == 1


def test_reset_link_expires(client, jun, settings):
    class TwoHoursAgo(PasswordResetTokenGenerator):
        def _now(self):
            # Django's generator counts in naive local time, as here.
            return datetime.now() - timedelta(hours=2)  # noqa: DTZ005

    settings.PASSWORD_RESET_TIMEOUT = 3600
    uid = urlsafe_base64_encode(force_bytes(jun.pk))
    token = TwoHoursAgo().make_token(jun)

    response = client.get(f"/login/reset/{uid}/{token}", follow=True)

    assert b"This reset link is not valid" in response.content
    assert b"new_password1" not in response.content


def test_tampered_or_borrowed_reset_link_is_refused(client, jun):
    mei = make_user("mei", email="mei@example.org", password=PASSWORD)
    generator = PasswordResetTokenGenerator()
    token = generator.make_token(jun)
    flipped = token[:-1] + ("a" if token[-1] != "a" else "b")
    jun_uid = urlsafe_base64_encode(force_bytes(jun.pk))
    mei_uid = urlsafe_base64_encode(force_bytes(mei.pk))
    for path in (
        f"/login/reset/{jun_uid}/{flipped}",
        f"/login/reset/{mei_uid}/{token}",  # jun's token on mei's account
        f"/login/reset/not-base64/{token}",
        f"/login/reset/{jun_uid}/set-password",  # no token in the session
    ):
        response = Client().get(path, follow=True)
        assert response.status_code == 200, path
        assert b"This reset link is not valid" in response.content, path
    mei.refresh_from_db()
    assert mei.check_password(PASSWORD)


def test_reset_requests_are_limited_per_address_and_per_client(client, jun, settings):
    settings.HUB_PASSWORD_RESET_RATE_PER_ADDRESS = "2/hour"
    settings.HUB_PASSWORD_RESET_RATE_PER_IP = "4/hour"
    assert forgot(client, "x@example.org", ip="192.0.2.1").status_code == 200
    assert forgot(client, "x@example.org", ip="192.0.2.2").status_code == 200
    limited = forgot(client, "X@example.org", ip="192.0.2.3")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert b"Too many password reset requests" in limited.content
    # One client, many addresses: its own limit.
    for n in range(2):
        assert forgot(client, f"a{n}@example.org", ip="192.0.2.9").status_code == 200
    assert forgot(client, "a2@example.org", ip="192.0.2.9").status_code == 200
    assert forgot(client, "a3@example.org", ip="192.0.2.9").status_code == 200
    assert forgot(client, "a4@example.org", ip="192.0.2.9").status_code == 429


def test_bad_reset_request_is_a_400_with_the_reason(client):
    response = client.post("/login/forgot", {"email": "not an address"})
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content


def test_reset_signs_out_every_session(
    client, jun, mailbox, django_capture_on_commit_callbacks
):
    elsewhere = Client()
    sign_in(elsewhere, "jun")
    assert is_signed_in(elsewhere)
    with django_capture_on_commit_callbacks(execute=True):
        forgot(client, "jun@example.org")
    reset_by_link(client, mailbox.link(mailbox.wait(1)[0]))
    assert not is_signed_in(elsewhere)


def test_sign_up_mails_a_link_that_verifies_the_address(
    client, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/signup",
            {
                "username": "lea",
                "email": "lea@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    page = client.get("/settings/account").content.decode()
    assert "Not verified" in page
    (mail,) = mailbox.wait(1)
    assert mail["To"] == "lea@example.org"

    verified = Client().get(path_of(mailbox.link(mail)))  # signed out: fine too

    assert verified.status_code == 302
    assert "Verified" in client.get("/settings/account").content.decode()
    assert User.objects.get(username="lea").email_verified_at is not None
    assert AuditEvent.objects.filter(action="auth.email_verify").count() == 1


def test_changing_the_address_needs_the_password_and_voids_old_links(
    client, jun, mailbox, django_capture_on_commit_callbacks
):
    sign_in(client, "jun")
    refused = client.post(
        "/settings/account", {"email": "jun@new.example", "password": "wrong"}
    )
    assert refused.status_code == 200
    assert b"The password is not right" in refused.content
    jun.refresh_from_db()
    assert jun.email == "jun@example.org"

    for address in ("jun@new.example", "jun@third.example"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/settings/account", {"email": address, "password": PASSWORD})
    first = mailbox.link(mailbox.wait(1)[0])
    second = mailbox.wait(2)[1]
    assert second["To"] == "jun@third.example"
    jun.refresh_from_db()
    assert jun.email_verified_at is None  # a changed address is unverified

    stale = client.get(path_of(first))
    assert stale.status_code == 400
    assert b"not valid any more" in stale.content
    assert client.get(path_of(mailbox.link(second))).status_code == 302
    jun.refresh_from_db()
    assert jun.email_verified_at is not None


def test_tampered_verification_link_is_a_400(client, jun):
    response = client.get("/settings/email/verify/eyJ1IjoxfQ:1abc:forged")
    assert response.status_code == 400
    assert b"not valid any more" in response.content


def test_verification_mails_per_account_are_limited(
    client, mailbox, settings, django_capture_on_commit_callbacks
):
    settings.HUB_EMAIL_VERIFY_RATE = "2/hour"
    make_user("mei", email="victim@example.org", password=PASSWORD)
    sign_in(client, "mei")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            response = client.post(
                "/settings/account", {"action": "resend"}, follow=True
            )
    assert b"Too many verification mails" in response.content
    assert len(mailbox.wait(2)) == 2
    time.sleep(0.5)
    assert len(mailbox.messages) == 2
