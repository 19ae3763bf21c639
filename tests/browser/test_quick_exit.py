"""The quick exit leaves Echo at once and leaves no way Back to the page."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def exit_url(settings, live_server):
    # A page of the live server itself: the tests must not reach outside hosts.
    settings.QUICK_EXIT_URL = f"{live_server.url}/help/?left=echo"
    return settings.QUICK_EXIT_URL


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
