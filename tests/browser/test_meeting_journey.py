"""A facilitator plans a series; two members want the last seat, in a real browser.

1. A facilitator signs in with their second factor, opens their group and plans
   a meeting every two weeks, in person, with a single place.
2. Member A says they are going: they take the last seat and see the address.
3. Member B says they are going too: they are first on the waiting list and do
   not see the address.
4. Member A can no longer come and says so.
5. Member B moves up: they are going, see the address, and were told by an
   email that does not contain it.

Each person uses their own browser (a separate context), as on their own
device. Every page on the way is checked with axe, and the pages are in English:
the browsers ask for English and every person has chosen English.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Meeting, Rsvp, Series
from events.recurrence import BRUSSELS

from ..factories import PASSWORD, GroupFactory, facilitator_of, member_of
from .conftest import check_accessibility
from .test_journey import current_totp_code, heading, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUP = "Dinsdagavond"
ADDRESS = "Lange Nieuwstraat 7, 2000 Antwerpen"
NOTES = "Ring the bell of the green door."
MEETINGS = 6
PROMOTED_SUBJECT = "Echo: a place for you"


# Steps


def arrive(page):
    page.goto("/")
    expect(heading(page)).to_have_text("Welcome to Echo")
    check_accessibility(page)


def member_signs_in(page, member):
    arrive(page)
    sign_in(page, member.user.email, PASSWORD)
    expect(heading(page)).to_have_text(f"Welcome, {member.pseudonym}")
    check_accessibility(page)


def facilitator_signs_in(page, facilitator):
    """Password first, then the code of their authenticator app."""
    arrive(page)
    sign_in(page, facilitator.user.email, PASSWORD)
    expect(heading(page)).to_have_text("Two-Factor Authentication")
    check_accessibility(page)
    main = page.get_by_role("main")
    main.get_by_role("textbox", name="Code").fill(current_totp_code())
    main.get_by_role("button", name="Sign In", exact=True).click()
    expect(heading(page)).to_have_text(f"Welcome, {facilitator.pseudonym}")
    check_accessibility(page)


def go_to(page, link, title):
    """Follow a link of the main navigation to the page titled `title`."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True).click()
    expect(heading(page)).to_have_text(title)
    check_accessibility(page)


def plan_two_weekly_series(page, first_day):
    """Fill in the plan form; Django's labels end in a colon."""
    form = page.get_by_role("main")
    form.get_by_label("Date:", exact=True).fill(first_day.isoformat())
    form.get_by_label("Starts at:", exact=True).fill("19:00")
    form.get_by_label("Ends at:", exact=True).fill("21:00")
    form.get_by_role("group", name="Repeats:").get_by_label("every two weeks").check()
    form.get_by_label("Number of meetings:", exact=True).fill(str(MEETINGS))
    form.get_by_label("Places:", exact=True).fill("1")
    form.get_by_role("group", name="Where:").get_by_label("in person").check()
    form.get_by_label("Address:", exact=True).fill(ADDRESS)
    form.get_by_label("Practical notes:", exact=True).fill(NOTES)
    form.get_by_role("button", name="Plan", exact=True).click()


def open_first_meeting(page, group_name):
    """From "Meetings" in the navigation to the first meeting in the list."""
    go_to(page, "Meetings", "My meetings")
    first = page.get_by_role("main").get_by_role("row").nth(1)  # after the header row
    expect(first).to_contain_text(group_name)
    expect(first).to_contain_text("not answered yet")
    first.get_by_role("link").click()
    expect(heading(page)).to_have_text(f"Meeting of {group_name}")
    check_accessibility(page)


def answer(page, button, told):
    page.get_by_role("main").get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("status")).to_have_text(told)
    check_accessibility(page)


def your_answer(page):
    return page.get_by_role("region", name="Your answer", exact=True)


def place(page):
    return page.get_by_role("region", name="Place", exact=True)


def sees_the_place(page):
    expect(place(page)).to_contain_text(ADDRESS)
    expect(place(page)).to_contain_text(NOTES)


def does_not_see_the_place(page):
    expect(place(page)).to_contain_text("The place is shown to those who are going.")
    expect(page.locator("body")).not_to_contain_text(ADDRESS)
    expect(page.locator("body")).not_to_contain_text(NOTES)


def answers(meeting):
    return {rsvp.member.pseudonym: rsvp.answer for rsvp in meeting.rsvps.select_related("member")}


def bodies(message):
    return [message.body, *(content for content, _type in getattr(message, "alternatives", []))]


# The journey


