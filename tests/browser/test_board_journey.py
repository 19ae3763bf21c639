"""A group's board in a real browser: a new member's first post waits for the
facilitator; a safety concern jumps the queue and is handled.

1. A new member starts a conversation on their group's board: it waits for
   approval, and they are told so.
2. The facilitator signs in with their second factor, opens the review queue,
   and approves it; the member now sees it published.
3. Another member reports someone's post as a safety concern.
4. The facilitator, told by an email that holds only a link, finds it first in
   the queue (before a post that has waited longer) and hides it.
5. The moderation log shows the concern and the hiding.

Each person has their own browser; every page on the way is checked with axe.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from boards import services
from boards.models import Post

from ..factories import (
    PASSWORD,
    GroupFactory,
    PostFactory,
    ThreadFactory,
    facilitator_of,
    member_of,
)
from .conftest import check_accessibility
from .test_journey import heading
from .test_meeting_journey import bodies, facilitator_signs_in, go_to, member_signs_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUP = "Dinsdagavond"
WORRYING = "I do not know how much longer I can carry this."


def open_group_board(page):
    go_to(page, "Boards", "Boards")
    page.get_by_role("main").get_by_role("link", name=GROUP).first.click()
    expect(heading(page)).to_have_text(GROUP)
    check_accessibility(page)


def click_through(page, title):
    """Follow the link named `title` to the page headed the same."""
    page.get_by_role("link", name=title).click()
    expect(heading(page)).to_have_text(title)
    check_accessibility(page)


def open_review_queue(page):
    go_to(page, "Boards", "Boards")
    page.get_by_role("main").get_by_role("link", name="Review queue").click()
    expect(heading(page)).to_have_text("Posts to review")
    check_accessibility(page)


def queue_items(page):
    return page.get_by_role("main").get_by_role("article")


def test_a_first_post_is_approved_and_a_safety_concern_is_handled_first(open_browser, mailoutbox):
    group = GroupFactory(name=GROUP)
    facilitator = facilitator_of(group, pseudonym="Vuurtoren", user__language="en")
    newcomer = member_of(group, pseudonym="Kraanvogel", user__language="en")
    regular = member_of(group, pseudonym="Ijsvogel", user__language="en")
    worried = member_of(group, pseudonym="Zwaluw", user__language="en")
    # Someone who has posted before writes the worrying post; an older post
    # of another newcomer has been waiting for a day.
    thread = ThreadFactory(board=group.board, author=regular.user, title="Rough week")
    PostFactory(thread=thread, body="Anyone else finding this week hard?")
    worrying = PostFactory(thread=thread, author=regular.user, body=WORRYING)
    waiting = services.reply(member_of(group).user, thread, body="Me too, a bit.")
    Post.objects.filter(pk=waiting.pk).update(review_since=timezone.now() - timedelta(days=1))

    # 1. The newcomer's first post waits.
    newcomer_page = open_browser()
    member_signs_in(newcomer_page, newcomer)
    open_group_board(newcomer_page)
    click_through(newcomer_page, "Start a new conversation")
    form = newcomer_page.get_by_role("main")
    form.get_by_label("Title", exact=False).fill("Hello from a new member")
    form.get_by_label("Message", exact=False).first.fill("Glad to be here. **Thank you** all.")
    form.get_by_role("button", name="Publish").click()
    expect(heading(newcomer_page)).to_have_text("Hello from a new member")
    expect(newcomer_page.get_by_role("status")).to_contain_text("approv")
    expect(newcomer_page.get_by_role("main")).to_contain_text("waiting for approval")
    check_accessibility(newcomer_page)
    first_post = Post.objects.get(thread__title="Hello from a new member")
    assert first_post.state == "pending"

    # 2. The facilitator approves it.
    facilitator_page = open_browser()
    facilitator_signs_in(facilitator_page, facilitator)
    open_review_queue(facilitator_page)
    item = queue_items(facilitator_page).filter(has_text="Hello from a new member")
    item.get_by_role("link").click()
    expect(heading(facilitator_page)).to_have_text("Review a post")
    check_accessibility(facilitator_page)
    facilitator_page.get_by_role("button", name="Approve and publish").click()
    expect(facilitator_page.get_by_role("status")).to_be_visible()
    check_accessibility(facilitator_page)
    first_post.refresh_from_db()
    assert first_post.state == "published"
    newcomer_page.reload()
    expect(newcomer_page.get_by_role("main")).not_to_contain_text("waiting for approval")
    expect(newcomer_page.get_by_role("main")).to_contain_text("Thank you")

    # 3. Another member reports the worrying post as a safety concern.
    worried_page = open_browser()
    member_signs_in(worried_page, worried)
    open_group_board(worried_page)
    click_through(worried_page, "Rough week")
    worried_page.locator(f"#post-{worrying.code}").get_by_role("link", name="Report").click()
    expect(heading(worried_page)).to_have_text("Report a message")
    check_accessibility(worried_page)
    worried_page.get_by_label("I am worried about someone's safety").check()
    worried_page.get_by_role("button", name="Send the report").click()
    expect(worried_page.get_by_role("status")).to_contain_text("Thank you")
    check_accessibility(worried_page)

    # The facilitator is told at once, with a link and nothing of the post.
    told = [m for m in mailoutbox if facilitator.user.email in m.to]
    assert len(told) == 1
    assert all(WORRYING not in body and "Rough week" not in body for body in bodies(told[0]))

    # 4. First in the queue, before the post that has waited a day; hidden.
    open_review_queue(facilitator_page)
    expect(queue_items(facilitator_page)).to_have_count(2)
    expect(queue_items(facilitator_page).first).to_contain_text("Safety concern")
    expect(queue_items(facilitator_page).nth(1)).not_to_contain_text("Safety concern")
    queue_items(facilitator_page).first.get_by_role("link").click()
    expect(heading(facilitator_page)).to_have_text("Review a post")
    expect(facilitator_page.get_by_role("main")).to_contain_text(WORRYING)
    check_accessibility(facilitator_page)
    facilitator_page.get_by_role("button", name="Hide the post").click()
    expect(facilitator_page.get_by_role("status")).to_be_visible()
    worrying.refresh_from_db()
    assert worrying.state == "hidden"
    assert worrying.safety_concern_since is None
    worried_page.goto(f"/boards/t/{thread.code}/")
    expect(worried_page.get_by_role("main")).not_to_contain_text(WORRYING)

    # 5. The log tells what happened.
    facilitator_page.get_by_role("main").get_by_role("link", name="Moderation log").first.click()
    expect(heading(facilitator_page)).to_have_text("Moderation log")
    check_accessibility(facilitator_page)
    log = facilitator_page.get_by_role("main")
    expect(log).to_contain_text("safety concern raised")
    expect(log).to_contain_text("hid a post")
    expect(log).to_contain_text("approved a post")
    expect(log).to_contain_text("Vuurtoren")
    assert PASSWORD not in facilitator_page.content()
