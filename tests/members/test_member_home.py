"""The member home: what comes, what is new and what waits, in the person's
language, with the weekday of every date."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from boards.models import Post, ThreadRead
from events import services as meetings
from events.models import Meeting
from events.recurrence import BRUSSELS
from members.models import Notice

from ..factories import (
    ApplicantFactory,
    CoordinatorFactory,
    JoinRequestFactory,
    MeetingFactory,
    MemberFactory,
    PostFactory,
    ThreadFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

HOME = reverse("members:member_home")
# Sunday 29 November 2026, noon in Brussels: the home is read then.
NOW = datetime(2026, 11, 29, 12, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day, hour=19):
    """A meeting time in Brussels, in December 2026."""
    return datetime(2026, 12, day, hour, tzinfo=BRUSSELS)


def meeting(group, day, **fields):
    starts = at(day)
    return MeetingFactory(
        group=group,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        **{"rsvp_closes_at": starts} | fields,
    )


def home(client, user, language="nl"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def section(page, heading_id):
    """The text of the home's section whose heading has `heading_id`."""
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


# Meetings


def test_the_next_meetings_one_goes_to_show_weekday_date_time_and_group_in_dutch(
    client, member, group
):
    going = meeting(group, 1)  # Tuesday 1 December
    meetings.answer(member.member, going, going=True)

    page = section(home(client, member), "home-going")

    assert "dinsdag 1 december 2026, 19:00" in page
    assert group.name in page
    assert reverse("events:meeting", args=[going.code]) in page


def test_in_french_the_weekday_and_month_are_french(client, member, group):
    going = meeting(group, 7)  # Monday 7 December
    meetings.answer(member.member, going, going=True)

    page = section(home(client, member, "fr"), "home-going")

    assert "lundi 7 décembre 2026 à 19:00" in page


def test_times_are_in_the_person_s_time_zone(client, member, group):
    going = meeting(group, 7)
    meetings.answer(member.member, going, going=True)
    member.time_zone = "Europe/London"
    member.save(update_fields=["time_zone"])  # the account's

    assert "maandag 7 december 2026, 18:00" in section(home(client, member), "home-going")


def test_one_on_the_waiting_list_reads_their_number(client, member, group):
    full = meeting(group, 2, capacity=1)
    meetings.answer(member_of(group), full, going=True)
    meetings.answer(member_of(group), full, going=True)  # first on the list
    meetings.answer(member.member, full, going=True)

    page = section(home(client, member, "en"), "home-going")

    assert "you are on the waiting list, number 2" in page


def test_meetings_not_answered_yet_wait_with_a_way_to_answer(client, member, group, other_group):
    open_ = meeting(group, 3)
    declined = meeting(group, 4)
    meetings.answer(member.member, declined, going=False)
    cancelled = meeting(group, 5, cancelled_at=timezone.now())
    closed = meeting(group, 6, rsvp_closes_at=NOW - timedelta(hours=1))
    elsewhere = meeting(other_group, 3)

    page = home(client, member, "en")
    waiting = section(page, "home-open")

    assert reverse("events:rsvp", args=[open_.code]) in waiting
    for not_waiting in (declined, cancelled, closed, elsewhere):
        assert not_waiting.code not in waiting
    assert elsewhere.code not in page
    # Nothing answered "going": the first section says what to do.
    assert "You have not said yet that you are going to a meeting." in section(page, "home-going")


def test_answering_from_the_home_records_the_answer(client, member, group):
    open_ = meeting(group, 3)
    home(client, member)

    client.post(reverse("events:rsvp", args=[open_.code]), {"going": "1"})

    assert open_.rsvps.get().answer == "going"
    page = client.get(HOME).content.decode()
    assert 'id="home-open"' not in page
    assert reverse("events:meeting", args=[open_.code]) in section(page, "home-going")


def test_a_few_of_many_meetings_are_shown_and_the_rest_counted(client, member, group):
    for day in range(1, 11):
        meeting(group, day)

    page = section(home(client, member, "en"), "home-open")

    assert page.count('name="going" value="1"') == 5
    assert "5 more meetings wait for your answer" in page


# Groups


def test_someone_without_a_group_is_told_how_to_find_one(client, group):
    loner = MemberFactory(region=group.region).user

    page = home(client, loner, "en")

    assert "You are not in a group yet." in section(page, "home-groups")
    assert reverse("groups:groups") in section(page, "home-groups")
    assert "You have not said yet that you are going to a meeting." in page
    assert 'id="home-open"' not in page


# Notices


