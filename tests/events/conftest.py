from datetime import datetime

import pytest
import time_machine

from events.recurrence import BRUSSELS


def brussels(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


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
