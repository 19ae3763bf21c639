"""Taking the daily figures.

`compute` counts any run of days with the same seven aggregate queries, how
many days, members or groups there may be. The nightly task and the backfill
command both use it, so a backfilled day holds what the nightly snapshot
would have held.

Active members at the end of a day are counted back from today: the members
active now, minus those who became active after that day, plus those who
stopped being active after it. Counting back from the present keeps the
figures true to the members table, also for members whose history is
incomplete.

Erasure deletes a member's history, so their part of the past is read from
the audit log instead, which keeps the region, the day and the random code of
every application, decision, departure and erasure (and, for an erasure, the
status it ended). The pauses of an erased member are lost: someone erased
while paused, or after leaving, no longer counts as active for the time
before. The nightly snapshots keep them: once written, a row is not
recomputed.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from echo.models import AuditEntry, Region
from events.models import Attendance, Meeting
from events.recurrence import BRUSSELS
from groups.models import Group, GroupMembership
from members.models import Member, StatusChange

from .models import Snapshot

S = Member.Status
# The nightly task fills in whatever is missing this many days back.
CATCH_UP_DAYS = 31
# Facilitators record attendance after the meeting, sometimes days later: the
# meeting and attendance figures of this many recent days are brought up to
# date every night, unless fewer attendances are recorded than before (only
# an erasure removes them). After that they are fixed like everything else.
SETTLING_DAYS = 14
MEETING_FIELDS = ["meetings_held", "attendance_present", "attendance_recorded"]
FLOW_FIELDS = ["applications", "new_members", "declined", "withdrawn", "leavers"]

SUBMITTED = "members.application.submitted"
APPROVED = "members.application.approved"
DECLINED = "members.application.declined"
WITHDRAWN = "members.application.withdrawn"
LEFT = "members.membership.left"
ERASED = "members.account.erased"


def start_of(day):
    """The first moment of a Brussels day."""
    return datetime.combine(day, time(), tzinfo=BRUSSELS)


def yesterday(now=None):
    return timezone.localtime(now, BRUSSELS).date() - timedelta(days=1)


def _day(field):
    # Explicit: the current time zone is the person's, not Brussels.
    return TruncDate(field, tzinfo=BRUSSELS)


def _changes(since):
    """Per region and day: the membership history of members who still exist."""
    became_active = Q(to_status=S.ACTIVE) & ~Q(from_status=S.ACTIVE)
    stopped_active = Q(from_status=S.ACTIVE) & ~Q(to_status=S.ACTIVE)
    return (
        StatusChange.objects.filter(at__gte=since)
        .annotate(day=_day("at"))
        .values("member__region", "day")
        .annotate(
            became_active=Count("pk", filter=became_active),
            stopped_active=Count("pk", filter=stopped_active),
            applications=Count("pk", filter=Q(to_status=S.APPLIED)),
            new_members=Count(
                "pk", filter=Q(to_status=S.ACTIVE, from_status__in=Member.OPEN_APPLICATION)
            ),
            declined=Count("pk", filter=Q(to_status=S.DECLINED)),
            withdrawn=Count("pk", filter=Q(to_status=S.WITHDRAWN)),
            leavers=Count("pk", filter=Q(to_status=S.LEFT)),
        )
        .order_by()
    )


def _erased_history(since):
    """Per region and day: the same figures for erased members, from the audit log."""
    erased = AuditEntry.objects.filter(action=ERASED)
    erased_codes = erased.exclude(target_code="").values("target_code")
    erased_active = erased.filter(detail__status=S.ACTIVE).values("target_code")
    erasure = Q(action=ERASED)
    return (
        AuditEntry.objects.filter(
            at__gte=since,
            action__in=[SUBMITTED, APPROVED, DECLINED, WITHDRAWN, LEFT, ERASED],
            target_code__in=erased_codes,
        )
        .annotate(day=_day("at"))
        .values("region", "day")
        .annotate(
            # Only for those erased while active is the whole active time known.
            became_active=Count("pk", filter=Q(action=APPROVED, target_code__in=erased_active)),
            stopped_active=Count("pk", filter=erasure & Q(detail__status=S.ACTIVE)),
            applications=Count("pk", filter=Q(action=SUBMITTED)),
            new_members=Count("pk", filter=Q(action=APPROVED)),
            declined=Count("pk", filter=Q(action=DECLINED)),
            # Erasing an open application withdraws it; erasing a membership ends it.
            withdrawn=Count(
                "pk",
                filter=Q(action=WITHDRAWN)
                | (erasure & Q(detail__status__in=Member.OPEN_APPLICATION)),
            ),
            leavers=Count(
                "pk",
                filter=Q(action=LEFT) | (erasure & Q(detail__status__in=[S.ACTIVE, S.PAUSED])),
            ),
        )
        .order_by()
    )


def compute(first, last, now=None):
    """Unsaved Snapshot rows for every region and every group, for each day
    from `first` to `last` (Brussels dates, both included)."""
    now = now or timezone.now()
    since, until = start_of(first), start_of(last + timedelta(days=1))
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]

    active_now = dict(
        Member.objects.filter(status=S.ACTIVE)
        .values_list("region")
        .annotate(n=Count("pk"))
        .order_by()
    )
    net_after_last = defaultdict(int)
    net = defaultdict(int)
    region_day = defaultdict(lambda: dict.fromkeys(FLOW_FIELDS + MEETING_FIELDS, 0))
    history = [(row["member__region"], row) for row in _changes(since)]
    history += [(row["region"], row) for row in _erased_history(since)]
    for region, row in history:
        change = row["became_active"] - row["stopped_active"]
        if row["day"] > last:
            net_after_last[region] += change
            continue
        net[region, row["day"]] += change
        figures = region_day[region, row["day"]]
        for field in FLOW_FIELDS:
            figures[field] += row[field]

    held = Q(cancelled_at__isnull=True, starts_at__gte=since, starts_at__lt=min(until, now))
    group_day = defaultdict(lambda: dict.fromkeys(MEETING_FIELDS, 0))
    for row in (
        Meeting.objects.filter(held)
        .annotate(day=_day("starts_at"))
        .values("group", "group__region", "day")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        group_day[row["group"], row["day"]]["meetings_held"] += row["n"]
        region_day[row["group__region"], row["day"]]["meetings_held"] += row["n"]
    for row in (
        Attendance.objects.filter(meeting__in=Meeting.objects.filter(held))
        .annotate(day=_day("meeting__starts_at"))
        .values("meeting__group", "meeting__group__region", "day")
        .annotate(
            present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)), recorded=Count("pk")
        )
        .order_by()
    ):
        for key in [
            group_day[row["meeting__group"], row["day"]],
            region_day[row["meeting__group__region"], row["day"]],
        ]:
            key["attendance_present"] += row["present"]
            key["attendance_recorded"] += row["recorded"]

    rows = []
    for region in Region.values:
        active = active_now.get(region, 0) - net_after_last[region]
        for day in reversed(days):
            rows.append(
                Snapshot(
                    day=day,
                    region=region,
                    active_members=max(active, 0),
                    **region_day.get((region, day), {}),
                )
            )
            active -= net[region, day]

    # Someone who leaves a group leaves no trace in it: a group's members on a
    # past day are those of today who had joined by then.
    joined = defaultdict(list)
    for row in (
        GroupMembership.objects.filter(member__status=S.ACTIVE, joined_at__lt=until)
        .annotate(day=_day("joined_at"))
        .values("group", "day")
        .annotate(n=Count("pk"))
        .order_by("group", "day")
    ):
        joined[row["group"]].append((row["day"], row["n"]))
    for pk, region, created_at, archived_at in (
        Group.objects.filter(created_at__lt=until)
        .exclude(archived_at__lt=since)
        .values_list("pk", "region", "created_at", "archived_at")
        .order_by()
    ):
        joins, count, new = joined[pk], 0, defaultdict(int)
        for day, n in joins:
            if day < first:
                count += n
            else:
                new[day] += n
        for day in days:
            count += new[day]
            if created_at >= start_of(day + timedelta(days=1)) or (
                archived_at is not None and archived_at < start_of(day)
            ):
                continue
            rows.append(
                Snapshot(
                    day=day,
                    region=region,
                    group_id=pk,
                    active_members=count,
                    new_members=new[day],
                    **group_day.get((pk, day), {}),
                )
            )
    return rows


def _key(snapshot):
    return snapshot.day, snapshot.region, snapshot.group_id


@transaction.atomic
def take_daily_snapshots(now=None):
    """Write the figures of yesterday and of any day missing in the month
    before it; bring the meeting figures of the last two weeks up to date.

    A day already written keeps its figures: the membership counts of the
    past must not change when someone is erased today. Running this twice
    changes nothing. Returns (rows written, rows brought up to date).
    """
    last = yesterday(now)
    first = last - timedelta(days=CATCH_UP_DAYS - 1)
    computed = compute(first, last, now)
    existing = {_key(s): s for s in Snapshot.objects.filter(day__gte=first, day__lte=last)}
    missing = [row for row in computed if _key(row) not in existing]
    # Another run at the same moment may have written some: they are the same.
    Snapshot.objects.bulk_create(missing, batch_size=1000, ignore_conflicts=True)

    settling_since = last - timedelta(days=SETTLING_DAYS - 1)
    changed = []
    for row in computed:
        old = existing.get(_key(row))
        if (
            old is None
            or row.day < settling_since
            or row.attendance_recorded < old.attendance_recorded
        ):
            continue
        if any(getattr(old, field) != getattr(row, field) for field in MEETING_FIELDS):
            for field in MEETING_FIELDS:
                setattr(old, field, getattr(row, field))
            changed.append(old)
    Snapshot.objects.bulk_update(changed, MEETING_FIELDS, batch_size=1000)
    return len(missing), len(changed)


def first_day_with_history():
    """The first day anything countable happened, or None."""
    firsts = [
        StatusChange.objects.aggregate(first=Min("at"))["first"],
        Meeting.objects.aggregate(first=Min("starts_at"))["first"],
        AuditEntry.objects.filter(action=SUBMITTED).aggregate(first=Min("at"))["first"],
    ]
    firsts = [moment for moment in firsts if moment is not None]
    return timezone.localtime(min(firsts), BRUSSELS).date() if firsts else None


@transaction.atomic
def backfill(since=None, now=None):
    """Write the figures of every day from `since` (default: the first day
    with any history) to yesterday that has none yet. Days already written
    are left as they are. Returns (rows written, rows already there)."""
    last = yesterday(now)
    since = since or first_day_with_history()
    if since is None or since > last:
        return 0, 0
    computed = compute(since, last, now)
    existing = set(
        Snapshot.objects.filter(day__gte=since, day__lte=last).values_list("day", "region", "group")
    )
    missing = [row for row in computed if _key(row) not in existing]
    Snapshot.objects.bulk_create(missing, batch_size=1000, ignore_conflicts=True)
    return len(missing), len(computed) - len(missing)
