from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from events import services
from events.recurrence import BRUSSELS

ADDRESS = "Kerkstraat 1, 2000 Antwerpen"


def brussels(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


def weekly_series(facilitator, group, *, count, **fields):
    """Every week on Tuesday at 19:00 Brussels from 2 March 2027, planned by
    the `facilitator` user (travel to before that date first)."""
    return services.plan_series(
        facilitator.member,
        group,
        frequency="weekly",
        starts_on=date(2027, 3, 2),
        start_time=time(19),
        duration=timedelta(hours=2),
        count=count,
        capacity=8,
        address=ADDRESS,
        **fields,
    )


@pytest.fixture
def travel():
    """`travel(moment)` fixes the clock at `moment` until the test ends."""
    travellers = []

    def go(moment):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield go
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def english(member, facilitator, other_member):
    """Pages and messages in English, so tests can read them."""
    for user in (member, facilitator, other_member):
        user.language = "en"
        user.save(update_fields=["language"])