def test_a_member_moves_up_from_the_waiting_list_when_the_last_seat_frees(open_browser, mailoutbox):
    group = GroupFactory(name=GROUP)
    facilitator = facilitator_of(group, pseudonym="Vuurtoren", user__language="en")
    member_a = member_of(group, pseudonym="Kraanvogel", user__language="en")
    member_b = member_of(group, pseudonym="Reiger", user__language="en")
    first_day = timezone.localdate(timezone=BRUSSELS) + timedelta(days=7)

    # 1. The facilitator opens their group and plans a series with one place.
    facilitator_page = open_browser()
    facilitator_signs_in(facilitator_page, facilitator)
    go_to(facilitator_page, "Facilitation", "Facilitation")
    facilitator_page.get_by_role("main").get_by_role("link", name=GROUP).click()
    expect(heading(facilitator_page)).to_have_text(GROUP)
    check_accessibility(facilitator_page)
    facilitator_page.get_by_role("main").get_by_role("link", name="Plan a meeting").click()
    expect(heading(facilitator_page)).to_have_text("Plan a meeting")
    check_accessibility(facilitator_page)
    plan_two_weekly_series(facilitator_page, first_day)

    expect(facilitator_page.get_by_role("status")).to_have_text("The meetings are planned.")
    expect(heading(facilitator_page)).to_have_text(f"Meeting of {GROUP}")
    sees_the_place(facilitator_page)  # facilitators always see the place
    check_accessibility(facilitator_page)

    series = Series.objects.get(group=group)
    assert series.frequency == Series.Frequency.TWO_WEEKLY
    meetings = list(series.meetings.order_by("starts_at"))
    assert len(meetings) == MEETINGS
    starts = [timezone.localtime(meeting.starts_at, BRUSSELS) for meeting in meetings]
    assert [start.date() for start in starts] == [
        first_day + timedelta(weeks=2 * n) for n in range(MEETINGS)
    ]
    assert {(start.hour, start.minute) for start in starts} == {(19, 0)}
    assert {(meeting.capacity, meeting.address) for meeting in meetings} == {(1, ADDRESS)}
    meeting = meetings[0]
    assert facilitator_page.url.endswith(f"/{meeting.code}/")

    # 2. Member A takes the one place and sees where the meeting is.
    page_a = open_browser()
    member_signs_in(page_a, member_a)
    open_first_meeting(page_a, GROUP)
    assert page_a.url.endswith(f"/{meeting.code}/")
    does_not_see_the_place(page_a)
    answer(page_a, "Going", "You are going.")
    expect(your_answer(page_a)).to_contain_text("You are going.")
    sees_the_place(page_a)
    assert answers(meeting) == {"Kraanvogel": Rsvp.Answer.GOING}

    # 3. Member B finds the meeting full: they join the waiting list, no address.
    page_b = open_browser()
    member_signs_in(page_b, member_b)
    open_first_meeting(page_b, GROUP)
    expect(your_answer(page_b)).to_contain_text("This meeting is full.")
    answer(page_b, "Going: join the waiting list", "You are on the waiting list (position 1).")
    expect(your_answer(page_b)).to_contain_text("You are on the waiting list, at position 1.")
    does_not_see_the_place(page_b)
    assert answers(meeting) == {
        "Kraanvogel": Rsvp.Answer.GOING,
        "Reiger": Rsvp.Answer.WAITING,
    }
    assert mailoutbox == []

    # 4. Member A can no longer come; the address is no longer shown to them.
    answer(page_a, "Not going", "You are not going.")
    expect(your_answer(page_a)).to_contain_text("You are not going.")
    does_not_see_the_place(page_a)

    # 5. Member B moved up: going, with the address, and told by email.
    assert answers(meeting) == {
        "Kraanvogel": Rsvp.Answer.NOT_GOING,
        "Reiger": Rsvp.Answer.GOING,
    }
    page_b.reload()
    expect(heading(page_b)).to_have_text(f"Meeting of {GROUP}")
    expect(your_answer(page_b)).to_contain_text("You are going.")
    sees_the_place(page_b)
    check_accessibility(page_b)
    go_to(page_b, "Meetings", "My meetings")
    first_row = page_b.get_by_role("main").get_by_role("row").nth(1)
    expect(first_row.get_by_role("cell").last).to_have_text("going")  # the answer column
    expect(page_b.locator("body")).not_to_contain_text(ADDRESS)  # never in a list

    (told,) = mailoutbox
    assert told.to == [member_b.user.email]
    assert told.subject == PROMOTED_SUBJECT
    assert "you are now going" in told.body
    for body in [told.subject, *bodies(told)]:
        assert ADDRESS not in body
        assert "Lange Nieuwstraat" not in body
        assert NOTES not in body
    assert Meeting.objects.get(pk=meeting.pk).rsvps.filter(answer=Rsvp.Answer.GOING).count() == 1
