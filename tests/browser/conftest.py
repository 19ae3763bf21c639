"""Real-browser fixtures: Debian's Chromium driven by Playwright, checked by axe.

The browser tests run against pytest-django's `live_server` (which serves the
static files), so the database is transactional and `on_commit` hooks fire.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache

# Playwright's sync API drives the browser from an asyncio event loop that it
# keeps in the test thread. Django then sees "an event loop in this thread" and
# refuses every ORM call made by the test itself (factories, assertions on the
# database) with SynchronousOnlyOperation, although nothing here is async. The
# calls are made synchronously between Playwright commands, so allowing them is
# safe. It is set at import time because the browser lives for the whole session.
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
# Pages are in English (LANGUAGE_CODE is nl, but the browser asks for English and
# every account the tests create or sign in with has chosen English).
LOCALE = "en-US"
TIMEOUT_MS = 15_000

_axe = Axe()


def _in_ci():
    return bool(os.environ.get("CI", "").strip())


def _require_chromium():
    if os.access(CHROMIUM, os.X_OK):
        return
    reason = f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if _in_ci():
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


@pytest.fixture
def browser_context(browser, live_server):
    """A fresh context (cookies, storage, history) per test, on the live server."""
    # The cache is a database table that flushing between tests does not empty:
    # start each journey without leftover rate-limit counters or used TOTP codes.
    cache.clear()
    context = browser.new_context(
        base_url=live_server.url,
        locale=LOCALE,
        timezone_id="Europe/Brussels",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    """A page that fails the test on any uncaught JavaScript error."""
    page = browser_context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    if os.environ.get("DBG_TMP"):
        page.on("console", lambda m: print("CONSOLE", m.type, page.url, m.text))
        page.on(
            "load",
            lambda p: print(
                "LOAD", p.url, "mfa_login form present:", p.locator("form#mfa_login").count()
            ),
        )
    yield page
    assert not errors, "JavaScript errors:\n" + "\n".join(errors)


def format_violations(violations):
    lines = [f"{len(violations)} accessibility violation(s):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html']}")
    return "\n".join(lines)


def check_accessibility(page):
    """Run axe-core on the page as it is now and require zero violations."""
    page.wait_for_load_state("load")
    violations = _axe.run(page).response["violations"]
    if violations:
        report = f"axe on {page.url}\n{format_violations(violations)}"
        print(report)
        if os.environ.get("AXE_SOFT_TMP"):
            return
        pytest.fail(report, pytrace=False)


if os.environ.get("SIMULATE_FIXES_TMP"):  # TEMPORARY scratch, to be removed
    import re
    import tempfile

    from django.conf import settings as _settings

    _fixes = os.environ["SIMULATE_FIXES_TMP"].split(",")
    _tmp = Path(tempfile.mkdtemp(prefix="echo-fix-templates-"))
    _base = (Path(_settings.BASE_DIR) / "templates" / "base.html").read_text()
    if "referrer" in _fixes:
        _settings.SECURE_REFERRER_POLICY = "same-origin"
        _base = _base.replace(
            '<meta name="referrer" content="no-referrer">',
            '<meta name="referrer" content="same-origin">',
        )
    if "exitbar" in _fixes:
        _base = re.sub(
            r'<div class="exit-bar">(.*?)</div>',
            r'<nav class="exit-bar" aria-label="{% translate "Quick exit" %}">\1</nav>',
            _base,
            count=1,
            flags=re.S,
        )
    if "extrabody" in _fixes:
        _base = _base.replace(
            "{% block content %}{% endblock %}\n  </main>",
            "{% block content %}{% endblock %}\n    {% block extra_body %}{% endblock %}\n  </main>",
        )
        assert "extra_body" in _base
        (_tmp / "allauth" / "layouts").mkdir(parents=True)
        (_tmp / "allauth" / "layouts" / "base.html").write_text(
            '{% extends "base.html" %}\n'
            "{% block content %}{% block body %}{% endblock %}{% endblock %}\n"
            "{% block extra_body %}{% endblock %}\n"
        )
    if "fieldset" in _fixes:
        (_tmp / "allauth" / "elements").mkdir(parents=True)
        (_tmp / "allauth" / "elements" / "fields.html").write_text("{{ attrs.form }}\n")
    (_tmp / "base.html").write_text(_base)
    print("SIMULATED base.html:", _tmp / "base.html")
    _settings.TEMPLATES[0]["DIRS"] = [_tmp, *_settings.TEMPLATES[0]["DIRS"]]
