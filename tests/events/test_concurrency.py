"""Many people taking the last seat at the same moment never overfill a meeting.

Only PostgreSQL runs transactions side by side with row locks; SQLite
serialises every write, so the test would prove nothing there.
"""

import threading
import time

import pytest
from django.db import connection

from events import services
from events.models import Rsvp

from ..factories import GroupFactory, MeetingFactory, member_of

CAPACITY = 5
RACERS = 8


@pytest.mark.django_db(transaction=True)
def test_the_last_seat_goes_to_exactly_one_person(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks and truly concurrent transactions")
    group = GroupFactory()
    meeting = MeetingFactory(group=group, capacity=CAPACITY)
    for _ in range(CAPACITY - 1):
        services.answer(member_of(group), meeting, going=True)
    racers = [member_of(group) for _ in range(RACERS)]

    # Widen the window between counting the seats and taking one, so that
    # without the lock every racer would see the last seat free.
    count_going = services.count_going

    def slow_count_going(meeting):
        going = count_going(meeting)
        time.sleep(0.2)
        return going

    monkeypatch.setattr(services, "count_going", slow_count_going)
    start = threading.Barrier(RACERS)
    answers, errors = {}, []

    def take_a_seat(member):
        try:
            start.wait()
            answers[member.pk] = services.answer(member, meeting, going=True).answer
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_a_seat, args=(member,)) for member in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert sorted(answers.values()) == ["going"] + ["waiting"] * (RACERS - 1)
    assert Rsvp.objects.filter(meeting=meeting, answer="going").count() == CAPACITY
    assert Rsvp.objects.filter(meeting=meeting, answer="waiting").count() == RACERS - 1
    # The waiting list has a strict order: nobody shares a place on it.
    positions = [
        services.waiting_position(rsvp)
        for rsvp in Rsvp.objects.filter(meeting=meeting, answer="waiting")
    ]
    assert sorted(positions) == list(range(1, RACERS))
