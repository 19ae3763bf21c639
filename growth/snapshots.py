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

from django.db import connection, transaction
from django.db.models import Count, F, Min, Q
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


def _held(since, until, now):
    """Meetings that took place from `since` to `until` (not after `now`)."""
    return Meeting.objects.filter(
        cancelled_at__isnull=True, starts_at__gte=since, starts_at__lt=min(until, now)
    )


def _held_per_group_day(held):
    """(grp, day, n): meetings held per group and day."""
    return (
        held.annotate(day=_day("starts_at"))
        .values("day", grp=F("group_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )


def _attendance_per_group_day(held):
    """(grp, day, present, recorded): attendance per group and day."""
    return (
        Attendance.objects.filter(meeting__in=held)
        .annotate(day=_day("meeting__starts_at"))
        .values("day", grp=F("meeting__group_id"))
        .annotate(
            present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)), recorded=Count("pk")
        )
        .order_by()
    )


def _joins_per_group_day(until):
    """(grp, day, n): who joined a group, of the members active today.
    Someone who leaves a group leaves no trace in it: a group's members on a
    past day are those of today who had joined by then."""
    return (
        GroupMembership.objects.filter(member__status=S.ACTIVE, joined_at__lt=until)
        .annotate(day=_day("joined_at"))
        .values("day", grp=F("group_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )


def _groups(since, until):
    """The groups that existed on any day from `since` to `until`, with the
    Brussels days they were created and archived."""
    return (
        Group.objects.filter(created_at__lt=until)
        .exclude(archived_at__lt=since)
        .annotate(created_day=_day("created_at"), archived_day=_day("archived_at"))
        .values("region", "created_day", "archived_day", "created_at", "archived_at", grp=F("pk"))
        .order_by()
    )


def compute(first, last, now=None, *, groups=True):
    """Unsaved Snapshot rows for every region and every group (without
    `groups`: the regions only), for each day from `first` to `last`
    (Brussels dates, both included)."""
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

    held = _held(since, until, now)
    region_of = dict(Group.objects.values_list("pk", "region"))
    group_day = defaultdict(lambda: dict.fromkeys(MEETING_FIELDS, 0))
    for row in _held_per_group_day(held):
        group_day[row["grp"], row["day"]]["meetings_held"] += row["n"]
        region_day[region_of[row["grp"]], row["day"]]["meetings_held"] += row["n"]
    for row in _attendance_per_group_day(held):
        for key in [
            group_day[row["grp"], row["day"]],
            region_day[region_of[row["grp"]], row["day"]],
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
    if not groups:
        return rows

    joined = defaultdict(list)
    for row in _joins_per_group_day(until).order_by("grp", "day"):
        joined[row["grp"]].append((row["day"], row["n"]))
    for group in _groups(since, until):
        pk, created_at, archived_at = group["grp"], group["created_at"], group["archived_at"]
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
                    region=group["region"],
                    group_id=pk,
                    active_members=count,
                    new_members=new[day],
                    **group_day.get((pk, day), {}),
                )
            )
    return rows


def _write_group_rows(first, last, now):
    """Write the group rows of the days from `first` to `last` that have none
    yet, in one INSERT ... SELECT (PostgreSQL): the same figures as
    `compute` gives, from the same queries, without a row passing through
    Python. Returns (rows written, rows already there).

    A group has a row for each day it existed (created by the end of the
    day, not archived before its start). Its members on a day are those who
    had joined by then: a running sum over its days, where a join before the
    first day counts on the first day."""
    since, until = start_of(first), start_of(last + timedelta(days=1))
    held = _held(since, until, now)
    parts = {
        "joins": _joins_per_group_day(until),
        "held": _held_per_group_day(held),
        "att": _attendance_per_group_day(held),
        "grps": _groups(since, until),
    }
    ctes, params = [], []
    for name, queryset in parts.items():
        sql, part_params = queryset.query.sql_with_params()
        ctes.append(f"{name} AS ({sql})")
        params += part_params
    table = Snapshot._meta.db_table
    sql = f"""
        WITH {", ".join(ctes)},
        spans AS (
            SELECT grp, region, GREATEST(created_day, %s::date) AS start,
                   LEAST(COALESCE(archived_day, %s::date), %s::date) AS stop
            FROM grps
        ),
        facts AS (
            SELECT grp, day, n AS joined, 0 AS held, 0 AS present, 0 AS recorded FROM joins
            UNION ALL SELECT grp, day, 0, n, 0, 0 FROM held
            UNION ALL SELECT grp, day, 0, 0, present, recorded FROM att
        ),
        per_day AS (
            SELECT grp, day, SUM(joined) AS joined, SUM(held) AS held,
                   SUM(present) AS present, SUM(recorded) AS recorded
            FROM facts GROUP BY grp, day
        ),
        -- A join before a group's first day counts from its first day.
        earlier AS (
            SELECT joins.grp, SUM(joins.n) AS n
            FROM joins JOIN spans ON spans.grp = joins.grp AND joins.day < spans.start
            GROUP BY joins.grp
        ),
        grid AS (
            SELECT spans.grp, spans.region, d::date AS day,
                   CASE WHEN d = spans.start THEN COALESCE(earlier.n, 0) ELSE 0 END AS before
            FROM spans LEFT JOIN earlier ON earlier.grp = spans.grp,
                 generate_series(spans.start, spans.stop, interval '1 day') AS d
        ),
        computed AS (
            SELECT grid.day, grid.region, grid.grp,
                SUM(grid.before + COALESCE(per_day.joined, 0))
                    OVER (PARTITION BY grid.grp ORDER BY grid.day) AS active_members,
                COALESCE(per_day.joined, 0) AS new_members,
                COALESCE(per_day.held, 0) AS meetings_held,
                COALESCE(per_day.present, 0) AS attendance_present,
                COALESCE(per_day.recorded, 0) AS attendance_recorded
            FROM grid
            LEFT JOIN per_day ON per_day.grp = grid.grp AND per_day.day = grid.day
        ),
        written AS (
            INSERT INTO {table} (
                day, region, group_id, active_members, new_members, meetings_held,
                attendance_present, attendance_recorded,
                applications, declined, withdrawn, leavers, created_at
            )
            SELECT day, region, grp, active_members, new_members, meetings_held,
                attendance_present, attendance_recorded, 0, 0, 0, 0, %s
            FROM computed
            ON CONFLICT DO NOTHING
            RETURNING 1
        )
        SELECT (SELECT COUNT(*) FROM computed), (SELECT COUNT(*) FROM written)
    """  # noqa: S608 (the table's name and Django's own SQL)
    params += [first, last, last, timezone.now()]
    with connection.cursor() as cursor:
        # Sorts and hashes of a few hundred thousand small rows stay in memory.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        total, written = cursor.fetchone()
    return written, total - written


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


# On PostgreSQL the backfill writes the group rows in one INSERT ... SELECT
# (`_write_group_rows`); elsewhere (SQLite) they pass through `compute`.
def set_based():
    return connection.vendor == "postgresql"


@transaction.atomic
def backfill(since=None, now=None):
    """Write the figures of every day from `since` (default: the first day
    with any history) to yesterday that has none yet. Days already written
    are left as they are. Returns (rows written, rows already there)."""
    last = yesterday(now)
    since = since or first_day_with_history()
    if since is None or since > last:
        return 0, 0
    now = now or timezone.now()
    computed = compute(since, last, now, groups=not set_based())
    existing = Snapshot.objects.filter(day__gte=since, day__lte=last)
    if set_based():
        existing = existing.filter(group__isnull=True)
    existing = set(existing.values_list("day", "region", "group"))
    missing = [row for row in computed if _key(row) not in existing]
    Snapshot.objects.bulk_create(missing, batch_size=1000, ignore_conflicts=True)
    written, kept = len(missing), len(computed) - len(missing)
    if set_based():
        in_groups = _write_group_rows(since, last, now)
        written, kept = written + in_groups[0], kept + in_groups[1]
    return written, kept
