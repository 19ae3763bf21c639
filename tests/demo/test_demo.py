from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Sum
from django.utils import timezone

from boards.models import Board, Post, Thread
from demo import history
from echo.models import AuditEntry, Region
from events.models import Attendance, Meeting
from groups.models import Group
from growth import snapshots
from growth.models import Snapshot
from members.models import Member, User

pytestmark = pytest.mark.django_db


def test_demo_loads_people_groups_and_living_boards(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")

    assert Group.objects.count() == len(history.GROUPS)
    assert User.objects.filter(coordinator_region="antwerpen").exists()
    assert Board.objects.filter(kind__in=["community", "staff"]).count() == 2
    assert Thread.objects.filter(published=True, board__kind="community").count() >= 2
    assert Thread.objects.filter(published=True, board__kind="group").exists()
    # Something waits in the review queue, so that moderation can be tried at once.
    assert Post.objects.filter(state="pending").exists()
    assert Post.objects.filter(reports__isnull=False).exists()
    assert "admin@example.org" in capsys.readouterr().out


def test_demo_is_refused_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not User.objects.exists()


def _active_on(day):
    figures = Snapshot.objects.filter(day=day, group=None)
    return figures.aggregate(n=Sum("active_members"))["n"]


def test_demo_has_two_years_of_history_in_the_figures(settings):
    settings.DEBUG = True
    call_command("load_demo")

    # The backfill ran: every day since the first application has its figures.
    first = snapshots.first_day_with_history()
    last = snapshots.yesterday()
    assert (last - first).days >= 700
    assert Snapshot.objects.filter(group=None).count() == ((last - first).days + 1) * len(Region)
    assert _active_on(first) <= 1
    # From nothing to more than 60 members within the first months ...
    assert _active_on(first + timedelta(days=100)) > 60
    # ... then growing steadily, half year after half year.
    halves = [_active_on(first + timedelta(days=days)) for days in (100, 280, 460, 640)]
    assert halves == sorted(halves)
    assert _active_on(last) > halves[0] * 2

    totals = Snapshot.objects.filter(group=None).aggregate(
        **{name: Sum(name) for name in Snapshot.FIGURES[1:]}
    )
    assert totals["applications"] > totals["new_members"] > 200
    assert totals["declined"] and totals["withdrawn"] and totals["leavers"]
    assert totals["meetings_held"] > 300
    assert totals["attendance_recorded"] > 5 * totals["meetings_held"]
    assert 0.6 < totals["attendance_present"] / totals["attendance_recorded"] < 0.9

    # Every region grew, has groups that met with attendance recorded, and
    # counts enough members for the report to show them (not "<5").
    for region in Region.values:
        figures = Snapshot.objects.filter(group=None, region=region)
        assert figures.get(day=last).active_members >= 10, region
        assert figures.aggregate(n=Sum("meetings_held"))["n"] > 20, region
        assert Attendance.objects.filter(meeting__group__region=region).exists(), region
        assert Group.objects.filter(region=region).count() >= 2, region
        group_rows = Snapshot.objects.filter(region=region, group__isnull=False, day=last)
        assert group_rows.aggregate(n=Sum("active_members"))["n"] >= 10, region


def test_demo_history_is_what_echo_writes(settings):
    settings.DEBUG = True
    call_command("load_demo")

    # Every member has a status history from the application to their status.
    for member in Member.objects.all():
        steps = list(member.history.all())
        assert steps[0].to_status == Member.Status.APPLIED, member
        assert steps[-1].to_status == member.status, member
        assert [s.from_status for s in steps[1:]] == [s.to_status for s in steps[:-1]], member
    # The audit log the backfill reads for erased people.
    submitted = AuditEntry.objects.filter(action=snapshots.SUBMITTED)
    assert submitted.count() > Member.objects.count()
    assert AuditEntry.objects.filter(action=snapshots.ERASED, detail__status="active").exists()
    assert AuditEntry.objects.filter(action=snapshots.ERASED, detail__status="declined").exists()
    # Nobody erased by the nightly task is still here, and nobody is in a group over its size.
    retention = timedelta(days=settings.STALE_APPLICATION_DAYS + 1)
    assert not Member.objects.filter(
        status__in=Member.CLOSED_APPLICATION, status_changed_at__lt=timezone.now() - retention
    ).exists()
    for group in Group.objects.all():
        assert group.memberships.filter(member__status__in=["active", "paused"]).count() <= (
            group.max_size
        ), group
        assert not group.memberships.exclude(member__status__in=["active", "paused"]).exists()
    # Attendance is recorded after the meeting, by the group's facilitator.
    held = Meeting.objects.filter(attendance_recorded_at__isnull=False)
    assert held.exists()
    assert not Attendance.objects.exclude(recorded_at__gte=F("meeting__ends_at")).exists()
    # The named demo people are members since their moment, in their groups.
    lotus = Member.objects.get(pseudonym="Lotus")
    assert lotus.memberships.get().role == "facilitator"
    assert lotus.history.first().at < timezone.now() - timedelta(days=700)
    assert Member.objects.get(pseudonym="Kastanje").memberships.get().group.name == "Dinsdagavond"
