"""Nothing written is lost when a session ends, in a real browser.

1. A member writes a reply; meanwhile their session ends on the server. They
   send it, are asked to sign in, sign in again, find their reply filled in
   again, send it, and it is published.
2. Before the idle limit a notice offers to stay signed in, reached by
   keyboard; staying keeps the session; later, left alone, the notice says
   the session has ended.
3. A long reply is saved as a draft while it is typed, and is there again
   after the tab was closed.
"""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from boards.models import Draft, Post

from ..factories import PASSWORD, GroupFactory, PostFactory, ThreadFactory, member_of
from .conftest import check_accessibility
from .test_journey import heading, sign_in
from .test_meeting_journey import member_signs_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUP = "Woensdaggroep"
TITLE = "Hoe gaat het deze week?"
REPLY = "It took me an hour to write this, and I want it to be read."


@pytest.fixture
def member():
    group = GroupFactory(name=GROUP)
    member = member_of(group, pseudonym="Reiger", user__language="en")
    thread = ThreadFactory(board=group.board, author=member.user, title=TITLE)
    # Posts before: the reply is published at once, not held for a moderator.
    for _ in range(3):
        PostFactory(thread=thread, author=member.user)
    return member


def open_the_conversation(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Boards").click()
    page.get_by_role("main").get_by_role("link", name=GROUP).first.click()
    page.get_by_role("main").get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    check_accessibility(page)


def test_a_reply_sent_after_the_session_expired_is_published_after_signing_in(page, member):
    member_signs_in(page, member)
    open_the_conversation(page)
    page.get_by_role("textbox", name="Message").fill(REPLY)

    Session.objects.all().delete()  # the session ends on the server
    page.get_by_role("button", name="Send the reply").click()

    expect(heading(page)).to_have_text("Sign In")
    expect(page.get_by_role("status")).to_contain_text("your message was not sent")
    check_accessibility(page)
    assert not Post.objects.filter(body=REPLY).exists()

    sign_in(page, member.user.email, PASSWORD)

    expect(heading(page)).to_have_text(f"Reply to “{TITLE}”")
    expect(page.get_by_role("status")).to_contain_text("filled in again")
    expect(page.get_by_role("textbox", name="Message")).to_have_value(REPLY)
    check_accessibility(page)
    page.get_by_role("button", name="Send the reply").click()

    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_contain_text("Your message is published.")
    expect(page.get_by_role("main").get_by_text(REPLY)).to_be_visible()
    assert Post.objects.filter(body=REPLY, author=member.user, state=Post.State.PUBLISHED).exists()


def test_a_notice_offers_to_stay_signed_in_then_says_the_session_ended(page, member, settings):
    # A short idle limit, and every request counts (not once a minute).
    settings.SESSION_IDLE_LIMIT = timedelta(seconds=15)
    settings.SESSION_ACTIVITY_WRITE_INTERVAL = timedelta(0)
    member_signs_in(page, member)
    notice = page.get_by_role("dialog", name="Are you still there?")
    stay = notice.get_by_role("button", name="Stay signed in")

    expect(notice).to_be_visible(timeout=20_000)
    expect(stay).to_be_focused()
    page.keyboard.press("Enter")

    expect(notice).to_be_hidden()
    # The server counted it: the session outlives the first limit.
    expect(notice).to_be_visible(timeout=20_000)
    check_accessibility(page)
    ended = page.get_by_role("dialog", name="Your session has ended")
    expect(ended).to_be_visible(timeout=20_000)
    expect(ended.get_by_role("link", name="Sign in again")).to_be_focused()
    check_accessibility(page)

    page.reload()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")
    ).to_be_visible()


def test_a_long_reply_survives_a_closed_tab_as_a_draft(browser_context, member):
    page = browser_context.new_page()
    member_signs_in(page, member)
    open_the_conversation(page)
    page.get_by_role("textbox", name="Message").fill(REPLY)

    # Saved by the script a few seconds after typing, without leaving the page.
    expect(page.get_by_text("Draft saved at")).to_be_visible(timeout=10_000)
    assert Draft.objects.get(author=member.user).body == REPLY
    page.close()

    page = browser_context.new_page()
    page.goto("/")
    open_the_conversation(page)
    expect(page.get_by_role("textbox", name="Message")).to_have_value(REPLY)
    expect(page.get_by_role("status")).to_contain_text("Your draft")
    page.get_by_role("button", name="Send the reply").click()

    expect(page.get_by_role("main").get_by_text(REPLY)).to_be_visible()
    assert not Draft.objects.exists()
