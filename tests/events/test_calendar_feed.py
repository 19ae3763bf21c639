"""The private calendar feed: the token's life, what the feed holds and what
it never holds, time zones, changes and cancellations.

Feeds are read back with an independent parser (icalendar plus
recurring-ical-events), as a calendar app would.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurring_ical_events
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from echo.models import AuditEntry
from events import services
from events.models import CalendarFeed, Meeting, Rsvp, hash_token
from events.recurrence import BRUSSELS
from members.services import leave_echo, pause_membership

from ..discretion import revealing_words
from ..factories import GroupFactory, MeetingFactory, facilitator_of, member_of

pytestmark = pytest.mark.django_db

# A name that would give Echo away: it must never reach a calendar.
GROUP_NAME = "Overlevers Kerkstraat dinsdag"


@pytest.fixture
def group():
    return GroupFactory(name=GROUP_NAME)


@pytest.fixture
def me(group):
    return member_of(group)


@pytest.fixture
def facilitator(group):
    return facilitator_of(group)


def create_feed(member, action="create"):
    """POST the settings page as `member`; the feed's path and the response."""
    client = Client()
    client.force_login(member.user)
    response = client.post(reverse("events:calendar"), {"action": action})
    assert response.status_code == 200
    url = response.context["feed_url"]
    assert url.startswith(settings.SITE_URL)
    return url.removeprefix(settings.SITE_URL), response


def fetch(path):
    """The feed as a calendar app fetches it: no session, no cookie."""
    return Client().get(path)


