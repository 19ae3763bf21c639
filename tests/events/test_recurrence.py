"""Series on the wall clock of Brussels: 19:00 stays 19:00 across daylight saving."""

from datetime import UTC, date, time, timedelta

import pytest
from django.utils import timezone

from events import services
from events.recurrence import BRUSSELS, occurrence_dates

from .conftest import brussels

pytestmark = pytest.mark.django_db


def plan(facilitator, group, **fields):
    defaults = {
        "frequency": "two_weekly",
        "start_time": time(19),
        "duration": timedelta(hours=2),
        "capacity": 8,
        "rsvp_closes_before": timedelta(0),
        "address": "Kerkstraat 1",
    }
    return services.plan_series(facilitator.member, group, **(defaults | fields))


def local_starts(series):
    return [
        timezone.localtime(meeting.starts_at, BRUSSELS)
        for meeting in series.meetings.order_by("starts_at")
    ]


def test_every_two_weeks_stays_at_19h_when_summer_time_starts(facilitator, group, travel):
    travel(brussels(2027, 3, 1))

    series = plan(facilitator, group, starts_on=date(2027, 3, 16), count=4)

    starts = local_starts(series)
    assert [s.date() for s in starts] == [
        date(2027, 3, 16),
        date(2027, 3, 30),
        date(2027, 4, 13),
        date(2027, 4, 27),
    ]
    assert {s.time() for s in starts} == {time(19)}
    # Summer time starts on 28 March 2027: the offset changes, the wall clock does not.
    assert [s.utcoffset() for s in starts] == [timedelta(hours=1)] + [timedelta(hours=2)] * 3
    utc_hours = [m.starts_at.astimezone(UTC).hour for m in series.meetings.all()]
    assert utc_hours == [18, 17, 17, 17]
    assert all(m.ends_at - m.starts_at == timedelta(hours=2) for m in series.meetings.all())


def test_every_two_weeks_stays_at_19h_when_summer_time_ends(facilitator, group, travel):
    travel(brussels(2027, 10, 1))

    series = plan(facilitator, group, starts_on=date(2027, 10, 19), count=3)

    starts = local_starts(series)
    assert [s.date() for s in starts] == [date(2027, 10, 19), date(2027, 11, 2), date(2027, 11, 16)]
    assert {s.time() for s in starts} == {time(19)}
    assert [s.utcoffset() for s in starts] == [timedelta(hours=2)] + [timedelta(hours=1)] * 2


def test_answers_close_the_same_wall_clock_time_before_each_meeting(facilitator, group, travel):
    travel(brussels(2027, 3, 1))

    series = plan(
        facilitator,
        group,
        starts_on=date(2027, 3, 23),
        count=2,
        rsvp_closes_before=timedelta(hours=2),
    )

    closes = [timezone.localtime(m.rsvp_closes_at, BRUSSELS) for m in series.meetings.all()]
    assert [c.time() for c in closes] == [time(17), time(17)]


def test_every_four_weeks(facilitator, group, travel):
    travel(brussels(2027, 3, 1))

    series = plan(facilitator, group, frequency="four_weekly", starts_on=date(2027, 3, 2), count=3)

    assert [s.date() for s in local_starts(series)] == [
        date(2027, 3, 2),
        date(2027, 3, 30),
        date(2027, 4, 27),
    ]


def test_monthly_on_the_same_nth_weekday(facilitator, group, travel):
    travel(brussels(2027, 3, 1))

    # The second Tuesday of March.
    series = plan(facilitator, group, frequency="monthly", starts_on=date(2027, 3, 9), count=4)

    assert [s.date() for s in local_starts(series)] == [
        date(2027, 3, 9),
        date(2027, 4, 13),
        date(2027, 5, 11),
        date(2027, 6, 8),
    ]


def test_monthly_on_a_fifth_weekday_means_the_last_one():
    # 30 March 2027 is the fifth Tuesday; April and May have only four.
    assert occurrence_dates("monthly", date(2027, 3, 30), count=4) == [
        date(2027, 3, 30),
        date(2027, 4, 27),
        date(2027, 5, 25),
        date(2027, 6, 29),
    ]


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        ({"count": 3}, 3),
        ({"ends_on": date(2027, 4, 27)}, 4),  # the last date itself counts
        ({"ends_on": date(2027, 4, 26)}, 3),
        ({"ends_on": date(2027, 4, 27), "count": 2}, 2),  # whichever comes first
        ({"ends_on": date(2027, 3, 30), "count": 10}, 2),
    ],
)
def test_a_series_ends_after_a_count_or_on_a_date(facilitator, group, travel, end, expected):
    travel(brussels(2027, 3, 1))

    series = plan(facilitator, group, starts_on=date(2027, 3, 16), **end)

    assert series.meetings.count() == expected


def test_a_series_needs_an_end(facilitator, group, travel):
    travel(brussels(2027, 3, 1))

    with pytest.raises(services.MeetingError):
        plan(facilitator, group, starts_on=date(2027, 3, 16))

    assert not group.series.exists()
    assert not group.meetings.exists()


def test_only_future_occurrences_become_meetings(facilitator, group, travel):
    travel(brussels(2027, 3, 20))

    series = plan(facilitator, group, starts_on=date(2027, 3, 2), count=4)

    # 2 and 16 March have passed; the count still counts them.
    assert [s.date() for s in local_starts(series)] == [date(2027, 3, 30), date(2027, 4, 13)]


def test_dateutil_is_not_given_both_a_count_and_an_end(recwarn):
    occurrence_dates("weekly", date(2027, 3, 2), ends_on=date(2027, 5, 1), count=3)

    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]
