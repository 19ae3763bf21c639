import pytest
from playwright.sync_api import expect
from .conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_probe(page):
    page.goto("/accounts/login/")
    check_accessibility(page)
    print("mfa_login forms:", page.locator("form#mfa_login").count())
    page.goto("/accounts/signup/")
    check_accessibility(page)
    expect(
        page.get_by_role("group", name="Are you 18 or older?").get_by_label("Yes, I am 18 or older")
    ).to_have_count(1)
    expect(
        page.get_by_role("group", name="How may we contact you for the intake?").get_by_label(
            "by email, through Echo"
        )
    ).to_have_count(1)
    page.get_by_label("by phone").check()
    expect(page.get_by_label("Phone number")).to_be_visible()
    page.get_by_label("by email, through Echo").check()
    expect(page.get_by_label("Phone number")).to_be_hidden()
    print("OK")
