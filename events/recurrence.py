"""Dates of a series, computed on the wall clock of Europe/Brussels.

A series is a rule on local dates (python-dateutil's rrule); each date is
combined with the local start time and only then turned into an instant, so a
meeting at 19:00 stays at 19:00 when summer time starts or ends.
"""

from datetime import datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil import rrule

BRUSSELS = ZoneInfo("Europe/Brussels")
# Without an end date or a count a series would be endless; no series plans
# further ahead than this many meetings, nor past a year and a half.
MAX_OCCURRENCES = 100
MAX_SPAN = timedelta(days=550)

WEEKLY_INTERVALS = {"weekly": 1, "two_weekly": 2, "four_weekly": 4}


def nth_weekday(day):
    """1 for the first Monday of a month, ..., -1 for the last one (a 5th
    weekday does not exist every month, so it means the last)."""
    n = (day.day - 1) // 7 + 1
    return -1 if n == 5 else n


def occurrence_dates(frequency, starts_on, *, ends_on=None, count=None):
    """The local dates of a series, in order."""
    if frequency in WEEKLY_INTERVALS:
        rule = {"freq": rrule.WEEKLY, "interval": WEEKLY_INTERVALS[frequency]}
    else:
        weekday = rrule.weekday(starts_on.weekday())
        rule = {"freq": rrule.MONTHLY, "byweekday": weekday(nth_weekday(starts_on))}
    until = min(ends_on or starts_on + MAX_SPAN, starts_on + MAX_SPAN)
    # The rule ends at `until`; the count is applied afterwards, because
    # dateutil deprecates giving a rule both (RFC 5545 forbids it).
    dates = rrule.rrule(
        dtstart=datetime.combine(starts_on, datetime.min.time()),
        until=datetime.combine(until, datetime.min.time()),
        **rule,
    )
    limit = min(count or MAX_OCCURRENCES, MAX_OCCURRENCES)
    return [moment.date() for moment in islice(dates, limit)]


def local_instant(day, time):
    """The aware instant of a wall-clock time on a date in Brussels."""
    return datetime.combine(day, time, tzinfo=BRUSSELS)
