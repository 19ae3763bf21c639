"""The meeting pages: planning, answering, the place, changes, attendance."""

from datetime import date, time, timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from echo.models import OutgoingEmail
from events import services
from events.models import Attendance, Meeting, Rsvp, Series
from events.recurrence import BRUSSELS

from ..factories import MeetingFactory, member_of
from .conftest import ADDRESS, brussels, weekly_series

pytestmark = pytest.mark.django_db

NOTES = "Bel aan bij de blauwe deur."
LINK = "https://meet.example.org/echo-geheim"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def url(name, *args):
    return reverse(f"events:{name}", args=args)


# Planning


def plan_data(**changes):
    data = {
        "date": "2027-03-16",
        "start_time": "19:00",
        "end_time": "21:00",
        "repeat": "",
        "ends_on": "",
        "count": "",
        "capacity": "10",
        "closes_before": "0",
        "closes_unit": "hours",
        "place_kind": "in_person",
        "address": ADDRESS,
        "practical_notes": NOTES,
        "online_link": "",
    }
    return data | changes


@pytest.fixture
def planning(client, facilitator, english, travel):
    travel(brussels(2027, 3, 1))
    client.force_login(facilitator)
    return client


def test_the_plan_form_starts_from_the_groups_size_format_and_cadence(planning, group):
    group.max_size, group.format, group.cadence = 7, "online", "four_weekly"
    group.save()

    response = planning.get(url("plan_meeting", group.code))

    form = response.context["form"]
    assert form["capacity"].value() == 7
    assert form["place_kind"].value() == "online"
    assert form["repeat"].value() == "four_weekly"
    assert b"Europe/Brussels" in response.content


def test_planning_one_meeting_in_brussels_time(planning, group):
    response = planning.post(
        url("plan_meeting", group.code), plan_data(closes_before="1", closes_unit="days")
    )

    meeting = Meeting.objects.get()
    assert response.url == url("meeting", meeting.code)
    assert meeting.group == group
    assert meeting.series is None
    assert meeting.starts_at == brussels(2027, 3, 16, 19)
    assert meeting.ends_at == brussels(2027, 3, 16, 21)
    assert meeting.rsvp_closes_at == brussels(2027, 3, 15, 19)
    assert (meeting.capacity, meeting.address, meeting.practical_notes) == (10, ADDRESS, NOTES)
    assert messages_of(response) == ["The meeting is planned."]


