"""A sign-in from a new browser shows up inside Echo, and the person signs the
other browser out from their profile, in two real browsers."""

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD, GroupFactory, member_of
from .conftest import check_accessibility
from .test_journey import heading, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_browser_is_noticed_and_signed_out_from_the_profile(open_browser):
    person = member_of(GroupFactory(), user__language="en").user
    mine = open_browser()
    mine.goto("/")
    sign_in(mine, person.email, PASSWORD)
    expect(heading(mine)).to_contain_text("Welcome")
    # The first sign-in of an account: every browser is new, nothing to tell.
    mine.goto("/me/")
    expect(mine.get_by_text("New sign-in")).to_have_count(0)

    theirs = open_browser()
    theirs.goto("/")
    sign_in(theirs, person.email, PASSWORD)
    expect(heading(theirs)).to_contain_text("Welcome")

    mine.goto("/me/")
    check = mine.get_by_role("region", name="Security check")
    expect(check).to_contain_text("New sign-in on Chrome on Linux at")
    expect(check).to_contain_text("Signed in on 2 devices, this one included.")
    check_accessibility(mine)
    check.get_by_role("button", name="Sign out everywhere else").click()
    expect(mine.get_by_role("status")).to_have_text("You are signed out on 1 other device.")
    expect(check).to_contain_text("Signed in on 1 device: this one.")
    check.get_by_role("button", name="That was me").click()
    expect(check.get_by_text("New sign-in")).to_have_count(0)

    theirs.goto("/me/")
    expect(theirs).to_have_url("/accounts/login/?next=/me/")
