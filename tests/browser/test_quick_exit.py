"""The quick exit leaves Echo at once, signs out on the server and leaves no
way Back to the page; on a phone it stays in view however far one scrolls.
The pages it links to pass axe and fit a phone's width."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import PostFactory, ThreadFactory, member_of
from .conftest import TIMEOUT_MS, check_accessibility
from .test_accessibility import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def exit_url(settings, live_server):
    # A page of the live server itself: the tests must not reach outside hosts.
    settings.QUICK_EXIT_URL = f"{live_server.url}/help/?left=echo"
    return settings.QUICK_EXIT_URL


@pytest.fixture
def phone(browser, live_server):
    """A page on a 390 × 844 touch screen; fails on any JavaScript error."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    errors = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


def visit_two_pages_then_the_sign_in_page(page):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy").click()
    expect(page).to_have_url("/privacy/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    expect(page).to_have_url("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")
    # The keys are only heard once the page's (deferred) script has run.
    page.wait_for_load_state("load")


def assert_left_without_a_way_back(page, exit_url):
    expect(page).to_have_url(exit_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Help now")
    page.go_back()
    # Back skips the page on which the exit was used (location.replace).
    expect(page).to_have_url("/privacy/")


def test_quick_exit_button_replaces_the_page_in_the_history(page, exit_url):
    visit_two_pages_then_the_sign_in_page(page)

    page.get_by_role("link", name="Leave this page quickly").click()

    assert_left_without_a_way_back(page, exit_url)


def test_pressing_shift_three_times_leaves_too(page, exit_url):
    visit_two_pages_then_the_sign_in_page(page)
    expect(page.get_by_text("or press Shift three times")).to_be_visible()

    for _ in range(3):
        page.keyboard.press("Shift")

    assert_left_without_a_way_back(page, exit_url)


def in_view(page, locator):
    box = locator.bounding_box()
    viewport = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
    )


def scrolls_sideways(page):
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_on_a_phone_the_exit_stays_in_view_and_back_finds_a_signed_out_page(
    phone, live_server, exit_url, group
):
    member = member_of(group, user__language="en").user
    thread = ThreadFactory(board=group.board, author=member)
    for _ in range(12):
        PostFactory(thread=thread, author=member, body="Een lang verhaal. " * 40)
    sign_in_as(phone.context, member, live_server)

    phone.goto("/home/")
    expect(phone.get_by_role("button", name="Sign out")).to_be_visible()
    phone.goto(f"/boards/t/{thread.code}/")
    expect(phone.get_by_role("button", name="Sign out")).to_be_attached()
    check_accessibility(phone)
    assert not scrolls_sideways(phone)

    exit_button = phone.get_by_role("link", name="Leave this page quickly")
    phone.mouse.wheel(0, 6000)
    phone.wait_for_function("window.scrollY > 2000")
    assert in_view(phone, exit_button)
    # Nothing on top of it: the tap lands on the button itself.
    box = exit_button.bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert phone.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('[data-quick-exit]') !== null",
        list(centre),
    )

    exit_button.tap()

    expect(phone).to_have_url(exit_url)
    expect(phone.get_by_role("link", name="Sign in")).to_be_visible()
    phone.go_back()
    # The member's home, asked again (never cached): signed out, so the sign-in page.
    expect(phone).to_have_url(re.compile(r"/accounts/login/\?next=/members/$"))
    expect(phone.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Sign In")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_safety_pages_pass_axe_and_fit_a_phone(browser, live_server, language):
    context = browser.new_context(base_url=live_server.url, locale=language, viewport=PHONE)
    page = context.new_page()
    try:
        for path in ["/help/", "/browsing/", "/guidelines/", "/privacy/", "/"]:
            response = page.goto(path)
            assert response.status == 200, path
            check_accessibility(page)
            assert not scrolls_sideways(page), path
            page.mouse.wheel(0, 4000)
            assert in_view(page, page.locator("[data-quick-exit]")), path
    finally:
        context.close()
