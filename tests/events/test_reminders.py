"""Meeting reminders and the facilitators' day-before list: when they go out
(on the Brussels wall clock for days), exactly once, never late, only to
those going, with the place only where it belongs."""

import contextlib
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from echo import tasks as echo_tasks
from echo.models import OutgoingEmail
from events import reminders, services
from events import tasks as event_tasks
from members import services as member_services
from members.forms import ProfileForm

from ..factories import MeetingFactory, member_of
from .conftest import ADDRESS, brussels

pytestmark = pytest.mark.django_db

NOTES = "Bel aan bij de blauwe deur."
LINK = "https://meet.example.org/geheim"
State = OutgoingEmail.State


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the beat task as Celery would, and deliver what it hands over."""

    def go():
        with django_capture_on_commit_callbacks(execute=True):
            return event_tasks.queue_due_reminders.delay().get()

    return go


@pytest.fixture
def meeting(group, member, travel, english):
    """19:00-21:00 on Wednesday 3 March 2027 in Brussels; `member` is going
    (they said so on 1 March)."""
    travel(brussels(2027, 3, 1))
    meeting = MeetingFactory(group=group, starts_at=brussels(2027, 3, 3, 19), practical_notes=NOTES)
    services.answer(member.member, meeting, going=True)
    return meeting


@contextlib.contextmanager
def broker_down():
    """Nothing reaches the worker: neither an email nor a batch of them."""
    with (
        mock.patch.object(echo_tasks.deliver_email, "delay", side_effect=ConnectionError),
        mock.patch.object(echo_tasks.deliver_due_emails, "delay", side_effect=ConnectionError),
    ):
        yield


def reminders_to(user):
    return [m for m in mail.outbox if m.to == [user.email] and "coming up" in m.subject]


def rows(kind="events.reminder"):
    return OutgoingEmail.objects.filter(kind=kind).order_by("due_at")


def set_offsets(user, offsets):
    user.member.reminder_offsets = offsets
    user.member.save(update_fields=["reminder_offsets"])


# When


def test_by_default_one_day_and_two_hours_before_each_exactly_once(member, meeting, travel, run):
    travel(brussels(2027, 3, 2, 18, 59))
    assert run() == 0
    assert mail.outbox == []

    travel(brussels(2027, 3, 2, 19))
    assert run() == 2  # the reminder, and the facilitator's list
    assert run() == 0  # the beat ran twice, or two beats ran at once
    travel(brussels(2027, 3, 2, 19, 1))
    run()
    assert len(reminders_to(member)) == 1

    travel(brussels(2027, 3, 3, 16, 59))
    run()
    assert len(reminders_to(member)) == 1
    travel(brussels(2027, 3, 3, 17))
    run()
    run()
    echo_tasks.sweep_outgoing_email.delay()

    assert len(reminders_to(member)) == 2
    assert [r.due_at for r in rows()] == [brussels(2027, 3, 2, 19), brussels(2027, 3, 3, 17)]
    assert {r.state for r in rows()} == {State.SENT}
    assert [r.key.rsplit(":", 1)[1] for r in rows()] == ["1440", "120"]


def test_members_choose_their_own_offsets(group, member, travel, run, english):
    set_offsets(member, [10080, 60])
    travel(brussels(2027, 2, 20))
    meeting = MeetingFactory(group=group, starts_at=brussels(2027, 3, 3, 19))
    services.answer(member.member, meeting, going=True)

    for moment in [
        brussels(2027, 2, 24, 18, 59),
        brussels(2027, 2, 24, 19),  # a week before
        brussels(2027, 3, 2, 19),  # a day before: not chosen
        brussels(2027, 3, 3, 17),  # two hours before: not chosen
        brussels(2027, 3, 3, 18),  # an hour before
    ]:
        travel(moment)
        run()

    assert [r.due_at for r in rows()] == [brussels(2027, 2, 24, 19), brussels(2027, 3, 3, 18)]
    assert len(reminders_to(member)) == 2


def test_members_can_switch_reminders_off(member, meeting, travel, run):
    set_offsets(member, [])

    for moment in [brussels(2027, 3, 2, 19), brussels(2027, 3, 3, 17), brussels(2027, 3, 3, 18)]:
        travel(moment)
        run()

    assert not rows().exists()
    assert reminders_to(member) == []


def test_a_day_before_is_on_the_wall_clock_when_summer_time_starts(
    group, member, travel, run, english
):
    # Sunday 28 March 2027: clocks go from 02:00 to 03:00 in Brussels.
    travel(brussels(2027, 3, 20))
    meeting = MeetingFactory(group=group, starts_at=brussels(2027, 3, 28, 19))
    services.answer(member.member, meeting, going=True)
    assert meeting.starts_at == datetime(2027, 3, 28, 17, tzinfo=UTC)

    travel(datetime(2027, 3, 27, 17, 59, tzinfo=UTC))
    run()
    assert not rows().exists()
    travel(datetime(2027, 3, 27, 18, tzinfo=UTC))  # 19:00 in Brussels, still winter time
    run()
    travel(datetime(2027, 3, 28, 14, 59, tzinfo=UTC))
    run()
    assert rows().count() == 1
    travel(datetime(2027, 3, 28, 15, tzinfo=UTC))  # 17:00 in Brussels, summer time
    run()

    assert [r.due_at for r in rows()] == [
        datetime(2027, 3, 27, 18, tzinfo=UTC),
        datetime(2027, 3, 28, 15, tzinfo=UTC),
    ]
    assert len(reminders_to(member)) == 2


@pytest.mark.parametrize(
    ("starts_at", "offset", "due"),
    [
        # Summer time ends on Sunday 31 October 2027: a day is 25 hours.
        (brussels(2027, 10, 31, 19), 1440, datetime(2027, 10, 30, 17, tzinfo=UTC)),
        (brussels(2027, 10, 31, 19), 120, datetime(2027, 10, 31, 16, tzinfo=UTC)),
        (brussels(2027, 11, 2, 19), 10080, datetime(2027, 10, 26, 17, tzinfo=UTC)),
        (brussels(2027, 11, 2, 19), 4320, datetime(2027, 10, 30, 17, tzinfo=UTC)),
        (brussels(2027, 11, 2, 19), 360, datetime(2027, 11, 2, 12, tzinfo=UTC)),
    ],
)
def test_days_follow_the_wall_clock_and_hours_pass_as_they_do(starts_at, offset, due):
    assert reminders.due_time(starts_at, offset) == due


def test_someone_going_late_gets_only_the_reminders_still_to_come(
    group, member, travel, run, english, django_assert_max_num_queries
):
    travel(brussels(2027, 3, 1))
    meeting = MeetingFactory(group=group, starts_at=brussels(2027, 3, 3, 19))
    travel(brussels(2027, 3, 3, 10))
    services.answer(member.member, meeting, going=True)

    for moment in [brussels(2027, 3, 3, 10, 1), brussels(2027, 3, 3, 17)]:
        travel(moment)
        run()

    assert [r.due_at for r in rows()] == [brussels(2027, 3, 3, 17)]
    with django_assert_max_num_queries(3):  # the one-day reminder is not even considered
        assert reminders.queue_due_reminders() == 0


# Late: never sent


@pytest.mark.parametrize(
    ("late", "sent"),
    [(timedelta(minutes=59), True), (timedelta(hours=1), False), (timedelta(hours=3), False)],
)
def test_a_reminder_found_too_late_is_marked_missed_and_never_sent(
    member, meeting, travel, run, late, sent
):
    # The beat (or its worker) was down when the one-day reminder was due.
    travel(brussels(2027, 3, 2, 19) + late)
    run()
    run()

    (reminder,) = rows()
    assert reminder.state == (State.SENT if sent else State.MISSED)
    assert len(reminders_to(member)) == int(sent)
    assert reminder.body_text == ""  # nothing unsent is kept

    travel(brussels(2027, 3, 3, 17))  # the two-hour one goes as usual
    run()
    assert len(reminders_to(member)) == int(sent) + 1


def test_a_reminder_handled_after_its_expiry_is_missed(member, meeting, travel, run):
    # Queued on time, but the broker was down and the sweep came late.
    travel(brussels(2027, 3, 2, 19))
    with broker_down():
        run()
    (reminder,) = rows()
    assert reminder.state == State.PENDING
    assert reminder.expires_at == brussels(2027, 3, 2, 20)

    travel(brussels(2027, 3, 2, 20, 1))
    echo_tasks.sweep_outgoing_email.delay()

    reminder.refresh_from_db()
    assert reminder.state == State.MISSED
    assert mail.outbox == []


def test_a_reminder_expires_an_hour_after_its_moment_and_at_the_latest_at_the_start():
    start = brussels(2027, 3, 3, 19)
    assert reminders.expiry(start, start - timedelta(hours=2)) == start - timedelta(hours=1)
    assert reminders.expiry(start, start - timedelta(minutes=30)) == start


# What: the place, only for those going, not in discreet mode


def test_the_reminder_holds_time_group_and_place_in_the_members_language_and_zone(
    member, meeting, travel, run
):
    member.time_zone = "Europe/London"
    member.save(update_fields=["time_zone"])
    member.member.emails = "full"
    member.member.save(update_fields=["emails"])
    travel(brussels(2027, 3, 2, 19))

    run()

    (message,) = reminders_to(member)
    html = message.alternatives[0].content
    for text in (message.body, html):
        assert "Wednesday 3 March 2027, 18:00" in text  # London is an hour behind
        assert meeting.group.name in text
        assert ADDRESS in text
        assert "blauwe deur" in text
    assert ADDRESS not in message.subject
    assert message.subject == "Echo: your meeting is coming up"


def test_the_reminder_is_in_dutch_for_a_dutch_member(member, meeting, travel, run):
    member.language = "nl"
    member.save(update_fields=["language"])
    travel(brussels(2027, 3, 2, 19))

    run()

    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    assert "woensdag 3 maart 2027, 19:00" in message.body
    assert ADDRESS in message.body


def test_an_online_meeting_reminder_holds_the_link(group, member, travel, run, english):
    travel(brussels(2027, 3, 1))
    meeting = MeetingFactory(
        group=group,
        starts_at=brussels(2027, 3, 3, 19),
        place_kind="online",
        address="",
        practical_notes="",
        online_link=LINK,
    )
    services.answer(member.member, meeting, going=True)
    travel(brussels(2027, 3, 2, 19))

    run()

    (message,) = reminders_to(member)
    assert LINK in message.body


def test_in_discreet_mode_the_reminder_says_only_that_there_is_news(member, meeting, travel, run):
    member.member.emails = "discreet"
    member.member.save(update_fields=["emails"])
    travel(brussels(2027, 3, 2, 19))

    run()

    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    html = message.alternatives[0].content
    for text in (message.subject, message.body, html):
        assert ADDRESS not in text
        assert NOTES not in text
        assert meeting.group.name not in text
        assert "March" not in text
    assert "There is news for you in Echo." in message.body


def test_only_those_going_get_a_reminder(
    group, member, travel, run, english, django_assert_max_num_queries
):
    waiting, not_going = member_of(group).user, member_of(group).user
    travel(brussels(2027, 3, 1))
    meeting = MeetingFactory(group=group, starts_at=brussels(2027, 3, 3, 19), capacity=1)
    services.answer(member.member, meeting, going=True)
    services.answer(waiting.member, meeting, going=True)  # full: on the waiting list
    services.answer(not_going.member, meeting, going=False)

    for moment in [brussels(2027, 3, 2, 19), brussels(2027, 3, 3, 17)]:
        travel(moment)
        run()

    assert {r.to for r in rows()} == {member.email}
    assert not [m for m in mail.outbox if m.to in ([waiting.email], [not_going.email])]
    with django_assert_max_num_queries(3):  # the others are not even considered
        assert reminders.queue_due_reminders() == 0


def test_a_member_promoted_from_the_waiting_list_is_reminded_from_then_on(
    group, member, travel, run, english
):
    waiting = member_of(group).user
    travel(brussels(2027, 3, 1))
    meeting = MeetingFactory(group=group, starts_at=brussels(2027, 3, 3, 19), capacity=1)
    services.answer(member.member, meeting, going=True)
    services.answer(waiting.member, meeting, going=True)
    travel(brussels(2027, 3, 2, 19))
    run()
    travel(brussels(2027, 3, 3, 9))
    services.answer(member.member, meeting, going=False)

    travel(brussels(2027, 3, 3, 17))
    run()

    assert [(r.to, r.due_at) for r in rows()] == [
        (member.email, brussels(2027, 3, 2, 19)),
        (waiting.email, brussels(2027, 3, 3, 17)),
    ]


# Cancelled and moved meetings


def test_a_cancelled_meeting_loses_its_pending_reminders_and_gets_no_new_ones(
    member, facilitator, meeting, travel, run, django_capture_on_commit_callbacks
):
    travel(brussels(2027, 3, 2, 19))
    with broker_down():
        run()  # queued, but the broker is down: it waits for the sweep
    (reminder,) = rows()
    assert reminder.state == State.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(facilitator, meeting)
    echo_tasks.sweep_outgoing_email.delay()
    travel(brussels(2027, 3, 3, 17))
    run()

    reminder.refresh_from_db()
    assert reminder.state == State.CANCELLED
    assert reminder.body_text == ""
    assert rows().count() == 1
    assert [m.subject for m in mail.outbox] == ["Echo: a meeting is cancelled"]


def test_a_moved_meeting_gets_reminders_for_its_new_time(
    member, facilitator, meeting, travel, run, django_capture_on_commit_callbacks
):
    travel(brussels(2027, 3, 2, 19))
    run()
    travel(brussels(2027, 3, 2, 20))
    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(facilitator, meeting, starts_at=brussels(2027, 3, 4, 19))

    for moment in [brussels(2027, 3, 3, 17), brussels(2027, 3, 3, 19), brussels(2027, 3, 4, 17)]:
        travel(moment)
        run()

    assert [(r.due_at, r.state) for r in rows()] == [
        (brussels(2027, 3, 2, 19), State.SENT),
        (brussels(2027, 3, 3, 19), State.SENT),
        (brussels(2027, 3, 4, 17), State.SENT),
    ]
    first, second, third = reminders_to(member)
    assert "3 March 2027" in first.body
    assert "4 March 2027" in second.body and "4 March 2027" in third.body


def test_a_reminder_pending_when_the_meeting_moves_is_not_sent_with_the_old_time(
    member, facilitator, meeting, travel, run
):
    travel(brussels(2027, 3, 2, 19))
    with broker_down():
        run()

    services.update_meeting(facilitator, meeting, starts_at=brussels(2027, 3, 10, 19))
    echo_tasks.sweep_outgoing_email.delay()

    assert rows().get().state == State.CANCELLED
    assert reminders_to(member) == []


def test_who_stops_going_gets_no_reminder_still_waiting_to_go_out(member, meeting, travel, run):
    travel(brussels(2027, 3, 2, 19))
    with broker_down():
        run()
    assert rows().get().state == State.PENDING

    services.answer(member.member, meeting, going=False)
    echo_tasks.sweep_outgoing_email.delay()

    assert rows().get().state == State.CANCELLED
    assert reminders_to(member) == []


def test_what_changes_between_reading_and_queuing_is_not_queued(group, facilitator, travel):
    """The beat reads without locks; a meeting moved or cancelled, or an
    answer changed, in the moment before it queues, is seen afresh."""
    travel(brussels(2027, 3, 1))
    cases = ["not going", "waiting now", "moved", "cancelled", "going again later"]
    people = {}
    for case in cases:
        meeting = MeetingFactory(group=group, starts_at=brussels(2027, 3, 3, 19), capacity=1)
        people[case] = (member_of(group), meeting)
        services.answer(*people[case], going=True)
    travel(brussels(2027, 3, 2, 19))
    read = list(reminders._due_reminders(timezone.now()))
    assert len(read) == len(cases)

    # In the same second, with the clock standing still:
    services.answer(*people["not going"], going=False)
    member, meeting = people["waiting now"]
    services.answer(member, meeting, going=False)
    services.answer(member_of(group), meeting, going=True)  # takes the only place
    services.answer(member, meeting, going=True)
    services.update_meeting(facilitator, people["moved"][1], starts_at=brussels(2027, 3, 10, 19))
    services.cancel_meeting(facilitator, people["cancelled"][1])
    # Half a minute later: going again, but not when the reminder was due.
    travel(brussels(2027, 3, 2, 19) + timedelta(seconds=30))
    services.answer(*people["going again later"], going=False)
    services.answer(*people["going again later"], going=True)

    assert reminders._queue(read) == 0
    assert not rows().exists()


# Facilitators


def test_facilitators_get_who_is_going_and_waiting_the_day_before_by_pseudonym_only(
    group, member, facilitator, other_facilitator, travel, run, english
):
    second, waiting = member_of(group, pseudonym="Berk").user, member_of(group).user
    member.member.pseudonym = "Aster"
    member.member.save(update_fields=["pseudonym"])
    travel(brussels(2027, 3, 1))
    meeting = MeetingFactory(group=group, starts_at=brussels(2027, 3, 3, 19), capacity=2)
    for user in (second, member, waiting):
        services.answer(user.member, meeting, going=True)

    travel(brussels(2027, 3, 2, 18, 59))
    run()
    assert rows("events.digest").count() == 0
    travel(brussels(2027, 3, 2, 19))
    run()
    run()

    (digest,) = [m for m in mail.outbox if m.to == [facilitator.email]]
    assert digest.subject == "Echo: who is coming"
    body = digest.body
    assert "Going (2 people):\n- Aster\n- Berk" in body
    assert f"1. {waiting.member.pseudonym}" in body
    assert "No place is free." in body
    for user in (member, second, waiting, facilitator):
        assert user.email not in body
        assert user.email not in digest.alternatives[0].content
    assert "@" not in body
    assert ADDRESS not in body
    assert not [m for m in mail.outbox if m.to == [other_facilitator.email]]
    (row,) = rows("events.digest")
    assert row.key == f"digest:{meeting.code}:{meeting.sequence}:{facilitator.member.code}"


def test_no_list_for_a_meeting_planned_after_its_moment(group, facilitator, travel, run):
    travel(brussels(2027, 3, 2, 18, 59))
    planned_in_time = MeetingFactory(group=group, starts_at=brussels(2027, 3, 3, 19))
    travel(brussels(2027, 3, 3, 9))
    MeetingFactory(group=group, starts_at=brussels(2027, 3, 3, 20))

    travel(brussels(2027, 3, 3, 9, 1))
    run()

    assert [r.key.split(":")[1] for r in rows("events.digest")] == [planned_in_time.code]


# Keys and cost


def test_keys_name_meeting_version_member_and_offset(member, meeting, travel, run):
    travel(brussels(2027, 3, 2, 19))
    run()

    (reminder,) = rows()
    assert reminder.key == f"reminder:{meeting.code}:0:{member.member.code}:1440"
    assert reminder.recipient_code == member.member.code
    assert reminder.region == meeting.group.region


def three_going_each_evening(group, travel, days):
    """A meeting at 19:00 on each of these days of March 2027, three going to each."""
    travel(brussels(2027, 3, 1))
    for day in days:
        meeting = MeetingFactory(group=group, starts_at=brussels(2027, 3, day, 19))
        for _ in range(3):
            services.answer(member_of(group), meeting, going=True)


def test_when_nothing_is_due_a_run_costs_the_same_few_queries(
    group, travel, django_assert_max_num_queries
):
    three_going_each_evening(group, travel, days=range(2, 8))
    travel(brussels(2027, 3, 1, 12))

    with django_assert_max_num_queries(3):
        assert reminders.queue_due_reminders() == 0


def test_already_handled_reminders_cost_no_more_than_three_queries(
    group, travel, django_assert_max_num_queries
):
    three_going_each_evening(group, travel, days=range(2, 5))
    travel(brussels(2027, 3, 2, 19))
    assert reminders.queue_due_reminders() == 3
    assert rows().count() == 3

    with django_assert_max_num_queries(3):
        assert reminders.queue_due_reminders() == 0


# Preferences


def test_the_profile_offers_the_offsets_and_saves_the_choice(client, member):
    client.force_login(member)
    response = client.get(reverse("members:profile"))
    assert response.content.decode().count('name="reminder_offsets"') == 6
    assert response.context["form"]["reminder_offsets"].value() == [1440, 120]
    data = {
        "language": "en",
        "time_zone": "Europe/Brussels",
        "contact_preference": "email",
        "reminder_offsets": ["60", "10080"],
    }

    client.post(reverse("members:profile"), data)
    member.member.refresh_from_db()
    assert member.member.reminder_offsets == [10080, 60]

    del data["reminder_offsets"]
    client.post(reverse("members:profile"), data)
    member.member.refresh_from_db()
    assert member.member.reminder_offsets == []


def test_the_default_is_one_day_and_two_hours_and_the_export_holds_the_choice(member):
    assert member.member.reminder_offsets == [1440, 120]
    assert ProfileForm.initial_for(member.member)["reminder_offsets"] == [1440, 120]

    data = member_services.export_personal_data(member)

    assert data["membership"]["reminder_offsets"] == [1440, 120]


def test_an_unknown_offset_is_refused(member):
    form = ProfileForm(
        {
            "language": "nl",
            "time_zone": "Europe/Brussels",
            "contact_preference": "email",
            "reminder_offsets": ["1"],
        }
    )
    assert "reminder_offsets" in form.errors


def test_the_beat_runs_the_task_every_minute(settings):
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "events.tasks.queue_due_reminders"
    )
    assert entry["schedule"] == timedelta(minutes=1)
