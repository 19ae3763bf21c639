"""Every page a person can reach passes axe-core, for every role, in Dutch
(the first language) and in French."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from members.services import add_intake_note, message_applicant

from ..factories import ApplicantFactory, CoordinatorFactory, GroupFactory, facilitator_of
from .conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = [
    "landing",
    "help",
    "privacy",
    "account_login",
    "account_signup",
    "account_reset_password",
    "members:too_young",
    "second_factor_required",
]
SIGNED_IN = [
    "account_email",
    "account_change_password",
    "mfa_index",
    "usersessions_list",
    "account_reauthenticate",
]


def sign_in_as(context, user, live_server):
    """Put a signed-in session cookie into the browser."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert page.url.endswith(url), f"{url} went to {page.url}"
    check_accessibility(page)


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_page_passes_axe(browser, live_server, language):
    context = browser.new_context(base_url=live_server.url, locale=language)
    page = context.new_page()
    for name in PUBLIC:
        visit(page, reverse(name))

    coordinator = CoordinatorFactory(language=language)
    applicant = ApplicantFactory(
        user__language=language, phone="+32470123456", contact_preference="phone"
    )
    add_intake_note(coordinator, applicant, "Eerste gesprek")
    message_applicant(coordinator, applicant, "Past donderdag?")
    member = facilitator_of(GroupFactory(), user__language=language)

    sign_in_as(context, applicant.user, live_server)
    for url in [reverse("members:status"), reverse("members:profile"), reverse("members:withdraw")]:
        visit(page, url)

    sign_in_as(context, member.user, live_server)
    for url in [
        reverse("members:member_home"),
        reverse("members:pause"),
        reverse("members:leave"),
        reverse("members:facilitator_home"),
        *map(reverse, SIGNED_IN),
    ]:
        visit(page, url)

    sign_in_as(context, coordinator, live_server)
    for url in [
        reverse("members:intake_queue"),
        reverse("members:application", args=[applicant.code]),
        reverse("members:application", args=[member.code]),
        reverse("members:audit_log"),
    ]:
        visit(page, url)
    context.close()
