"""The daily figures: a constructed history gives hand-computed numbers, the
nightly task is safe to run twice and never rewrites the past, and the
backfill gives what the nightly snapshots gave."""

import itertools
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command

from echo.models import AuditEntry, Region
from events.models import Attendance
from groups.models import GroupMembership
from growth import snapshots, tasks
from growth.models import Snapshot
from members import services

from ..factories import CoordinatorFactory, GroupFactory, MeetingFactory, MemberFactory, UserFactory
from .conftest import brussels, member_with_history, region_rows

pytestmark = pytest.mark.django_db

A, L = Region.ANTWERPEN, Region.LIMBURG
S = services.S


def figures(**nonzero):
    return dict.fromkeys(Snapshot.FIGURES, 0) | nonzero


@pytest.fixture
def march():
    """Early March 2026 in Antwerpen (and one application in Limburg)."""
    group = GroupFactory(region=A, created_at=brussels(2026, 1, 1))
    # Active since before there was a history: counted as active throughout.
    steady = MemberFactory(region=A, status=S.ACTIVE)
    approved = member_with_history(
        A, (S.APPLIED, brussels(2026, 3, 2, 10)), (S.ACTIVE, brussels(2026, 3, 3, 10))
    )
    # 00:30 in Brussels is still 2 March in UTC: it counts on 3 March.
    member_with_history(
        A, (S.APPLIED, brussels(2026, 3, 3, 0, 30)), (S.DECLINED, brussels(2026, 3, 4, 9))
    )
    member_with_history(
        A,
        (S.APPLIED, brussels(2025, 12, 1)),
        (S.ACTIVE, brussels(2026, 2, 1)),
        (S.PAUSED, brussels(2026, 3, 3, 20)),
        (S.LEFT, brussels(2026, 3, 5, 8)),
    )
    member_with_history(
        L, (S.APPLIED, brussels(2026, 3, 4, 8)), (S.WITHDRAWN, brussels(2026, 3, 4, 18))
    )
    GroupMembership.objects.create(group=group, member=steady, joined_at=brussels(2026, 2, 1))
    GroupMembership.objects.create(group=group, member=approved, joined_at=brussels(2026, 3, 3, 12))
    meeting = MeetingFactory(group=group, starts_at=brussels(2026, 3, 4, 19))
    Attendance.objects.create(meeting=meeting, member=approved, status="present")
    Attendance.objects.create(meeting=meeting, member=steady, status="absent")
    MeetingFactory(
        group=group, starts_at=brussels(2026, 3, 5, 19), cancelled_at=brussels(2026, 3, 5, 9)
    )
    return {"group": group, "approved": approved, "steady": steady, "meeting": meeting}


def test_a_constructed_history_gives_the_hand_computed_figures(march):
    written, _ = snapshots.take_daily_snapshots(now=brussels(2026, 3, 6, 0, 30))

    rows = region_rows()
    # 31 days up to yesterday, for six regions and the one group.
    assert written == 31 * 6 + 31
    assert min(day for day, _ in rows) == date(2026, 2, 3)
    assert max(day for day, _ in rows) == date(2026, 3, 5)
    assert rows[date(2026, 2, 3), A] == figures(active_members=2)
    assert rows[date(2026, 3, 2), A] == figures(active_members=2, applications=1)
    assert rows[date(2026, 3, 3), A] == figures(active_members=2, applications=1, new_members=1)
    assert rows[date(2026, 3, 4), A] == figures(
        active_members=2, declined=1, meetings_held=1, attendance_present=1, attendance_recorded=2
    )
    assert rows[date(2026, 3, 5), A] == figures(active_members=2, leavers=1)
    assert rows[date(2026, 3, 4), L] == figures(applications=1, withdrawn=1)
    assert rows[date(2026, 3, 4), Region.BRUSSEL] == figures()

    group_rows = {
        row.day: row for row in Snapshot.objects.filter(group=march["group"], day__gte="2026-03-02")
    }
    assert [group_rows[date(2026, 3, d)].active_members for d in (2, 3, 4, 5)] == [1, 2, 2, 2]
    assert group_rows[date(2026, 3, 3)].new_members == 1
    assert group_rows[date(2026, 3, 4)].meetings_held == 1
    assert group_rows[date(2026, 3, 4)].attendance_present == 1
    assert group_rows[date(2026, 3, 5)].meetings_held == 0
    assert {row.region for row in group_rows.values()} == {A}


