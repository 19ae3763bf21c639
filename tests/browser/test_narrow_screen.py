"""On a 390 px wide phone no page scrolls sideways, and every page passes
axe-core there, for every role, in Dutch and in French.

The pages are those of tests/test_access_control.py that each role may open
(200 OK); Django's admin is left out. One browser, one page reused for all.
"""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from boards.models import ModerationAction
from echo import audit
from events import services as events

from ..factories import ApplicantFactory, GroupFactory
from ..test_access_control import EXPECTATIONS, OK, OK_OR_REDIRECT, url_for, url_patterns
from .conftest import TIMEOUT_MS, _axe, format_violations
from .test_accessibility import SERIES, sign_in_as

# url_for: the fixture of tests/test_access_control.py, imported to be used here.
assert url_for
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Each page is seen once, by the first of these roles that may open it: the
# one that sees the most of it (a coordinator sees a group's page with its tools).
ROLES = ["coordinator", "facilitator", "member", "applicant", "visitor", "admin"]
# Not pages: downloads, feeds and the session's JSON (static/echo/session.js).
NOT_PAGES = {"growth:report_csv", "members:export", "events:feed", "session"}

# The widest element that sticks out on the right, to name the culprit.
OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  let worst = null;
  for (const el of document.querySelectorAll("body *")) {
    const right = el.getBoundingClientRect().right;
    if (right > width + 0.5 && (!worst || right > worst.right)) {
      worst = {right, html: el.outerHTML.slice(0, 160)};
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, worst};
}"""


def pages_by_role():
    """{role: [(url name, parameters)]}, each page once."""
    patterns = dict(url_patterns())
    chosen = {role: [] for role in ROLES}
    for name, expected in sorted(EXPECTATIONS.items()):
        role = next((r for r in ROLES if expected.get(r) in (OK, OK_OR_REDIRECT)), None)
        if role and name not in NOT_PAGES:
            chosen[role].append((name, patterns[name]))
    return chosen


def fill_the_lists(role_users, group):
    """Rows in the tables that were too wide: the audit log, the moderation
    log, the region's groups, the intake queue, the boards, one's meetings."""
    coordinator = role_users["coordinator"]
    facilitator = role_users["facilitator"].member
    for n in range(3):
        ApplicantFactory(pseudonym=f"Lange-schuilnaam-nummer-{n}", region=group.region)
        GroupFactory(name=f"Groep met een heel lange naam nummer {n}", region=group.region)
    applicant = role_users["applicant"].member
    audit.record(coordinator, "members.phone.viewed", applicant, region=applicant.region)
    audit.record(coordinator, "members.intake.viewed", applicant, region=applicant.region)
    audit.record(coordinator, "some.unknown.action-with-a-long-name", region=applicant.region)
    series = events.plan_series(facilitator, group, **SERIES)
    events.answer(role_users["member"].member, series.meetings.first(), going=True)
    for action in (ModerationAction.Action.SUSPENDED, ModerationAction.Action.HIDDEN):
        ModerationAction.objects.create(
            board=group.board,
            actor=coordinator,
            subject=role_users["member"],
            action=action,
            reason="Een heel lange reden zonder spaties: " + "x" * 80,
            at=timezone.now(),
        )


def check_page(page, where):
    problems = []
    page.wait_for_load_state("load")
    if overflow := page.evaluate(OVERFLOW):
        problems.append(f"{where}: wider than the phone: {overflow}")
    if violations := _axe.run(page).response["violations"]:
        problems.append(f"{where}: {format_violations(violations)}")
    return problems


# Pages and layout do not depend on the database: the SQLite pass of CI is
# enough for this, the slowest test.
@pytest.mark.skipif(connection.vendor == "postgresql", reason="run in the SQLite pass")
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, role_users, url_for, group):
    """Every page is measured and checked by axe in Dutch and in French
    (French words are longer). One set of people and pages serves both."""
    fill_the_lists(role_users, group)
    problems, visited = [], []
    for language in ["nl", "fr"]:
        problems += visit_every_page(browser, live_server, role_users, url_for, language, visited)
    # The tables that were too wide are among the pages seen.
    assert {
        "members:audit_log",
        "boards:log",
        "groups:groups",
        "members:intake_queue",
        "boards:index",
        "events:my_meetings",
        "members:erase",
    } <= set(visited)
    assert len(set(visited)) > 50
    assert not problems, "\n".join(problems)


def visit_every_page(browser, live_server, role_users, url_for, language, visited):
    context = browser.new_context(base_url=live_server.url, locale=language, viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems = []
    for role, pages in pages_by_role().items():
        user = role_users[role]
        context.clear_cookies()
        if user is not None:
            user.language = language
            user.save(update_fields=["language"])
            sign_in_as(context, user, live_server)
        for name, params in pages:
            response = page.goto(url_for(name, params))
            if response.status != 200:
                continue
            visited.append(name)
            problems += check_page(page, f"{language} {role} {page.url}")
        if role == "member":
            # Erasing asks to sign in again first: a fresh sign-in may.
            sign_in_as(context, user, live_server, fresh=True)
            page.goto(reverse("members:erase"))
            assert page.url.endswith(reverse("members:erase"))
            problems += check_page(page, f"{language} {role} {page.url}")
            visited.append("members:erase")
    context.close()
    return problems
