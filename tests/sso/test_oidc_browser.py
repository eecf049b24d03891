"""Signing in with OpenID Connect as a person does: Chromium clicks the
button on /login, signs in on the provider's page and lands back on the hub
(the browser fixtures of tests/web/browser, against a live hub and
oidc-provider on loopback)."""

from __future__ import annotations

import pytest

from hub.accounts.models import Membership
from tests.factories import make_org, make_user
from tests.web.browser.conftest import (  # noqa: F401  (fixtures)
    _restore_migrated_data,
    browser,
    csp_violations,
    page,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_person_signs_in_with_the_provider_and_gets_their_org_roles(
    oidc_on,
    page,  # noqa: F811  (the fixture imported above)
    live_server,
):
    research = make_org("research", creator=make_user("boss"))
    oidc_on.set_account("idp-browser-1", preferred_username="grace", groups=["ml-team"])
    page.goto("/models")
    page.get_by_role("link", name="Sign in", exact=True).click()
    page.get_by_role("link", name="Sign in with Test IdP").click()
    # The provider's own sign-in page (oidc-provider's form).
    page.locator("input[name=login]").fill("idp-browser-1")
    page.locator("input[name=password]").fill("anything")
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/models")
    assert page.get_by_text("Signed in as").count() == 1
    assert page.locator(".user-menu summary").get_attribute("aria-label") == (
        "Account menu for grace"
    )
    assert Membership.objects.get(
        organization=research, user__username="grace"
    ).role == ("write")
