"""The member home with everything on it, on a 390 px phone: axe-clean and
no sideways scroll, in Dutch and French."""

from datetime import timedelta

import pytest
from django.utils import timezone

from boards.models import Post
from events import services as events
from members.models import Notice

from ..factories import (
    JoinRequestFactory,
    MeetingFactory,
    PostFactory,
    ThreadFactory,
    facilitator_of,
    member_of,
)
from .conftest import check_accessibility
from .test_accessibility import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_a_full_member_home_fits_a_phone(browser, live_server, group, language):
    facilitator = facilitator_of(group, user__language=language)
    now = timezone.now()
    full = MeetingFactory(group=group, capacity=1)
    events.answer(member_of(group), full, going=True)
    events.answer(facilitator, full, going=True)  # on the waiting list
    for days in (3, 4):
        MeetingFactory(
            group=group,
            starts_at=full.starts_at + timedelta(days=days),
            ends_at=full.ends_at + timedelta(days=days),
            rsvp_closes_at=full.starts_at + timedelta(days=days),
        )
    MeetingFactory(
        group=group,
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2) + timedelta(hours=2),
        rsvp_closes_at=now - timedelta(days=2),
    )
    author = member_of(group).user
    thread = ThreadFactory(
        board=group.board, author=author, title="Een gesprek met een nogal lange titel erbij"
    )
    PostFactory(thread=thread, author=author)
    PostFactory(
        thread=thread,
        author=author,
        state=Post.State.PENDING,
        published_at=None,
        review_since=now,
        safety_concern_since=now,
    )
    JoinRequestFactory(group=group)
    Notice.objects.create(
        user=facilitator.user,
        kind=Notice.Kind.NEW_SIGN_IN,
        params={"browser": "Firefox", "system": "Android"},
    )

    context = browser.new_context(
        base_url=live_server.url,
        locale=language,
        timezone_id="Europe/Brussels",
        viewport={"width": 390, "height": 844},
    )
    sign_in_as(context, facilitator.user, live_server)
    page = context.new_page()
    response = page.goto("/members/")
    assert response.status == 200
    for heading in ("home-going", "home-open", "home-notices", "home-news", "home-waiting"):
        assert page.locator(f"#{heading}").count() == 1, heading
    check_accessibility(page)
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    context.close()
