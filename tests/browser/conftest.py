"""Real-browser fixtures: Debian's Chromium driven by Playwright, checked by axe.

The browser tests run against pytest-django's `live_server` (which also serves
the static files), so their database is transactional: `on_commit` hooks fire,
and with CELERY_TASK_ALWAYS_EAGER the outbox delivers email into `mail.outbox`.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache

# Playwright's sync API drives the browser from an asyncio event loop that it
# keeps in the test thread. Django then sees an event loop in this thread and
# refuses every ORM call the test makes itself (factories, checks on the
# database) with SynchronousOnlyOperation, although nothing here is async: the
# calls run between Playwright commands, never concurrently with the loop, so
# allowing them is safe. It is set at import time, not per test, because the
# browser (and so the loop) lives for the whole session, and tests that run
# after the browser tests in the same thread are affected too.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# LANGUAGE_CODE is nl; the browser asks for English, and every account the tests
# sign in with has chosen English, so all pages are consistently in English.
LOCALE = "en-US"
TIMEOUT_MS = 15_000

_axe = Axe()


def _require_chromium():
    """Skip without Chromium on a workstation; in CI a missing browser fails."""
    if os.access(CHROMIUM, os.X_OK):
        return
    reason = f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI", "").strip():
        pytest.fail(f"{reason}; browser tests may not be skipped in CI", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _new_context(browser, live_server):
    """A fresh context (cookies, storage, history) on the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        locale=LOCALE,
        timezone_id="Europe/Brussels",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


def _collect_errors(page, errors):
    """Note every JavaScript error and console error of the page (a script
    refused by the Content-Security-Policy shows up there)."""
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"{page.url}: console: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    return page


@pytest.fixture
def browser_context(browser, live_server):
    # The cache lives outside the tables that are emptied between tests: start
    # without leftover rate-limit counters or TOTP codes marked as used.
    cache.clear()
    context = _new_context(browser, live_server)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    """A page; the test fails on any JavaScript error or console error."""
    errors = []
    yield _collect_errors(browser_context.new_page(), errors)
    assert not errors, "Errors in the browser:\n" + "\n".join(errors)


@pytest.fixture
def open_browser(browser, live_server):
    """`open_browser()` gives a page in a browser of its own (cookies and
    all), one for each person of a story; like `page`, the test fails on any
    JavaScript or console error."""
    cache.clear()
    contexts, errors = [], []

    def open_page():
        contexts.append(_new_context(browser, live_server))
        return _collect_errors(contexts[-1].new_page(), errors)

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, "Errors in the browser:\n" + "\n".join(errors)


def format_violations(violations):
    lines = [f"{len(violations)} accessibility violation(s):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            html = " ".join(node["html"].split())
            lines.append(f"    at {target}: {html}")
    return "\n".join(lines)


def check_accessibility(page):
    """Run axe-core on the page as it is now and require zero violations."""
    page.wait_for_load_state("load")
    violations = _axe.run(page).response["violations"]
    if violations:
        report = f"axe on {page.url}\n{format_violations(violations)}"
        print(report)
        pytest.fail(report, pytrace=False)