def test_running_the_daily_task_twice_changes_nothing(march):
    with time_machine.travel(brussels(2026, 3, 6, 0, 30), tick=False):
        tasks.take_daily_snapshots.delay()
        first = list(Snapshot.objects.order_by("pk").values())
        second_run = snapshots.take_daily_snapshots()

    assert first
    assert second_run == (0, 0)
    assert list(Snapshot.objects.order_by("pk").values()) == first


def test_the_task_catches_up_on_missed_nights_and_fills_gaps(march):
    snapshots.take_daily_snapshots(now=brussels(2026, 3, 3, 0, 30))
    Snapshot.objects.filter(day=date(2026, 2, 20)).delete()

    # Three nights without a worker.
    written, _ = snapshots.take_daily_snapshots(now=brussels(2026, 3, 6, 0, 30))

    assert written == 4 * 7  # 20 February, and 3 to 5 March: six regions and the group
    rows = region_rows(region=A)
    assert rows[date(2026, 2, 20), A]["active_members"] == 2
    assert rows[date(2026, 3, 3), A]["new_members"] == 1
    assert rows[date(2026, 3, 5), A]["leavers"] == 1


def test_an_erasure_does_not_change_the_figures_already_taken(march):
    snapshots.take_daily_snapshots(now=brussels(2026, 3, 6, 0, 30))
    before = region_rows(region=A)

    with time_machine.travel(brussels(2026, 3, 6, 10), tick=False):
        services.erase_account(march["approved"].user)
    snapshots.take_daily_snapshots(now=brussels(2026, 3, 7, 0, 30))

    after = region_rows(region=A)
    assert {key: after[key] for key in before} == before
    # The erased member was active: they left that day.
    assert after[date(2026, 3, 6), A] == figures(active_members=1, leavers=1)
    erased = AuditEntry.objects.get(action="members.account.erased")
    assert erased.detail == {"status": "active"}
    # Their attendance went with them; the figures of 4 March stay as taken.
    assert not Attendance.objects.filter(meeting=march["meeting"], status="present").exists()
    assert after[date(2026, 3, 4), A]["attendance_present"] == 1
    assert erased.region == A


def test_late_attendance_is_counted_for_two_weeks_then_the_figures_are_fixed(march):
    old_meeting = MeetingFactory(group=march["group"], starts_at=brussels(2026, 2, 10, 19))
    late_meeting = MeetingFactory(group=march["group"], starts_at=brussels(2026, 3, 2, 19))
    snapshots.take_daily_snapshots(now=brussels(2026, 3, 5, 0, 30))
    assert region_rows(region=A)[date(2026, 3, 2), A]["meetings_held"] == 1

    # Recorded on 9 March: 2 March is within two weeks, 10 February is not.
    for meeting in (late_meeting, old_meeting):
        Attendance.objects.create(meeting=meeting, member=march["approved"], status="present")
        Attendance.objects.create(meeting=meeting, member=march["steady"], status="excused")
    _, updated = snapshots.take_daily_snapshots(now=brussels(2026, 3, 10, 0, 30))

    rows = region_rows(region=A)
    assert rows[date(2026, 3, 2), A] == figures(
        active_members=2,
        applications=1,
        meetings_held=1,
        attendance_present=1,
        attendance_recorded=2,
    )
    assert rows[date(2026, 2, 10), A] == figures(active_members=2, meetings_held=1)
    assert updated == 2  # the region row and the group row of 2 March
    group_row = Snapshot.objects.get(group=march["group"], day=date(2026, 3, 2))
    assert (group_row.attendance_present, group_row.attendance_recorded) == (1, 2)


