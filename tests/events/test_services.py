"""Changes to meetings and series, answers and the waiting list."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone, translation

from echo.models import OutgoingEmail
from events import services
from events.models import Meeting, Rsvp
from events.recurrence import BRUSSELS

from ..discretion import revealing_words
from ..factories import MeetingFactory, member_of
from .conftest import ADDRESS, brussels, weekly_series

pytestmark = pytest.mark.django_db

NOTES = "Bel aan bij de blauwe deur."
LINK = "https://meet.example.org/geheim"


@pytest.fixture
def series(facilitator, group, travel):
    """Every week on Tuesday at 19:00 Brussels, 5 times from 2 March 2027."""
    travel(brussels(2027, 3, 1))
    return weekly_series(facilitator, group, count=5, practical_notes=NOTES)


def occurrences(series):
    return list(series.meetings.order_by("occurrence_date"))


def local(moment):
    return timezone.localtime(moment, BRUSSELS)


def emails(kind):
    return OutgoingEmail.objects.filter(kind=kind)


def assert_no_place_in(outgoing):
    assert outgoing
    for email in outgoing:
        for text in (email.subject, email.body_text, email.body_html):
            assert ADDRESS not in text
            assert NOTES not in text
            assert LINK not in text
            assert not revealing_words(text)


# Moving and editing


def test_moving_one_occurrence_leaves_the_others_and_a_later_series_edit(facilitator, series):
    first, second, *rest = occurrences(series)
    before = {m.pk: m.starts_at for m in occurrences(series)}

    services.update_meeting(
        facilitator,
        second,
        starts_at=second.starts_at + timedelta(days=1),
        ends_at=second.ends_at + timedelta(days=1),
    )

    second.refresh_from_db()
    assert second.detached
    assert local(second.starts_at).date() == date(2027, 3, 10)
    assert all(m.starts_at == before[m.pk] for m in occurrences(series) if m.pk != second.pk)

    services.update_series(facilitator, series, start_time=time(20))

    second.refresh_from_db()
    assert local(second.starts_at) == brussels(2027, 3, 10, 19)
    others = [m for m in occurrences(series) if m.pk != second.pk]
    assert {local(m.starts_at).time() for m in others} == {time(20)}
    assert series.meetings.count() == 5


def test_a_series_edit_changes_only_future_meetings_and_keeps_answers(
    facilitator, member, series, travel
):
    meetings = occurrences(series)
    for meeting in meetings:
        services.answer(member.member, meeting, going=True)
    # The first meeting has taken place; the second is going on right now.
    travel(brussels(2027, 3, 9, 20))

    services.update_series(
        facilitator, series, start_time=time(18), duration=timedelta(hours=1, minutes=30)
    )

    after = occurrences(series)
    assert [m.pk for m in after] == [m.pk for m in meetings]
    assert after[0].starts_at == meetings[0].starts_at
    assert after[1].starts_at == meetings[1].starts_at
    assert after[1].ends_at == meetings[1].ends_at
    for meeting in after[2:]:
        assert local(meeting.starts_at).time() == time(18)
        assert meeting.ends_at - meeting.starts_at == timedelta(hours=1, minutes=30)
        assert meeting.sequence == 1
    assert set(Rsvp.objects.filter(member=member.member).values_list("answer", flat=True)) == {
        "going"
    }
    told = emails("events.changed")
    assert told.count() == 3
    assert_no_place_in(told)


def test_a_series_edit_with_fewer_meetings_cancels_the_rest_and_can_bring_them_back(
    facilitator, member, series
):
    last = occurrences(series)[-1]
    services.answer(member.member, last, going=True)

    services.update_series(facilitator, series, count=4)

    last.refresh_from_db()
    assert last.is_cancelled
    assert emails("events.cancelled").filter(to=member.email).count() == 1

    services.update_series(facilitator, series, count=5)

    last.refresh_from_db()
    assert not last.is_cancelled
    assert series.meetings.count() == 5
    # Everyone was told it was cancelled: nobody is counted as going any more.
    assert not last.rsvps.exists()


def test_an_occurrence_cancelled_on_its_own_stays_cancelled_after_a_series_edit(
    facilitator, series
):
    third = occurrences(series)[2]

    services.cancel_meeting(facilitator, third)
    services.update_series(facilitator, series, start_time=time(20))

    third.refresh_from_db()
    assert third.is_cancelled
    assert local(third.starts_at).time() == time(19)


def test_a_series_edit_can_add_meetings(facilitator, series):
    services.update_series(facilitator, series, count=7)

    assert [local(m.starts_at).date() for m in occurrences(series)][-3:] == [
        date(2027, 3, 30),
        date(2027, 4, 6),
        date(2027, 4, 13),
    ]


def test_moving_a_meeting_keeps_answers_closing_as_long_before(facilitator, group, travel):
    travel(brussels(2027, 3, 1))
    meeting = services.plan_meeting(
        facilitator.member,
        group,
        starts_at=brussels(2027, 3, 10, 19),
        duration=timedelta(hours=2),
        rsvp_closes_at=brussels(2027, 3, 9, 19),
        address=ADDRESS,
    )

    meeting = services.update_meeting(facilitator, meeting, starts_at=brussels(2027, 3, 17, 19))

    assert meeting.rsvp_closes_at == brussels(2027, 3, 16, 19)
    assert meeting.ends_at == brussels(2027, 3, 17, 21)
    with pytest.raises(services.MeetingError):
        services.update_meeting(facilitator, meeting, ends_at=brussels(2027, 3, 17, 18))


def test_a_meeting_cannot_be_moved_into_the_past(facilitator, group):
    meeting = MeetingFactory(group=group)
    earlier = timezone.now() - timedelta(hours=1)

    with pytest.raises(services.MeetingError):
        services.update_meeting(
            facilitator, meeting, starts_at=earlier, ends_at=earlier + timedelta(hours=2)
        )


def test_moving_a_meeting_tells_those_going_and_waiting_without_the_place(facilitator, group):
    meeting = MeetingFactory(group=group, capacity=1)
    going, waiting, not_going = member_of(group), member_of(group), member_of(group)
    services.answer(going, meeting, going=True)
    services.answer(waiting, meeting, going=True)
    services.answer(not_going, meeting, going=False)

    services.update_meeting(
        facilitator,
        meeting,
        starts_at=meeting.starts_at + timedelta(hours=1),
        ends_at=meeting.ends_at + timedelta(hours=1),
    )

    told = emails("events.changed")
    assert sorted(told.values_list("to", flat=True)) == sorted(
        [going.user.email, waiting.user.email]
    )
    assert_no_place_in(told)


# Cancelling


def test_cancelling_tells_everyone_going_or_waiting_and_never_the_place(facilitator, group):
    meeting = MeetingFactory(
        group=group, capacity=1, address=ADDRESS, practical_notes=NOTES, online_link=LINK
    )
    going, waiting, not_going = member_of(group), member_of(group), member_of(group)
    services.answer(going, meeting, going=True)
    services.answer(waiting, meeting, going=True)
    services.answer(not_going, meeting, going=False)

    services.cancel_meeting(facilitator, meeting)

    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert meeting.sequence == 1
    told = emails("events.cancelled")
    assert sorted(told.values_list("to", flat=True)) == sorted(
        [going.user.email, waiting.user.email]
    )
    assert_no_place_in(told)
    # Cancelling frees no seat: nobody is promoted into a cancelled meeting.
    assert not emails("events.promoted").exists()


def test_cancelling_twice_tells_people_once(facilitator, group):
    meeting = MeetingFactory(group=group)
    services.answer(member_of(group), meeting, going=True)

    services.cancel_meeting(facilitator, meeting)
    services.cancel_meeting(facilitator, meeting)

    assert emails("events.cancelled").count() == 1


def test_a_cancelled_meeting_takes_no_answers(group, facilitator):
    meeting = MeetingFactory(group=group)
    services.cancel_meeting(facilitator, meeting)

    with pytest.raises(services.MeetingError):
        services.answer(member_of(group), meeting, going=True)


# Answers and the waiting list


def test_a_full_meeting_puts_people_on_the_waiting_list_in_order(group):
    meeting = MeetingFactory(group=group, capacity=2)
    people = [member_of(group) for _ in range(4)]

    answers = [services.answer(person, meeting, going=True).answer for person in people]

    assert answers == ["going", "going", "waiting", "waiting"]
    positions = [
        services.waiting_position(Rsvp.objects.get(member=person)) for person in people[2:]
    ]
    assert positions == [1, 2]
    assert services.count_going(meeting) == 2


def test_answering_going_twice_keeps_the_place_on_the_waiting_list(group):
    meeting = MeetingFactory(group=group, capacity=1)
    first, second, third = member_of(group), member_of(group), member_of(group)
    services.answer(first, meeting, going=True)
    services.answer(second, meeting, going=True)
    services.answer(third, meeting, going=True)

    services.answer(second, meeting, going=True)

    assert services.waiting_position(Rsvp.objects.get(member=second)) == 1


def test_when_someone_cancels_the_first_waiting_moves_up_and_is_told(group):
    meeting = MeetingFactory(group=group, capacity=2, address=ADDRESS, practical_notes=NOTES)
    a, b, first_waiting, second_waiting = (member_of(group) for _ in range(4))
    for person in (a, b, first_waiting, second_waiting):
        services.answer(person, meeting, going=True)

    services.answer(a, meeting, going=False)

    answers = dict(Rsvp.objects.values_list("member_id", "answer"))
    assert answers == {
        a.pk: "not_going",
        b.pk: "going",
        first_waiting.pk: "going",
        second_waiting.pk: "waiting",
    }
    assert services.waiting_position(Rsvp.objects.get(member=second_waiting)) == 1
    (told,) = emails("events.promoted")
    assert told.to == first_waiting.user.email
    assert_no_place_in([told])


def test_leaving_the_waiting_list_promotes_nobody(group):
    meeting = MeetingFactory(group=group, capacity=1)
    going, waiting = member_of(group), member_of(group)
    services.answer(going, meeting, going=True)
    services.answer(waiting, meeting, going=True)

    services.answer(waiting, meeting, going=False)

    assert Rsvp.objects.get(member=going).answer == "going"
    assert not emails("events.promoted").exists()


def test_more_places_promote_the_waiting_list(facilitator, group):
    meeting = MeetingFactory(group=group, capacity=1)
    people = [member_of(group) for _ in range(3)]
    for person in people:
        services.answer(person, meeting, going=True)

    services.update_meeting(facilitator, meeting, capacity=2)

    assert services.count_going(meeting) == 2
    assert emails("events.promoted").get().to == people[1].user.email


def test_answers_close_at_the_time_the_facilitator_set(group, travel):
    travel(brussels(2027, 3, 1))
    meeting = MeetingFactory(
        group=group,
        starts_at=brussels(2027, 3, 10, 19),
        ends_at=brussels(2027, 3, 10, 21),
        rsvp_closes_at=brussels(2027, 3, 9, 19),
    )
    early, late = member_of(group), member_of(group)
    services.answer(early, meeting, going=True)
    travel(brussels(2027, 3, 9, 19, 1))

    with translation.override("en"), pytest.raises(services.MeetingError, match="closed"):
        services.answer(late, meeting, going=True)
    # Saying one cannot come is still possible until the start.
    assert services.answer(early, meeting, going=False).answer == "not_going"
    travel(brussels(2027, 3, 10, 19, 1))
    with translation.override("en"), pytest.raises(services.MeetingError, match="started"):
        services.answer(early, meeting, going=False)


def test_only_members_of_the_group_can_answer(group, other_group):
    meeting = MeetingFactory(group=group)

    with pytest.raises(services.MeetingError):
        services.answer(member_of(other_group), meeting, going=True)

    assert not Rsvp.objects.exists()


# Planning


def test_a_single_meeting_gets_the_groups_size_and_closes_at_the_start(facilitator, group):
    group.max_size = 9
    starts_at = timezone.now() + timedelta(days=3)

    meeting = services.plan_meeting(
        facilitator.member, group, starts_at=starts_at, duration=timedelta(hours=2)
    )

    assert (meeting.capacity, meeting.rsvp_closes_at) == (9, starts_at)


def test_nothing_is_planned_in_the_past(facilitator, group):
    with pytest.raises(services.MeetingError):
        services.plan_meeting(
            facilitator.member,
            group,
            starts_at=timezone.now() - timedelta(minutes=1),
            duration=timedelta(hours=2),
        )

    assert not Meeting.objects.exists()


# Attendance


def test_attendance_is_recorded_after_the_start_for_people_of_the_group(
    facilitator, member, group, other_member, travel
):
    travel(brussels(2027, 3, 1))
    meeting = MeetingFactory(
        group=group, starts_at=brussels(2027, 3, 2, 19), ends_at=brussels(2027, 3, 2, 21)
    )
    services.answer(member.member, meeting, going=True)

    with pytest.raises(services.MeetingError):
        services.record_attendance(facilitator, meeting, {member.member: "present"})
    travel(brussels(2027, 3, 2, 21, 30))
    with pytest.raises(services.MeetingError):
        services.record_attendance(facilitator, meeting, {other_member.member: "present"})

    services.record_attendance(facilitator, meeting, {member.member: "present"})
    services.record_attendance(facilitator, meeting, {member.member: "excused"})

    assert list(meeting.attendance.values_list("member_id", "status")) == [
        (member.member.pk, "excused")
    ]
    meeting.refresh_from_db()
    assert meeting.attendance_recorded_at == brussels(2027, 3, 2, 21, 30)


def test_notices_give_the_time_in_the_recipients_zone_and_language(facilitator, group, travel):
    travel(brussels(2027, 3, 1))
    meeting = MeetingFactory(
        group=group, starts_at=brussels(2027, 3, 10, 19), ends_at=brussels(2027, 3, 10, 21)
    )
    abroad = member_of(group, user__language="en", user__time_zone="America/New_York")
    services.answer(abroad, meeting, going=True)

    services.cancel_meeting(facilitator, meeting)

    email = emails("events.cancelled").get()
    assert email.subject == "Echo: a meeting is cancelled"
    assert "Wednesday 10 March 2027, 13:00" in email.body_text
    assert "is cancelled" in email.body_text


def test_a_meeting_that_is_over_is_not_cancelled(facilitator, group, travel):
    travel(brussels(2027, 3, 1))
    meeting = MeetingFactory(
        group=group, starts_at=brussels(2027, 3, 2, 19), ends_at=brussels(2027, 3, 2, 21)
    )
    services.answer(member_of(group), meeting, going=True)
    travel(brussels(2027, 3, 2, 21))

    services.cancel_meeting(facilitator, meeting)

    meeting.refresh_from_db()
    assert not meeting.is_cancelled
    assert not emails("events.cancelled").exists()
