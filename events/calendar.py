"""The iCalendar of a member's private feed: the meetings they are going to.

Discretion first: every entry is called "Echo" and describes only the link to
the meeting's page; never the group, never a word about what Echo is for. The
place is given because the feed holds only meetings the member is going to;
a cancelled meeting keeps its entry (so calendar apps remove it) but loses
its place.
"""

from datetime import UTC, date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vDuration

from .models import Meeting, Rsvp
from .recurrence import BRUSSELS

PRODID = "-//Echo//EN"
NAME = "Echo"
# Meetings that started longer ago than this drop out of the feed.
HISTORY = timedelta(days=90)
# How often calendar apps are asked to look again (they may take longer).
REFRESH = timedelta(hours=1)


def meetings_for(member, now=None):
    """The meetings `member` is going to, from HISTORY ago on: one query.

    A member's answer stays "going" when a meeting is cancelled, so cancelled
    meetings are included; the feed marks them as cancelled.
    """
    since = (now or timezone.now()) - HISTORY
    return (
        Meeting.objects.filter(
            rsvps__member=member, rsvps__answer=Rsvp.Answer.GOING, starts_at__gte=since
        )
        # Never needed in a calendar: not even decrypted.
        .defer("practical_notes")
        .order_by("starts_at", "pk")
    )


def meeting_url(meeting):
    return settings.SITE_URL + reverse("events:meeting", args=[meeting.code])


def _event(meeting):
    url = meeting_url(meeting)
    event = Event()
    event.add("uid", f"{meeting.code}@echo")
    event.add("dtstamp", meeting.updated_at.astimezone(UTC))
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    event.add("created", meeting.created_at.astimezone(UTC))
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.starts_at.astimezone(BRUSSELS))
    event.add("dtend", meeting.ends_at.astimezone(BRUSSELS))
    event.add("summary", NAME)
    event.add("description", url)
    # Shared calendars show a private event as "busy" only.
    event.add("class", "PRIVATE")
    if meeting.is_cancelled:
        event.add("status", "CANCELLED")
        return event
    event.add("status", "CONFIRMED")
    place = meeting.online_link if meeting.is_online else meeting.address
    if place.strip():
        event.add("location", place.strip())
    return event


def _timezone(meetings):
    """Europe/Brussels with its transitions around the meetings' years."""
    years = [m.starts_at.astimezone(BRUSSELS).year for m in meetings]
    first = date(min(years) - 1, 1, 1)
    last = date(max(years) + 2, 1, 1)
    return Timezone.from_tzinfo(BRUSSELS, tzid="Europe/Brussels", first_date=first, last_date=last)


def build_calendar(meetings):
    """The feed's VCALENDAR for these meetings, as bytes."""
    meetings = list(meetings)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", NAME)
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    if meetings:
        calendar.add_component(_timezone(meetings))
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    return calendar.to_ical()


def feed_for(member, now=None):
    return build_calendar(meetings_for(member, now))