def parse(path):
    response = fetch(path)
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def events_by_uid(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(meeting):
    return f"{meeting.code}@echo"


# The token's life


def test_creating_shows_the_url_once_and_stores_only_its_hash(me):
    path, response = create_feed(me)
    token = path.removeprefix("/").split("/")[-1].removesuffix(".ics")
    assert path == reverse("events:feed", args=[token])
    content = response.content.decode()
    assert settings.SITE_URL + path in content
    webcal = "webcal://" + (settings.SITE_URL + path).split("://", 1)[1]
    assert webcal in content
    # The page with the secret is not kept by the browser.
    assert "no-store" in response["Cache-Control"]

    feed = CalendarFeed.objects.get(member=me)
    assert feed.token_hash == hash_token(token)
    assert fetch(path).status_code == 200

    # Shown once: afterwards the page says a feed exists, without the URL.
    client = Client()
    client.force_login(me.user)
    again = client.get(reverse("events:calendar")).content.decode()
    assert token not in again
    assert 'value="renew"' in again and 'value="stop"' in again
    assert 'value="create"' not in again

    entry = AuditEntry.objects.get(action="events.calendar_feed.created")
    assert entry.actor_code == me.user.code
    assert entry.target_code == me.code
    assert entry.region == me.region
    assert token not in str(entry.detail)


def test_renewing_gives_a_new_url_and_the_old_one_stops_at_once(me):
    old_path, _response = create_feed(me)
    assert fetch(old_path).status_code == 200

    new_path, response = create_feed(me, action="renew")
    assert new_path != old_path
    assert response.context["renewed"] is True
    assert fetch(old_path).status_code == 404
    assert fetch(new_path).status_code == 200
    assert CalendarFeed.objects.filter(member=me).count() == 1
    entry = AuditEntry.objects.get(action="events.calendar_feed.renewed")
    assert entry.target_code == me.code
    for path in (old_path, new_path):
        token = path.split("/")[-1].removesuffix(".ics")
        assert not AuditEntry.objects.filter(detail__icontains=token).exists()


def test_stopping_deletes_the_feed_and_its_url_stops_working(me):
    path, _response = create_feed(me)
    client = Client()
    client.force_login(me.user)

    response = client.post(reverse("events:calendar"), {"action": "stop"})

    assert response.status_code == 302
    assert fetch(path).status_code == 404
    assert not CalendarFeed.objects.filter(member=me).exists()
    assert AuditEntry.objects.filter(
        action="events.calendar_feed.stopped", target_code=me.code
    ).exists()
    page = client.get(reverse("events:calendar")).content.decode()
    assert 'value="create"' in page and 'value="stop"' not in page


def test_stopping_without_a_feed_changes_and_records_nothing(me):
    client = Client()
    client.force_login(me.user)
    client.post(reverse("events:calendar"), {"action": "stop"})
    assert not AuditEntry.objects.filter(action__startswith="events.calendar_feed.").exists()


def test_an_unknown_token_is_not_found(me):
    create_feed(me)
    assert fetch(reverse("events:feed", args=["not-a-token"])).status_code == 404


@pytest.mark.parametrize("step", [pause_membership, leave_echo])
def test_the_feed_of_a_member_who_paused_or_left_is_not_found(me, step):
    path, _response = create_feed(me)
    assert fetch(path).status_code == 200

    step(me)

    assert fetch(path).status_code == 404


def test_another_members_token_never_shows_my_meetings(me, group):
    mine = MeetingFactory(group=group, address="Mijnstraat 1")
    services.answer(me, mine, going=True)
    other_group = GroupFactory(name="Andere groep")
    other = member_of(other_group)
    theirs = MeetingFactory(group=other_group, address="Hunstraat 2")
    services.answer(other, theirs, going=True)
    create_feed(me)
    their_path, _response = create_feed(other)

    response = fetch(their_path)

    assert set(events_by_uid(Calendar.from_ical(response.content))) == {uid(theirs)}
    assert b"Mijnstraat" not in response.content
    assert mine.code.encode() not in response.content


def test_the_settings_page_is_linked_from_the_profile_of_active_members_only(me):
    client = Client()
    client.force_login(me.user)
    link = reverse("events:calendar")
    assert link in client.get(reverse("members:profile")).content.decode()

    pause_membership(me)

    assert link not in client.get(reverse("members:profile")).content.decode()


# What the feed holds


def test_the_feed_is_a_private_neutral_calendar_with_the_brussels_time_zone(me, group):
    meeting = MeetingFactory(group=group)
    services.answer(me, meeting, going=True)
    path, _response = create_feed(me)

    response = fetch(path)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["PRODID"]) == "-//Echo//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Echo"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Brussels"
    text = response.content.decode()
    assert "DTSTART;TZID=Europe/Brussels:" in text
    assert "DTEND;TZID=Europe/Brussels:" in text

    event = events_by_uid(calendar)[uid(meeting)]
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert event["DTSTART"].dt == meeting.starts_at
    assert event["DTEND"].dt == meeting.ends_at
    assert str(event["SUMMARY"]) == "Echo"
    meeting_url = settings.SITE_URL + reverse("events:meeting", args=[meeting.code])
    assert str(event["DESCRIPTION"]) == meeting_url
    assert str(event["LOCATION"]) == "Kerkstraat 1, 2000 Antwerpen"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == meeting.sequence
    # iCalendar counts in whole seconds.
    assert event["DTSTAMP"].dt == meeting.updated_at.replace(microsecond=0)
    assert event["LAST-MODIFIED"].dt == meeting.updated_at.replace(microsecond=0)
    # The practical notes are for the meeting's page, not the calendar.
    assert "blauwe deur" not in text


def test_the_time_zone_in_the_feed_itself_gives_the_right_offsets(me, group):
    """The VTIMEZONE alone (not the parser's own database) knows the changes."""
    with time_machine.travel(datetime(2027, 3, 1, 12, tzinfo=BRUSSELS), tick=False):
        winter = MeetingFactory(group=group, starts_at=datetime(2027, 3, 23, 19, tzinfo=BRUSSELS))
        summer = MeetingFactory(group=group, starts_at=datetime(2027, 4, 6, 19, tzinfo=BRUSSELS))
        for meeting in (winter, summer):
            services.answer(me, meeting, going=True)
        path, _response = create_feed(me)
        (vtimezone,) = parse(path).walk("VTIMEZONE")

    from_feed = vtimezone.to_tz(lookup_tzid=False)
    assert datetime(2027, 3, 23, 19, tzinfo=from_feed).utcoffset() == timedelta(hours=1)
    assert datetime(2027, 4, 6, 19, tzinfo=from_feed).utcoffset() == timedelta(hours=2)


