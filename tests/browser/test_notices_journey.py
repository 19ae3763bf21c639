"""A member with discreet emails reads a facilitator's message to the group
only inside Echo: the email holds a link and nothing else; the inbox, the
notice and the group page hold the message, and the unread count goes down."""

import re

import pytest
from playwright.sync_api import expect

from members.models import Member

from ..factories import GroupFactory, facilitator_of, member_of
from .conftest import check_accessibility
from .test_journey import heading
from .test_meeting_journey import facilitator_signs_in, go_to, member_signs_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUP = "Woensdaggroep"
MESSAGE = "Volgende week start de bijeenkomst een halfuur later, om half acht."
PHONE = {"width": 390, "height": 844}


def fits_a_phone(page):
    """The page does not scroll sideways at 390 px."""
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    page.set_viewport_size({"width": 1280, "height": 800})


def notices_link(page):
    return page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(r"^Notices")
    )


def test_a_discreet_member_reads_a_facilitators_message_only_inside_echo(open_browser, mailoutbox):
    group = GroupFactory(name=GROUP)
    facilitator = facilitator_of(group, pseudonym="Vuurtoren", user__language="en")
    reader = member_of(
        group, pseudonym="Kraanvogel", user__language="en", emails=Member.Emails.DISCREET
    )

    # The facilitator writes to the group.
    facilitator_page = open_browser()
    facilitator_signs_in(facilitator_page, facilitator)
    go_to(facilitator_page, "Facilitation", "Facilitation")
    facilitator_page.get_by_role("main").get_by_role("link", name=GROUP).click()
    facilitator_page.get_by_role("main").get_by_role("link", name="Write to the group").click()
    facilitator_page.get_by_role("main").get_by_label("Message").fill(MESSAGE)
    facilitator_page.get_by_role("main").get_by_role("button", name="Send").click()
    expect(facilitator_page.get_by_role("status")).to_contain_text("1")

    # The email holds a link to Echo and nothing of the message or the group.
    (email,) = [m for m in mailoutbox if m.to == [reader.user.email]]
    for part in [email.subject, email.body, *(c for c, _type in email.alternatives)]:
        assert "halfuur" not in part and GROUP not in part and "Vuurtoren" not in part
    assert "/groups/" in email.body

    # The member signs in: one unread notice in the navigation.
    page = open_browser()
    member_signs_in(page, reader)
    expect(notices_link(page)).to_have_text("Notices 1 unread")
    notices_link(page).click()
    expect(heading(page)).to_have_text("Notices")
    check_accessibility(page)
    fits_a_phone(page)

    # The notice holds the message; opening it marks it read.
    page.get_by_role("main").get_by_role("link", name="Message from a facilitator").click()
    expect(heading(page)).to_have_text("Message from a facilitator")
    expect(page.get_by_role("main")).to_contain_text(MESSAGE)
    expect(notices_link(page)).to_have_text("Notices")
    check_accessibility(page)
    fits_a_phone(page)

    # And the group page shows it among the facilitators' messages.
    page.get_by_role("main").get_by_role("link", name="Go to the page").click()
    expect(heading(page)).to_have_text(GROUP)
    messages = page.get_by_role("region", name="Messages from the facilitators")
    expect(messages).to_contain_text(MESSAGE)
    expect(messages).to_contain_text("Vuurtoren wrote")
    check_accessibility(page)
    fits_a_phone(page)

    # The choice of emails says plainly what each means.
    page.goto("/me/emails/")
    expect(heading(page)).to_have_text("Emails from Echo")
    expect(page.get_by_role("main")).to_contain_text("no group, no date, no message")
    check_accessibility(page)
    fits_a_phone(page)
    page.get_by_role("main").get_by_label(re.compile(r"none: notices only inside Echo")).check()
    page.get_by_role("main").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Your choice of emails is saved.")
    reader.refresh_from_db()
    assert reader.emails == Member.Emails.NONE