def test_planning_an_online_series(planning, group):
    response = planning.post(
        url("plan_meeting", group.code),
        plan_data(
            repeat="two_weekly",
            count="4",
            place_kind="online",
            address="",
            online_link=LINK,
            closes_before="3",
        ),
    )

    series = Series.objects.get()
    meetings = list(series.meetings.order_by("starts_at"))
    assert response.url == url("meeting", meetings[0].code)
    assert (series.frequency, series.count, series.start_time) == ("two_weekly", 4, time(19))
    assert series.rsvp_closes_before == timedelta(hours=3)
    assert [timezone.localtime(m.starts_at, BRUSSELS).date() for m in meetings] == [
        date(2027, 3, 16),
        date(2027, 3, 30),
        date(2027, 4, 13),
        date(2027, 4, 27),
    ]
    assert {(m.online_link, m.address, m.is_online) for m in meetings} == {(LINK, "", True)}


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"date": "2027-02-27"}, "date", "This date and time have passed"),
        ({"end_time": "18:30"}, "end_time", "The meeting must end after it starts."),
        ({"end_time": "19:00"}, "end_time", "The meeting must end after it starts."),
        ({"repeat": "weekly"}, "ends_on", "needs a last date or a number of meetings"),
        (
            {"repeat": "weekly", "ends_on": "2027-03-01"},
            "ends_on",
            "The last date is before the first date.",
        ),
        ({"place_kind": "online"}, "online_link", "Enter the link of an online meeting."),
        (
            {"place_kind": "online", "online_link": "http://meet.example.org/x"},
            "online_link",
            "The link must start with https://",
        ),
        ({"address": "  "}, "address", "Enter the address of a meeting in person."),
        ({"capacity": "0"}, "capacity", ""),
    ],
)
def test_planning_errors_are_clear_and_keep_what_was_entered(
    planning, group, changes, field, error
):
    data = plan_data(practical_notes="Tweede verdieping", **changes)

    response = planning.post(url("plan_meeting", group.code), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert error in " ".join(form.errors[field])
    assert error.encode() in response.content
    assert b"Tweede verdieping" in response.content
    assert b'value="2027-' in response.content
    assert not Meeting.objects.exists()
    assert not Series.objects.exists()


def test_only_the_groups_facilitator_plans(client, other_facilitator, group):
    client.force_login(other_facilitator)

    response = client.post(url("plan_meeting", group.code), plan_data())

    assert response.status_code == 404
    assert not Meeting.objects.exists()


# The meeting page


@pytest.fixture
def meeting(group):
    return MeetingFactory(
        group=group, capacity=2, address=ADDRESS, practical_notes=NOTES, online_link=LINK
    )


@pytest.mark.parametrize(
    ("who", "answer", "sees_place"),
    [
        ("member", "going", True),
        ("member", "waiting", False),
        ("member", "not_going", False),
        ("member", None, False),
        ("facilitator", None, True),
        ("facilitator", "not_going", True),
    ],
)
def test_the_place_is_only_for_those_going_and_the_facilitators(
    client, request, meeting, group, who, answer, sees_place
):
    user = request.getfixturevalue(who)
    if answer == "waiting":
        for _ in range(2):
            services.answer(member_of(group), meeting, going=True)
    if answer:
        services.answer(user.member, meeting, going=answer != "not_going")
        assert Rsvp.objects.get(member=user.member).answer == answer
    client.force_login(user)

    response = client.get(url("meeting", meeting.code))

    assert response.status_code == 200
    for secret in (ADDRESS, NOTES):
        assert (secret.encode() in response.content) == sees_place
    # In person: a link left in the data is never shown.
    assert LINK.encode() not in response.content
    assert response.context["show_place"] == sees_place


@pytest.mark.parametrize("who", ["other_member", "other_facilitator", "coordinator"])
def test_outsiders_do_not_find_the_meeting(client, request, meeting, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(url("meeting", meeting.code))

    assert response.status_code == 404
    assert ADDRESS.encode() not in response.content


def test_the_online_link_is_shown_to_those_going(client, member, group):
    meeting = MeetingFactory(group=group, place_kind="online", address="", online_link=LINK)
    services.answer(member.member, meeting, going=True)
    client.force_login(member)

    response = client.get(url("meeting", meeting.code))

    assert f'href="{LINK}"'.encode() in response.content


def test_members_see_who_is_going_only_when_the_group_shows_it(client, member, meeting, group):
    someone = member_of(group, pseudonym="Zonnebloem")
    services.answer(someone, meeting, going=True)
    client.force_login(member)

    hidden = client.get(url("meeting", meeting.code))
    group.show_attendance = True
    group.save()
    shown = client.get(url("meeting", meeting.code))

    assert b"Zonnebloem" not in hidden.content
    assert "going_count" not in hidden.context
    assert b"Zonnebloem" in shown.content
    assert shown.context["going_count"] == 1
    assert "waiting" not in shown.context


def test_facilitators_see_going_and_waiting_and_their_tools(
    client, facilitator, meeting, group, english
):
    people = [member_of(group, pseudonym=name) for name in ("Anker", "Berk", "Ceder", "Dadel")]
    for person in people:
        services.answer(person, meeting, going=True)
    client.force_login(facilitator)

    response = client.get(url("meeting", meeting.code))

    assert [m.pseudonym for m in response.context["going"]] == ["Anker", "Berk"]
    assert [m.pseudonym for m in response.context["waiting"]] == ["Ceder", "Dadel"]
    content = response.content.decode()
    for link in (
        url("edit_meeting", meeting.code),
        url("cancel_meeting", meeting.code),
        url("write_to_going", meeting.code),
    ):
        assert f'href="{link}"' in content
    # Attendance only once it has started.
    assert url("record_attendance", meeting.code) not in content
    for person in people:
        assert person.user.email not in content


def test_a_full_meeting_says_going_means_the_waiting_list(client, member, meeting, group, english):
    for _ in range(2):
        services.answer(member_of(group), meeting, going=True)
    client.force_login(member)

    page = client.get(url("meeting", meeting.code))
    response = client.post(url("rsvp", meeting.code), {"going": "1"})
    after = client.get(url("meeting", meeting.code))

    assert b"This meeting is full" in page.content
    assert response.url == url("meeting", meeting.code)
    assert messages_of(response) == ["You are on the waiting list (position 1)."]
    assert after.context["waiting_position"] == 1
    assert b"at position 1" in after.content
    assert ADDRESS.encode() not in after.content


# Answering


def test_going_and_not_going(client, member, meeting, english):
    client.force_login(member)

    going = client.post(url("rsvp", meeting.code), {"going": "1"})
    assert Rsvp.objects.get(member=member.member).answer == "going"
    not_going = client.post(url("rsvp", meeting.code), {"going": "0"})

    assert Rsvp.objects.get(member=member.member).answer == "not_going"
    assert messages_of(going) == ["You are going."]
    assert messages_of(not_going)[-1] == "You are not going."
    assert not_going.url == url("meeting", meeting.code)


def test_an_answer_after_closing_is_refused_with_a_clear_message(
    client, member, group, english, travel
):
    travel(brussels(2027, 3, 1))
    meeting = MeetingFactory(
        group=group,
        starts_at=brussels(2027, 3, 10, 19),
        ends_at=brussels(2027, 3, 10, 21),
        rsvp_closes_at=brussels(2027, 3, 9, 12),
    )
    travel(brussels(2027, 3, 9, 13))
    client.force_login(member)

    response = client.post(url("rsvp", meeting.code), {"going": "1"})
    page = client.get(url("meeting", meeting.code))

    assert messages_of(response) == ["Answers for this meeting are closed."]
    assert not Rsvp.objects.exists()
    assert b"Answers are closed." in page.content


def test_a_member_of_another_group_cannot_answer(client, other_member, meeting):
    client.force_login(other_member)

    response = client.post(url("rsvp", meeting.code), {"going": "1"})

    assert response.status_code == 404
    assert not Rsvp.objects.exists()


def test_answering_is_post_only(client, member, meeting):
    client.force_login(member)

    assert client.get(url("rsvp", meeting.code)).status_code == 405
    assert not Rsvp.objects.exists()


# Changing and cancelling


def test_editing_one_meeting_of_a_series_moves_only_that_one(
    client, facilitator, group, english, travel
):
    travel(brussels(2027, 3, 1))
    series = weekly_series(facilitator, group, count=3)
    first, second, third = series.meetings.order_by("starts_at")
    client.force_login(facilitator)

    page = client.get(url("edit_meeting", second.code))
    response = client.post(
        url("edit_meeting", second.code),
        plan_data(date="2027-03-10", start_time="18:00", end_time="20:00", address=ADDRESS),
    )

    assert b"This changes only this meeting" in page.content
    facilitator.language = "nl"
    facilitator.save()
    dutch = client.get(url("edit_meeting", second.code))
    # A date input takes ISO dates, whatever the language's date format (nl: 10-03-2027).
    assert b'type="date" name="date" value="2027-03-10"' in dutch.content
    assert b'type="time" name="start_time" value="18:00"' in dutch.content
    assert page.context["form"]["date"].value() == date(2027, 3, 9)
    assert response.url == url("meeting", second.code)
    second.refresh_from_db()
    assert (second.starts_at, second.detached) == (brussels(2027, 3, 10, 18), True)
    assert [m.starts_at for m in series.meetings.exclude(pk=second.pk).order_by("starts_at")] == [
        brussels(2027, 3, 2, 19),
        brussels(2027, 3, 16, 19),
    ]
    moved = client.get(url("meeting", second.code))
    assert moved.context["moved"]


def test_editing_the_series_says_it_changes_future_meetings_only(
    client, facilitator, member, group, english, travel
):
    travel(brussels(2027, 3, 1))
    series = weekly_series(facilitator, group, count=3)
    first, second, third = series.meetings.order_by("starts_at")
    services.answer(member.member, third, going=True)
    travel(brussels(2027, 3, 5))
    client.force_login(facilitator)

    page = client.get(url("edit_series", series.code))
    response = client.post(
        url("edit_series", series.code),
        plan_data(
            repeat="weekly", date="2027-03-02", count="3", start_time="20:00", end_time="22:00"
        ),
    )

    assert b"coming meetings of the series only" in page.content
    assert response.status_code == 302, response.context["form"].errors
    assert [m.starts_at for m in series.meetings.order_by("starts_at")] == [
        brussels(2027, 3, 2, 19),
        brussels(2027, 3, 9, 20),
        brussels(2027, 3, 16, 20),
    ]
    assert Rsvp.objects.get(member=member.member, meeting=third).answer == "going"
    assert OutgoingEmail.objects.filter(kind="events.changed", to=member.email).count() == 1


def test_cancelling_asks_first_then_tells_everyone_going_or_waiting(
    client, facilitator, meeting, group, english
):
    going = [member_of(group) for _ in range(3)]
    for person in going:
        services.answer(person, meeting, going=True)
    client.force_login(facilitator)

    question = client.get(url("cancel_meeting", meeting.code))
    assert question.context["told"] == 3
    assert b"3 people are going or waiting" in question.content
    meeting.refresh_from_db()
    assert not meeting.is_cancelled

    response = client.post(url("cancel_meeting", meeting.code))

    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert response.url == url("meeting", meeting.code)
    told = OutgoingEmail.objects.filter(kind="events.cancelled")
    assert sorted(told.values_list("to", flat=True)) == sorted(p.user.email for p in going)
    for email in told:
        assert ADDRESS not in email.body_text and NOTES not in email.body_text
        assert LINK not in email.body_text and LINK not in email.body_html
    page = client.get(url("meeting", meeting.code))
    assert b"This meeting is cancelled." in page.content


# Attendance and history


def test_attendance_before_the_start_sends_the_facilitator_back(
    client, facilitator, meeting, english
):
    client.force_login(facilitator)

    response = client.get(url("record_attendance", meeting.code))

    assert response.url == url("meeting", meeting.code)
    assert messages_of(response) == ["Attendance can be recorded once the meeting has started."]


def test_attendance_is_recorded_and_shown_in_the_members_history(
    client, facilitator, member, group, english, travel
):
    travel(brussels(2027, 3, 1))
    meeting = MeetingFactory(
        group=group, starts_at=brussels(2027, 3, 2, 19), ends_at=brussels(2027, 3, 2, 21)
    )
    services.answer(member.member, meeting, going=True)
    absent = member_of(group, pseudonym="Afwezig")
    travel(brussels(2027, 3, 2, 21, 30))
    client.force_login(facilitator)

    page = client.get(url("record_attendance", meeting.code))
    field = f"person_{member.member.code}"
    assert page.context["form"][field].value() == "present"
    assert page.context["form"][f"person_{absent.code}"].value() is None
    content = page.content.decode()
    assert content.count("<fieldset") == 3  # the facilitator is in the group too
    assert f"<legend>{member.member.pseudonym}" in content
    assert "<legend>Afwezig" in content
    response = client.post(
        url("record_attendance", meeting.code),
        {field: "present", f"person_{absent.code}": "absent"},
    )

    assert response.url == url("meeting", meeting.code)
    assert dict(Attendance.objects.values_list("member__pseudonym", "status")) == {
        member.member.pseudonym: "present",
        "Afwezig": "absent",
    }
    client.force_login(member)
    history = client.get(url("history"))
    (row,) = history.context["page"].object_list
    assert (row.pk, row.own_attendance) == (meeting.pk, "present")
    assert b"present" in history.content


def test_history_shows_unrecorded_meetings_and_none_from_before_joining(
    client, group, travel, english
):
    travel(brussels(2027, 3, 1))
    before = MeetingFactory(
        group=group, starts_at=brussels(2027, 3, 2, 19), ends_at=brussels(2027, 3, 2, 21)
    )
    travel(brussels(2027, 3, 3))
    newcomer = member_of(group, user__language="en")
    after = MeetingFactory(
        group=group, starts_at=brussels(2027, 3, 4, 19), ends_at=brussels(2027, 3, 4, 21)
    )
    cancelled = MeetingFactory(
        group=group,
        starts_at=brussels(2027, 3, 5, 19),
        ends_at=brussels(2027, 3, 5, 21),
        cancelled_at=brussels(2027, 3, 4),
    )
    travel(brussels(2027, 3, 6))
    client.force_login(newcomer.user)

    response = client.get(url("history"))

    assert [m.pk for m in response.context["page"].object_list] == [after.pk]
    assert b"not recorded" in response.content
    assert before.pk != cancelled.pk


# My meetings


def test_my_meetings_lists_my_groups_meetings_with_my_answer_and_never_the_place(
    client, member, group, other_group, english
):
    going = MeetingFactory(group=group, address=ADDRESS, practical_notes=NOTES)
    unanswered = MeetingFactory(group=group, starts_at=going.starts_at + timedelta(days=7))
    cancelled = MeetingFactory(group=group, cancelled_at=timezone.now())
    MeetingFactory(group=other_group)
    MeetingFactory(group=group, starts_at=timezone.now() + timedelta(days=120))
    MeetingFactory(
        group=group,
        starts_at=timezone.now() - timedelta(days=7),
        ends_at=timezone.now() - timedelta(days=7) + timedelta(hours=2),
    )
    services.answer(member.member, going, going=True)
    client.force_login(member)

    response = client.get(url("my_meetings"))

    rows = {m.pk: m.own_answer for m in response.context["meetings"]}
    assert rows == {going.pk: "going", unanswered.pk: None, cancelled.pk: None}
    content = response.content.decode()
    assert ADDRESS not in content and NOTES not in content
    assert group.name in content
    assert "cancelled" in content
    assert "not answered yet" in content


def make_meetings(group, member, count, start):
    """Meetings from `start` on, a third each going, not going and unanswered;
    those in the past have the member recorded present."""
    for n in range(count):
        starts_at = start + timedelta(days=n % 80, hours=n % 5)
        meeting = MeetingFactory(
            group=group, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
        )
        if n % 3:
            Rsvp.objects.create(
                meeting=meeting, member=member, answer="going" if n % 3 == 1 else "not_going"
            )
        if starts_at < timezone.now():
            Attendance.objects.create(meeting=meeting, member=member, status="present")


def queries_for_1_and_100(client, path, group, member, start, django_assert_num_queries):
    make_meetings(group, member, 1, start)
    client.get(path)  # the session notes its first activity
    with CaptureQueriesContext(connection) as one:
        assert client.get(path).status_code == 200
    make_meetings(group, member, 99, start)
    with django_assert_num_queries(len(one)):
        response = client.get(path)
    return len(one), response


def test_my_meetings_costs_the_same_for_1_or_100_meetings(
    client, member, group, django_assert_num_queries
):
    client.force_login(member)

    queries, response = queries_for_1_and_100(
        client,
        url("my_meetings"),
        group,
        member.member,
        timezone.now() + timedelta(days=1),
        django_assert_num_queries,
    )

    assert len(response.context["meetings"]) == 100
    print(f"my_meetings: {queries} queries for 1 and for 100 meetings")


def test_history_costs_the_same_for_1_or_100_meetings(
    client, member, group, django_assert_num_queries
):
    member.member.memberships.update(joined_at=timezone.now() - timedelta(days=400))
    client.force_login(member)

    queries, response = queries_for_1_and_100(
        client,
        url("history"),
        group,
        member.member,
        timezone.now() - timedelta(days=200),
        django_assert_num_queries,
    )

    page = response.context["page"]
    assert page.paginator.count == 100
    assert len(page.object_list) == 50
    assert {m.own_attendance for m in page.object_list} == {"present"}
    print(f"history: {queries} queries for 1 and for 100 meetings")


def test_a_meeting_under_way_can_get_a_new_link_but_cannot_be_moved_into_the_past(
    client, facilitator, group, english, travel
):
    travel(brussels(2027, 3, 2, 19, 10))
    meeting = MeetingFactory(
        group=group,
        starts_at=brussels(2027, 3, 2, 19),
        ends_at=brussels(2027, 3, 2, 21),
        place_kind="online",
        address="",
        online_link=LINK,
    )
    client.force_login(facilitator)
    data = plan_data(
        date="2027-03-02", place_kind="online", address="", online_link=LINK + "-nieuw"
    )

    moved = client.post(url("edit_meeting", meeting.code), data | {"start_time": "19:05"})
    changed = client.post(url("edit_meeting", meeting.code), data)

    assert "This date and time have passed" in " ".join(moved.context["form"].errors["date"])
    assert changed.url == url("meeting", meeting.code)
    meeting.refresh_from_db()
    assert (meeting.online_link, meeting.starts_at) == (LINK + "-nieuw", brussels(2027, 3, 2, 19))


def test_an_answer_must_say_going_or_not(client, member, meeting):
    client.force_login(member)

    response = client.post(url("rsvp", meeting.code), {"going": "maybe"})

    assert response.status_code == 400
    assert not Rsvp.objects.exists()


def test_a_facilitator_without_a_second_factor_sees_the_meeting_as_a_member(client, meeting, group):
    from ..factories import facilitator_of

    unsecured = facilitator_of(group, user__second_factor=False)
    services.answer(member_of(group, pseudonym="Zonnebloem"), meeting, going=True)
    client.force_login(unsecured.user)

    response = client.get(url("meeting", meeting.code))

    assert response.status_code == 200
    assert not response.context["leads"]
    assert ADDRESS.encode() not in response.content
    assert b"Zonnebloem" not in response.content
    assert url("cancel_meeting", meeting.code).encode() not in response.content