def test_unread_notices_are_counted_and_the_newest_shown(client, member):
    unread = [
        Notice.objects.create(user=member, kind=Notice.Kind.NEW_SIGN_IN, params={"browser": b})
        for b in ("Firefox", "Safari", "Chrome", "Edge")
    ]
    read = Notice.objects.create(
        user=member, kind=Notice.Kind.NEW_SIGN_IN, params={"browser": "Opera"}, read_at=NOW
    )

    page = section(home(client, member, "en"), "home-notices")

    assert "You have 4 unread notices" in page
    assert "Sign-in from a new browser" in page
    # The newest three, each a link to the notice; not the oldest, not the read one.
    shown = {n.code for n in unread + [read] if reverse("members:notice", args=[n.code]) in page}
    assert shown == {n.code for n in unread[1:]}


def test_without_notices_the_home_says_where_they_will_appear(client, member):
    page = section(home(client, member, "en"), "home-notices")

    assert "No new notices." in page


# Boards


def test_threads_with_new_posts_in_one_s_boards(client, member, group, other_group):
    someone = member_of(group).user
    new = ThreadFactory(board=group.board, author=someone, title="Nieuw gesprek")
    PostFactory(thread=new, author=someone)
    read = ThreadFactory(board=group.board, author=someone, title="Al gelezen")
    PostFactory(thread=read, author=someone)
    ThreadRead.objects.create(thread=read, user=member, read_at=timezone.now())
    own = ThreadFactory(board=group.board, author=member, title="Mijn eigen")
    PostFactory(thread=own, author=member)
    stranger = member_of(other_group).user
    elsewhere = ThreadFactory(board=other_group.board, author=stranger, title="Elders")
    PostFactory(thread=elsewhere, author=stranger)

    page = home(client, member)
    news = section(page, "home-news")

    assert "Nieuw gesprek" in news
    assert "Al gelezen" not in news and "Mijn eigen" not in news
    assert "Elders" not in page


def test_nothing_new_on_the_boards_says_where_to_go(client, member):
    page = section(home(client, member, "en"), "home-news")

    assert "Nothing new on your boards." in page
    assert reverse("boards:index") in page


# What waits for facilitators and coordinators


def test_a_facilitator_sees_what_waits_for_them(client, facilitator, group):
    JoinRequestFactory(group=group)
    author = member_of(group).user
    thread = ThreadFactory(board=group.board, author=author)
    PostFactory(
        thread=thread,
        author=author,
        state=Post.State.PENDING,
        published_at=None,
        review_since=timezone.now(),
    )
    past = meeting(group, 1)
    Meeting.objects.filter(pk=past.pk).update(
        starts_at=NOW - timedelta(days=2), ends_at=NOW - timedelta(days=2) + timedelta(hours=2)
    )

    page = section(home(client, facilitator, "en"), "home-waiting")

    assert "1 request to join is waiting" in page
    assert reverse("groups:roster", args=[group.code]) in page
    assert "1 post waits for a moderator" in page
    assert reverse("events:record_attendance", args=[past.code]) in page


def test_a_facilitator_with_nothing_waiting_is_told_so(client, facilitator):
    page = section(home(client, facilitator, "en"), "home-waiting")

    assert "Nothing waits for you as a facilitator right now." in page


def test_a_plain_member_sees_nothing_of_a_facilitator_s_work(client, member, group):
    JoinRequestFactory(group=group)
    past = meeting(group, 1)
    Meeting.objects.filter(pk=past.pk).update(
        starts_at=NOW - timedelta(days=2), ends_at=NOW - timedelta(days=1)
    )

    page = home(client, member, "en")

    assert 'id="home-waiting"' not in page
    assert "request to join" not in page
    assert reverse("events:record_attendance", args=[past.code]) not in page


def test_a_coordinator_who_is_a_member_sees_the_applications_of_their_region(client, group):
    coordinator = CoordinatorFactory(coordinator_region=group.region)
    member_of(group, user=coordinator)
    ApplicantFactory(region=group.region)
    ApplicantFactory(region=group.region, status="in_intake")
    ApplicantFactory(region="limburg")

    page = section(home(client, coordinator, "en"), "home-intake")

    assert "2 applications are open in your region" in page
    assert "1 of them waits to be taken in" in page


def test_members_see_no_intake(client, member):
    assert 'id="home-intake"' not in home(client, member)


def test_dates_far_ahead_keep_their_year_and_weekday(client, member, group):
    later = MeetingFactory(
        group=group,
        starts_at=datetime(2028, 1, 3, 19, tzinfo=BRUSSELS),
        ends_at=datetime(2028, 1, 3, 21, tzinfo=BRUSSELS),
        rsvp_closes_at=datetime(2028, 1, 3, 19, tzinfo=BRUSSELS),
    )
    meetings.answer(member.member, later, going=True)

    assert "maandag 3 januari 2028, 19:00" in section(home(client, member), "home-going")
