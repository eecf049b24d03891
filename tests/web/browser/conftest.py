"""Browser fixtures: Debian's chromium driven by Playwright, against a live hub.

The browser is the system's (``apt-get install chromium``; Playwright's own
download cannot run here). The live server is pytest-django's threaded
one on the real PostgreSQL; tests are transactional, so the license
catalog is restored after each flush.

Playwright's sync API runs the test code in a greenlet with a context of
its own, where Django's context-local connection handler hands out fresh
connection objects: they lack the serialized copy of the migrated data
that serialized rollback restores from, and Django's async-safety check
sees Playwright's event loop. The browser therefore lives for one module
only, the serialized data is carried over to the new connection objects,
and async-unsafe calls are allowed while it lives.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from tests.mailbox import mailbox  # noqa: F401  (a fixture: SMTP on loopback)

CHROMIUM = os.environ.get("HUB_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
# Every page runs under the hub's Content-Security-Policy; a violation (an
# inline script or style, an image from another site) is reported on the
# console by Chromium and by this listener, and fails the test.
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (e) =>
  console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI}`));"""


@pytest.fixture(autouse=True)
def _restore_migrated_data(django_db_serialized_rollback):
    """Live-server tests flush the database; put the license catalog back."""


@pytest.fixture(scope="module")
def browser(django_db_setup) -> Iterator[Any]:
    """Chromium for one module (module scope: higher than any test fixture,
    so it is set up before the database of the module's first test)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: apt-get install chromium (scripts/run-tests.sh "
            "does it)."
        )
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents  # type: ignore[attr-defined]
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            # From here on the connection objects are new ones: give them
            # the serialized data back before any test flushes the database.
            for alias, contents in serialized.items():
                connection: Any = connections[alias]
                connection._test_serialized_contents = contents
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            _watch_csp(browser)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


_csp_violations: list[str] = []


def _watch_csp(browser: Any) -> None:
    """Every context the tests open (through ``page`` or ``browser.
    new_context``) records CSP violations in ``_csp_violations``."""
    new_context = browser.new_context

    def watched(*args: Any, **kwargs: Any) -> Any:
        context = new_context(*args, **kwargs)
        context.add_init_script(CSP_LISTENER)

        def on_console(message: Any) -> None:
            text = message.text
            if "Content Security Policy" in text or text.startswith("CSP violation"):
                _csp_violations.append(f"{message.page and message.page.url}: {text}")

        context.on("console", on_console)
        return context

    browser.new_context = watched


@pytest.fixture(autouse=True)
def csp_violations(browser) -> Iterator[list[str]]:
    """Fails the test on any Content-Security-Policy violation. A test that
    provokes one on purpose checks the list and empties it."""
    _csp_violations.clear()
    yield _csp_violations
    found = list(_csp_violations)
    _csp_violations.clear()
    assert not found, f"Content-Security-Policy violations: {found}"


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies) that fails the test on a JS error."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 860},
        color_scheme="light",
    )
    context.set_default_timeout(20_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def screenshot():
    """Save a screenshot of the page to docs/screenshots/<name>.png."""

    def save(tab, name: str, *, full_page: bool = False) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.evaluate("window.scrollTo(0, 0)")
        tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    return save