def test_only_meetings_i_am_going_to_appear_and_only_they_have_a_place(me, group):
    other = member_of(group)
    going = MeetingFactory(group=group, address="Gaanstraat 1")
    full = MeetingFactory(group=group, capacity=1, address="Wachtstraat 2")
    declined = MeetingFactory(group=group, address="Neestraat 3")
    unanswered = MeetingFactory(group=group, address="Stilstraat 4")
    cancelled = MeetingFactory(group=group, address="Afgelaststraat 5")
    online = MeetingFactory(
        group=group, place_kind="online", address="", online_link="https://meet.example.org/x1"
    )
    services.answer(me, going, going=True)
    services.answer(other, full, going=True)
    assert services.answer(me, full, going=True).answer == Rsvp.Answer.WAITING
    services.answer(me, declined, going=True)
    services.answer(me, declined, going=False)
    services.answer(me, cancelled, going=True)
    services.answer(me, online, going=True)
    services.cancel_meeting(facilitator_of(group).user, cancelled)
    path, _response = create_feed(me)

    response = fetch(path)

    events = events_by_uid(Calendar.from_ical(response.content))
    assert set(events) == {uid(going), uid(cancelled), uid(online)}
    assert str(events[uid(going)]["LOCATION"]) == "Gaanstraat 1"
    assert str(events[uid(online)]["LOCATION"]) == "https://meet.example.org/x1"
    assert str(events[uid(cancelled)]["STATUS"]) == "CANCELLED"
    assert "LOCATION" not in events[uid(cancelled)]
    assert {str(event["SUMMARY"]) for event in events.values()} == {"Echo"}
    text = response.content.decode()
    for hidden in ("Wachtstraat", "Neestraat", "Stilstraat", "Afgelaststraat"):
        assert hidden not in text
    for hidden in (full, declined, unanswered):
        assert hidden.code not in text


def test_nothing_in_the_feed_names_the_group_or_what_echo_is_about(me, group):
    for days in (2, 16, 30):
        meeting = MeetingFactory(
            group=group,
            starts_at=datetime.combine(
                timezone.localdate() + timedelta(days=days), time(19), tzinfo=BRUSSELS
            ),
        )
        services.answer(me, meeting, going=True)
    path, _response = create_feed(me)

    text = fetch(path).content.decode()

    assert text.count("BEGIN:VEVENT") == 3
    assert revealing_words(GROUP_NAME), "the test's group name must be revealing"
    assert GROUP_NAME.lower() not in text.lower()
    assert "overlever" not in text.lower()
    assert revealing_words(text) == []
    assert me.pseudonym not in text


def test_meetings_drop_out_of_the_feed_90_days_after_they_started(me, group):
    meeting = MeetingFactory(group=group)
    services.answer(me, meeting, going=True)
    path, _response = create_feed(me)

    with time_machine.travel(meeting.starts_at + timedelta(days=89), tick=False):
        assert uid(meeting) in events_by_uid(parse(path))
    with time_machine.travel(meeting.starts_at + timedelta(days=91), tick=False):
        assert uid(meeting) not in events_by_uid(parse(path))


# Time zones across a daylight-saving change


