"""Not a test: `pytest tests/measure/reminders_speed.py -s` prints how many
reminders per second queue_due_reminders queues, with 2,000 due (40
meetings of 50 members going, half of them English, a tenth discreet)."""

import os
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from echo.models import OutgoingEmail
from events import reminders
from events.models import Rsvp

from ..factories import GroupFactory, MeetingFactory, member_of

pytestmark = pytest.mark.django_db


def test_queue_2000_due_reminders():
    now = timezone.now()
    for g in range(40):
        group = GroupFactory(name=f"Groep {g}")
        starts_at = now + timedelta(days=1, minutes=-30)
        meeting = MeetingFactory(
            group=group, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2)
        )
        members = [
            member_of(
                group,
                reminder_offsets=[24 * 60, 2 * 60],
                emails="discreet" if i % 10 == 0 else "unnamed",
            )
            for i in range(50)
        ]
        for i, m in enumerate(members):
            if i % 2:
                m.user.language = "en"
                m.user.save(update_fields=["language"])
        Rsvp.objects.bulk_create(
            Rsvp(
                meeting=meeting,
                member=m,
                answer=Rsvp.Answer.GOING,
                answered_at=now - timedelta(days=3),
            )
            for m in members
        )
    # As in a worker that has run before: the URL patterns are loaded once.
    reverse("members:home")
    started = time.perf_counter()
    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        with cProfile.Profile() as profile:
            queued = reminders.queue_due_reminders()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    else:
        queued = reminders.queue_due_reminders()
    seconds = time.perf_counter() - started
    assert queued == 2000 == OutgoingEmail.objects.filter(kind="events.reminder").count()
    print(f"\n{queued} reminders queued in {seconds:.2f} s: {queued / seconds:,.0f} per second")
    assert reminders.queue_due_reminders() == 0
