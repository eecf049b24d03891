"""The sessions list, revoking sessions, changing the password, and the
settings pages seen from the other side (anonymous, CSRF, hostile ids)."""

from __future__ import annotations

import pytest
from django.test import Client

from hub.accounts.models import UserSession
from hub.audit.models import AuditEvent
from tests.accounts.security import PASSWORD, is_signed_in, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long passphrase 42"
SETTINGS_PAGES = [
    "/settings/account",
    "/settings/password",
    "/settings/two-factor",
    "/settings/sessions",
]
POSTS = [
    ("/settings/account", {"action": "resend"}),
    ("/settings/password", {}),
    ("/settings/two-factor", {"code": "123456"}),
    ("/settings/sessions/1/revoke", {}),
    ("/settings/sessions/revoke-others", {}),
    ("/login/forgot", {"email": "a@example.org"}),
    ("/login/code", {"code": "123456"}),
]


@pytest.fixture
def jun(db):
    return make_user("jun", password=PASSWORD)


def client_from(ip: str, agent: str) -> Client:
    client = Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    assert sign_in(client, "jun").status_code == 302
    return client


def test_sessions_list_each_session_with_address_and_agent(jun):
    laptop = client_from("192.0.2.10", "Firefox on the laptop")
    client_from("192.0.2.20", "curl/8.0")

    page = laptop.get("/settings/sessions").content.decode()

    assert "Firefox on the laptop" in page and "curl/8.0" in page
    assert "192.0.2.10" in page and "192.0.2.20" in page
    assert page.count("This session") == 1
    assert UserSession.objects.filter(user=jun).count() == 2
    # The session key (the cookie's secret) is never on the page.
    assert str(laptop.session.session_key) not in page


def test_a_revoked_session_stops_working(jun):
    laptop = client_from("192.0.2.10", "laptop")
    phone = client_from("192.0.2.20", "phone")
    row = UserSession.objects.get(user_agent="phone")

    response = laptop.post(f"/settings/sessions/{row.pk}/revoke")

    assert response.status_code == 302
    assert not is_signed_in(phone)
    assert is_signed_in(laptop)
    assert not UserSession.objects.filter(pk=row.pk).exists()


def test_another_users_session_id_is_404_and_ends_nothing(jun):
    make_user("mei", password=PASSWORD)
    mei = Client(HTTP_USER_AGENT="mei's browser")
    sign_in(mei, "mei")
    laptop = client_from("192.0.2.10", "laptop")
    meis = UserSession.objects.get(user__username="mei")

    assert laptop.post(f"/settings/sessions/{meis.pk}/revoke").status_code == 404
    assert laptop.post("/settings/sessions/999999/revoke").status_code == 404
    assert is_signed_in(mei)


def test_sign_out_everywhere_else_keeps_this_session(jun):
    laptop = client_from("192.0.2.10", "laptop")
    others = [client_from("192.0.2.20", "phone"), client_from("192.0.2.30", "tab")]

    response = laptop.post("/settings/sessions/revoke-others", follow=True)

    assert b"Signed out of 2 other sessions" in response.content
    assert is_signed_in(laptop)
    assert not any(is_signed_in(other) for other in others)
    event = AuditEvent.objects.get(action="auth.sign_out_everywhere")
    assert event.actor_name == "jun" and event.details == {"sessions": 2}


def test_a_session_whose_store_entry_survived_revocation_still_ends(jun, settings):
    """Belt and braces: a tracked session without its row is ended by the
    middleware even if the session store kept it."""
    settings.HUB_SESSION_TOUCH_SECONDS = 0
    phone = client_from("192.0.2.20", "phone")
    assert is_signed_in(phone)
    UserSession.objects.filter(user_agent="phone").delete()
    assert not is_signed_in(phone)


def test_sign_out_forgets_the_session(jun):
    laptop = client_from("192.0.2.10", "laptop")
    laptop.post("/logout")
    assert not UserSession.objects.filter(user=jun).exists()


def test_password_change_needs_the_old_one_and_signs_out_other_sessions(jun):
    here = client_from("192.0.2.10", "laptop")
    there = client_from("192.0.2.20", "phone")

    wrong = here.post(
        "/settings/password",
        {
            "old_password": "not it",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert wrong.status_code == 200
    assert b"Your current password is not right" in wrong.content
    assert is_signed_in(there)

    changed = here.post(
        "/settings/password",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert changed.status_code == 302
    assert is_signed_in(here)
    assert not is_signed_in(there)
    jun.refresh_from_db()
    assert jun.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="auth.password_change").count() == 1
    # The row of this session followed its new key: the list still has it.
    page = here.get("/settings/sessions").content.decode()
    assert "This session" in page


def test_password_change_refuses_a_weak_password(jun):
    here = client_from("192.0.2.10", "laptop")
    weak = here.post(
        "/settings/password",
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert weak.status_code == 200
    assert b"too short" in weak.content
    jun.refresh_from_db()
    assert jun.check_password(PASSWORD)


@pytest.mark.parametrize("path", SETTINGS_PAGES)
def test_settings_pages_send_anonymous_visitors_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/login?next={path}")


@pytest.mark.parametrize(("path", "data"), POSTS)
def test_every_form_needs_its_csrf_token(jun, path, data):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(jun)
    response = browser.post(path, data)
    assert response.status_code == 403


@pytest.mark.parametrize("path", [*SETTINGS_PAGES, "/login/forgot"])
def test_every_post_form_on_the_pages_carries_a_csrf_token(jun, client, path):
    if path.startswith("/settings"):
        sign_in(client, "jun")
    html = client.get(path).content.decode()
    forms = html.split("<form")[1:]
    posts = [f for f in forms if 'method="post"' in f.split(">")[0]]
    assert posts
    for form in posts:
        assert "csrfmiddlewaretoken" in form.split("</form>")[0]


def test_guessing_the_current_password_backs_off_like_sign_in(jun, settings):
    settings.HUB_SIGNIN_FREE_FAILURES = 2
    here = client_from("192.0.2.10", "laptop")
    guess = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for _ in range(2):
        wrong = here.post("/settings/password", {**guess, "old_password": "no"})
        assert wrong.status_code == 200
    third = here.post("/settings/password", {**guess, "old_password": "no"})
    assert third.status_code == 200  # the first attempt past the free ones
    # Now even the right password waits, and the answer says how long.
    right = here.post("/settings/password", {**guess, "old_password": PASSWORD})
    assert right.status_code == 429
    assert int(right["Retry-After"]) >= 1
    assert b"Too many wrong passwords" in right.content
    jun.refresh_from_db()
    assert jun.check_password(PASSWORD)
    # The e-mail page proves the password the same way, on the same counter.
    email = here.post(
        "/settings/account", {"email": "new@example.org", "password": PASSWORD}
    )
    assert email.status_code == 429
    jun.refresh_from_db()
    assert jun.email != "new@example.org"