def _live_history(travel):
    """A week across the change to summer time, lived through the services,
    with the nightly task at 00:30 after each day."""
    coordinator = CoordinatorFactory()
    group = GroupFactory(region=A, created_at=brussels(2026, 1, 5))
    steady = MemberFactory(region=A, status=S.ACTIVE)
    GroupMembership.objects.create(group=group, member=steady, joined_at=brussels(2026, 1, 10))

    numbers = itertools.count()

    def apply(region):
        return services.submit_application(
            UserFactory(),
            pseudonym=f"Lived{next(numbers)}",
            region=region,
            contact_preference="email",
            phone="",
            message="",
        )

    people = {}
    days = {
        date(2026, 3, 27): [
            (10, lambda: people.update(one=apply(A))),
            (23, lambda: people.update(two=apply(A))),
            (11, lambda: people.update(three=apply(L))),
        ],
        date(2026, 3, 28): [
            (
                10,
                lambda: people.update(one=services.approve_application(coordinator, people["one"])),
            ),
            (11, lambda: services.start_intake(coordinator, people["two"])),
        ],
        # Summer time begins at 02:00 this night.
        date(2026, 3, 29): [
            (
                1,
                lambda: people.update(two=services.approve_application(coordinator, people["two"])),
            ),
            (9, lambda: services.decline_application(coordinator, people["three"])),
        ],
        date(2026, 3, 30): [
            (9, lambda: people.update(one=services.pause_membership(people["one"]))),
            (10, lambda: people.update(four=apply(A))),
        ],
        date(2026, 3, 31): [
            (9, lambda: people.update(one=services.resume_membership(people["one"]))),
            (10, lambda: services.erase_account(people["two"].user)),
            (11, lambda: services.erase_account(people["four"].user)),
        ],
        date(2026, 4, 1): [(9, lambda: services.leave_echo(people["one"]))],
        date(2026, 4, 2): [
            (
                22,
                lambda: Attendance.objects.create(
                    meeting=MeetingFactory(group=group, starts_at=brussels(2026, 4, 2, 19)),
                    member=steady,
                    status="present",
                ),
            )
        ],
    }
    for day, events in days.items():
        for hour, event in sorted(events, key=lambda e: e[0]):
            with travel(brussels(day.year, day.month, day.day, hour)):
                event()
        following = day + timedelta(days=1)
        with travel(brussels(following.year, following.month, following.day, 0, 30)):
            tasks.take_daily_snapshots.delay()


def _all_rows():
    return {
        (row.pop("day"), row.pop("region"), row.pop("group_id")): row
        for row in Snapshot.objects.values(
            "day",
            "region",
            "group_id",
            *figures(),
        )
    }


def test_backfill_gives_what_the_nightly_snapshots_gave():
    def travel(moment):
        return time_machine.travel(moment, tick=False)

    _live_history(travel)
    nightly = _all_rows()
    assert min(day for day, _, _ in nightly) == date(2026, 2, 25)
    Snapshot.objects.all().delete()

    with travel(brussels(2026, 4, 3, 0, 30)):
        written, kept = snapshots.backfill(since=date(2026, 2, 25))

    assert written == len(nightly)
    assert kept == 0
    assert _all_rows() == nightly
    rows = region_rows()
    assert [rows[date(2026, 3, d), A]["active_members"] for d in range(26, 32)] == [
        1,
        1,
        2,
        3,
        2,
        2,
    ]
    assert rows[date(2026, 3, 27), A] == figures(active_members=1, applications=2)
    assert rows[date(2026, 3, 29), A] == figures(active_members=3, new_members=1)
    # The erased member was active (a leaver); the erased applicant withdrew.
    assert rows[date(2026, 3, 31), A] == figures(active_members=2, leavers=1, withdrawn=1)
    assert rows[date(2026, 4, 1), A] == figures(active_members=1, leavers=1)
    assert rows[date(2026, 4, 2), A] == figures(
        active_members=1, meetings_held=1, attendance_present=1, attendance_recorded=1
    )
    assert rows[date(2026, 3, 27), L] == figures(applications=1)
    assert rows[date(2026, 3, 29), L] == figures(declined=1)


def test_backfill_keeps_the_days_already_taken(march):
    snapshots.take_daily_snapshots(now=brussels(2026, 3, 4, 0, 30))
    Snapshot.objects.filter(day=date(2026, 3, 3), region=A).update(active_members=99)

    with time_machine.travel(brussels(2026, 3, 6, 0, 30), tick=False):
        call_command("backfill_snapshots", since="2026-03-01")
        written_again, _ = snapshots.backfill(since=date(2026, 3, 1))

    rows = region_rows(region=A)
    assert rows[date(2026, 3, 3), A]["active_members"] == 99
    assert rows[date(2026, 3, 5), A]["leavers"] == 1
    assert min(day for day, _ in rows) == date(2026, 2, 1)
    assert written_again == 0