def test_a_two_weekly_series_stays_at_19_00_in_brussels_across_summer_time(me, group):
    with time_machine.travel(datetime(2027, 3, 1, 12, tzinfo=BRUSSELS), tick=False):
        series = services.plan_series(
            facilitator_of(group),
            group,
            frequency="two_weekly",
            starts_on=date(2027, 3, 9),
            start_time=time(19),
            duration=timedelta(hours=2),
            count=4,
            capacity=12,
            rsvp_closes_before=timedelta(0),
            place_kind="in_person",
            address="Reeksstraat 7",
        )
        for meeting in series.meetings.all():
            services.answer(me, meeting, going=True)
        path, _response = create_feed(me)
        calendar = parse(path)

    occurrences = recurring_ical_events.of(calendar).between(
        datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 5, 1, tzinfo=UTC)
    )
    starts = sorted(event["DTSTART"].dt for event in occurrences)
    assert [start.astimezone(BRUSSELS).date() for start in starts] == [
        date(2027, 3, 9),
        date(2027, 3, 23),
        date(2027, 4, 6),
        date(2027, 4, 20),
    ]
    for start in starts:
        assert start.astimezone(BRUSSELS).time() == time(19)
        assert str(start.tzinfo) == "Europe/Brussels"
    # Summer time starts on 28 March 2027: an hour earlier in UTC after it.
    assert [start.astimezone(UTC).hour for start in starts] == [18, 18, 17, 17]
    for event in occurrences:
        assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(hours=2)


# Changes and cancellations


def test_moving_a_meeting_changes_its_start_and_raises_its_sequence(me, group, facilitator):
    meeting = MeetingFactory(group=group)
    services.answer(me, meeting, going=True)
    path, _response = create_feed(me)
    before = events_by_uid(parse(path))[uid(meeting)]

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        services.update_meeting(
            facilitator.user,
            meeting,
            starts_at=meeting.starts_at + timedelta(days=1, hours=1),
            ends_at=meeting.ends_at + timedelta(days=1, hours=1),
        )
    after = events_by_uid(parse(path))[uid(meeting)]

    assert after["DTSTART"].dt == before["DTSTART"].dt + timedelta(days=1, hours=1)
    assert after["DTEND"].dt == before["DTEND"].dt + timedelta(days=1, hours=1)
    assert after["DTSTART"].dt.astimezone(BRUSSELS).hour == 20
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt
    assert after["DTSTAMP"].dt > before["DTSTAMP"].dt
    assert str(after["UID"]) == str(before["UID"])
    assert str(after["STATUS"]) == "CONFIRMED"


def test_a_cancelled_meeting_is_marked_cancelled_without_its_place(me, group, facilitator):
    meeting = MeetingFactory(group=group)
    services.answer(me, meeting, going=True)
    path, _response = create_feed(me)
    before = events_by_uid(parse(path))[uid(meeting)]
    assert str(before["STATUS"]) == "CONFIRMED"
    assert "LOCATION" in before

    services.cancel_meeting(facilitator.user, meeting)

    response = fetch(path)
    after = events_by_uid(Calendar.from_ical(response.content))[uid(meeting)]
    assert str(after["STATUS"]) == "CANCELLED"
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert "LOCATION" not in after
    assert b"Kerkstraat" not in response.content
    assert str(after["SUMMARY"]) == "Echo"


# Cost


FEED_QUERIES = 2  # the feed by its token's hash (with its member), the meetings


@pytest.mark.parametrize("count", [1, 50])
def test_the_feed_makes_the_same_number_of_queries_for_1_or_50_meetings(
    me, group, count, django_assert_num_queries
):
    start = timezone.now() + timedelta(days=2)
    meetings = [
        MeetingFactory(
            group=group,
            starts_at=start + timedelta(days=7 * n),
            ends_at=start + timedelta(days=7 * n, hours=2),
        )
        for n in range(count)
    ]
    Rsvp.objects.bulk_create(
        Rsvp(meeting=meeting, member=me, answer=Rsvp.Answer.GOING) for meeting in meetings
    )
    path, _response = create_feed(me)

    with django_assert_num_queries(FEED_QUERIES):
        response = fetch(path)

    assert response.status_code == 200
    assert response.content.decode().count("BEGIN:VEVENT") == count
    assert Meeting.objects.count() == count
