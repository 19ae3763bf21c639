"""A survivor joins Echo and a coordinator lets them in, in a real browser.

Every page on the way is checked with axe. The pages are in English: the browser
asks for English and both people have chosen English as their language.
"""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from members.models import Member

from ..factories import PASSWORD, TOTP_SECRET, CoordinatorFactory
from .conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PSEUDONYM = "Zeemeeuw"
EMAIL = "zeemeeuw@example.org"
MEMBER_PASSWORD = "a long and quiet passphrase"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^\s/]+/")
TOTP_PERIOD = 30


def current_totp_code():
    """The coordinator's authenticator code, not about to expire.

    allauth accepts only the current 30-second window (no tolerance), so wait
    for the next window rather than type a code that expires on the way.
    """
    remaining = TOTP_PERIOD - time.time() % TOTP_PERIOD
    if remaining < 3:
        time.sleep(remaining + 0.1)
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // TOTP_PERIOD))


def heading(page):
    return page.get_by_role("heading", level=1)


def sign_in(page, email, password):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    expect(heading(page)).to_have_text("Sign In")
    check_accessibility(page)
    main = page.get_by_role("main")
    main.get_by_role("textbox", name="Email").fill(email)
    main.get_by_label("Password").fill(password)
    main.get_by_role("button", name="Sign In", exact=True).click()


def sign_out(page):
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Sign out").click()
    expect(nav.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def test_a_survivor_applies_and_the_coordinator_of_their_region_approves(page, mailoutbox):
    coordinator = CoordinatorFactory(language="en", coordinator_region="antwerpen")

    # 1. From the landing page to the sign-up form, which is the application.
    page.goto("/")
    expect(heading(page)).to_have_text("Welcome to Echo")
    check_accessibility(page)
    page.get_by_role("main").get_by_role("link", name="Join Echo").click()

    expect(heading(page)).to_have_text("Sign Up")
    check_accessibility(page)
    form = page.get_by_role("main")
    form.get_by_label("Pseudonym").fill(PSEUDONYM)
    form.get_by_role("textbox", name="Email").fill(EMAIL)
    form.get_by_label("Password").fill(MEMBER_PASSWORD)
    form.get_by_label("Yes, I am 18 or older").check()
    form.get_by_label("Region").select_option(value="antwerpen")
    form.get_by_label("Language").select_option(label="English")
    form.get_by_label("by email, through Echo").check()
    # Contact by email: the phone number is not asked for.
    expect(form.get_by_label("Phone number")).to_be_hidden()
    form.get_by_label("I have read and agree to the privacy statement").check()
    form.get_by_role("button", name="Sign Up").click()

    expect(heading(page)).to_have_text("Verify Your Email Address")
    check_accessibility(page)

    # 2. The link in the email confirms the address; then they sign in.
    assert [message.to for message in mailoutbox] == [[EMAIL]]
    link = CONFIRM_LINK.search(mailoutbox[0].body)
    assert link, mailoutbox[0].body
    page.goto(link.group(0))
    expect(heading(page)).to_have_text("Confirm Email Address")
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    check_accessibility(page)
    page.get_by_role("main").get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_contain_text(f"You have confirmed {EMAIL}.")

    sign_in(page, EMAIL, MEMBER_PASSWORD)
    expect(heading(page)).to_have_text("Your application")
    expect(page.get_by_role("main").locator(".status")).to_have_text("applied")
    expect(page.get_by_text("Please confirm your email address first")).to_have_count(0)
    check_accessibility(page)
    sign_out(page)

    # 3. The coordinator of the region signs in with a second factor and approves.
    sign_in(page, coordinator.email, PASSWORD)
    expect(heading(page)).to_have_text("Two-Factor Authentication")
    check_accessibility(page)
    page.get_by_role("main").get_by_role("textbox", name="Code").fill(current_totp_code())
    page.get_by_role("main").get_by_role("button", name="Sign In", exact=True).click()

    expect(heading(page)).to_have_text("Intake")
    check_accessibility(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=PSEUDONYM))
    expect(row).to_contain_text("applied")
    expect(row).to_contain_text("by email, through Echo")
    row.get_by_role("link", name=PSEUDONYM).click()

    expect(heading(page)).to_have_text(PSEUDONYM)
    expect(page.get_by_role("main").locator(".status")).to_have_text("applied")
    check_accessibility(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_have_text("The application is updated.")
    expect(page.get_by_role("main").locator(".status")).to_have_text("active")
    assert Member.objects.get(pseudonym=PSEUDONYM).status == Member.Status.ACTIVE
    # The decision is told by email, after the confirmation email.
    assert [message.to for message in mailoutbox] == [[EMAIL], [EMAIL]]
    sign_out(page)

    # 4. The new member signs in and is welcomed.
    sign_in(page, EMAIL, MEMBER_PASSWORD)
    expect(heading(page)).to_have_text(f"Welcome, {PSEUDONYM}")
    check_accessibility(page)