def test_backfill_starts_at_the_first_day_with_history_by_default(march):
    with time_machine.travel(brussels(2026, 3, 6, 0, 30), tick=False):
        call_command("backfill_snapshots")

    rows = region_rows(region=A)
    assert min(day for day, _ in rows) == date(2025, 12, 1)
    assert rows[date(2026, 2, 1), A]["active_members"] == 2
    assert rows[date(2026, 1, 31), A]["active_members"] == 1


def test_backfill_refuses_a_date_it_cannot_read():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("backfill_snapshots", "--since", "1 March")


def test_the_task_runs_every_night():
    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == tasks.take_daily_snapshots.name
    )
    assert entry["schedule"].hour == {0}
    assert entry["schedule"].minute == {30}


def test_the_backfill_of_many_groups_gives_what_the_nightly_snapshots_give():
    """Groups created and archived inside the period and outside it, joins
    before the first day and on days a group did not exist yet, members who
    are no longer active, cancelled meetings and late attendance: day by day,
    the nightly snapshot (rows computed in Python) and the backfill (on
    PostgreSQL one INSERT ... SELECT) write the same rows."""
    first, last = date(2026, 3, 1), date(2026, 3, 31)
    old = GroupFactory(region=A, created_at=brussels(2025, 6, 1))
    # Created in the evening of 10 March (still 10 March in Brussels, 23:30).
    new = GroupFactory(region=L, created_at=brussels(2026, 3, 10, 23, 30))
    closed = GroupFactory(
        region=A, created_at=brussels(2026, 1, 1), archived_at=brussels(2026, 3, 20, 0, 15)
    )
    GroupFactory(region=A, created_at=brussels(2025, 1, 1), archived_at=brussels(2026, 2, 1))
    GroupFactory(region=L, created_at=brussels(2026, 4, 2))  # after the period
    joins = [
        (old, S.ACTIVE, brussels(2025, 7, 1)),
        (old, S.ACTIVE, brussels(2026, 3, 5, 0, 30)),
        (old, S.PAUSED, brussels(2026, 3, 6)),  # not active now: never counted
        (new, S.ACTIVE, brussels(2026, 3, 2)),  # before the group's first day
        (new, S.ACTIVE, brussels(2026, 3, 15, 23, 59)),
        (closed, S.ACTIVE, brussels(2026, 2, 1)),
        (closed, S.ACTIVE, brussels(2026, 3, 19)),
        (closed, S.ACTIVE, brussels(2026, 3, 25)),  # after it was archived
    ]
    for group, status, at in joins:
        member = MemberFactory(region=group.region, status=status)
        GroupMembership.objects.create(group=group, member=member, joined_at=at)
    for group, day, cancelled in [(old, 4, False), (old, 11, True), (new, 12, False)]:
        meeting = MeetingFactory(
            group=group,
            starts_at=brussels(2026, 3, day, 19),
            cancelled_at=brussels(2026, 3, day, 9) if cancelled else None,
        )
        for status in ["present", "present", "absent"]:
            Attendance.objects.create(meeting=meeting, member=MemberFactory(), status=status)
    MeetingFactory(group=closed, starts_at=brussels(2026, 3, 31, 23, 30))  # 1 April in UTC

    with time_machine.travel(brussels(2026, 4, 1, 0, 30), tick=False):
        nightly = snapshots.compute(first, last)
        written, kept = snapshots.backfill(since=first)

    assert kept == 0
    assert written == len(nightly)
    expected = {
        (row.day, row.region, row.group_id): {name: getattr(row, name) for name in figures()}
        for row in nightly
    }
    assert _all_rows() == expected
    rows = {(day, group): row for (day, _, group), row in expected.items() if group}
    assert rows[date(2026, 3, 4), old.pk] == figures(
        active_members=1, meetings_held=1, attendance_present=2, attendance_recorded=3
    )
    assert rows[date(2026, 3, 5), old.pk] == figures(active_members=2, new_members=1)
    assert (date(2026, 3, 10), new.pk) in rows and (date(2026, 3, 9), new.pk) not in rows
    assert rows[date(2026, 3, 10), new.pk] == figures(active_members=1)
    assert rows[date(2026, 3, 16), new.pk]["active_members"] == 2
    assert rows[date(2026, 3, 19), closed.pk] == figures(active_members=2, new_members=1)
    assert rows[date(2026, 3, 20), closed.pk]["active_members"] == 2
    assert (date(2026, 3, 21), closed.pk) not in rows
    assert {group for _, group in rows} == {old.pk, new.pk, closed.pk}
