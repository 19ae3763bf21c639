"""Reads the meeting pages share: a member's coming and past meetings, who
is going and waiting, the attendance list. Writes are in `services`."""

from datetime import timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Lower, RowNumber
from django.utils import timezone

from echo.queries import count_per_row
from groups import roles as group_roles
from groups.models import GroupMembership
from members.models import Member

from .models import Attendance, Meeting, Rsvp

Answer = Rsvp.Answer
# How far ahead "my meetings" looks.
UPCOMING_WINDOW = timedelta(days=92)
# How many of each kind the member home shows.
HOME_SHOWN = 5
# The place is for the meeting page only: lists do not decrypt it.
PLACE_FIELDS = ("address", "practical_notes", "online_link")
# How long after a meeting the member home reminds its facilitators to record who came.
ATTENDANCE_WAITS = timedelta(days=30)


def people_for_attendance(meeting):
    """Members of the group and anyone who was going, waiting or already
    recorded; those going first. Each carries `rsvp_answer` and
    `attendance_status` (None when there is none)."""
    answers = Rsvp.objects.filter(meeting=meeting, member=OuterRef("pk"))
    records = Attendance.objects.filter(meeting=meeting, member=OuterRef("pk"))
    in_group = GroupMembership.objects.filter(group=meeting.group_id, member=OuterRef("pk"))
    return (
        Member.objects.filter(
            Exists(in_group)
            | Exists(answers.filter(answer__in=[Answer.GOING, Answer.WAITING]))
            | Exists(records)
        )
        .annotate(
            rsvp_answer=Subquery(answers.values("answer")[:1]),
            attendance_status=Subquery(records.values("status")[:1]),
            going_first=Case(
                When(rsvp_answer=Answer.GOING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("going_first", Lower("pseudonym"), "pk")
    )


def going_and_waiting(meeting):
    """Pseudonyms of those going (by name) and waiting (in order)."""
    rsvps = meeting.rsvps.select_related("member")
    going = rsvps.filter(answer=Answer.GOING).order_by(Lower("member__pseudonym"), "pk")
    waiting = rsvps.filter(answer=Answer.WAITING).order_by("waiting_since", "pk")
    return [rsvp.member for rsvp in going], [rsvp.member for rsvp in waiting]


def _with_own_answer(meetings, member):
    own = Rsvp.objects.filter(meeting=OuterRef("pk"), member=member)
    return meetings.select_related("group").annotate(own_answer=Subquery(own.values("answer")[:1]))


def upcoming_meetings_of(member, now=None):
    """The coming meetings of all the member's current groups, cancelled ones
    included, each with the member's own answer (`own_answer`)."""
    now = now or timezone.now()
    groups = group_roles.groups_of(member.user).values("pk")
    meetings = Meeting.objects.upcoming(now).filter(
        group__in=groups, starts_at__lte=now + UPCOMING_WINDOW
    )
    return _with_own_answer(meetings, member)


def past_meetings_of(member, now=None):
    """Meetings that took place while the member was in the group, or that
    they answered or were recorded for; each with `own_answer` and
    `own_attendance`."""
    in_group_then = GroupMembership.objects.filter(
        group=OuterRef("group"), member=member, joined_at__lte=OuterRef("starts_at")
    )
    answered = Rsvp.objects.filter(meeting=OuterRef("pk"), member=member)
    recorded = Attendance.objects.filter(meeting=OuterRef("pk"), member=member)
    meetings = (
        Meeting.objects.past(now)
        .scheduled()
        .filter(Exists(in_group_then) | Exists(answered) | Exists(recorded))
    )
    return _with_own_answer(meetings, member).annotate(
        own_attendance=Subquery(recorded.values("status")[:1])
    )


def home_meetings(user, now=None):
    """The member home, in one query whatever the number of groups and
    meetings: the next meetings the person is going to or waits for, and the
    coming meetings of their groups they have not answered yet and still can
    (within `UPCOMING_WINDOW`). At most `HOME_SHOWN` of each kind, soonest
    first; each meeting carries `kind` ("going" or "open"), `of_kind` (how
    many of that kind there are), `own_answer` and `waiting_position`."""
    now = now or timezone.now()
    member = user.member
    own = Rsvp.objects.filter(meeting=OuterRef("pk"), member=member)
    ahead = Rsvp.objects.filter(meeting=OuterRef("pk"), answer=Answer.WAITING).filter(
        Q(waiting_since__lt=OuterRef("own_waiting_since"))
        | Q(waiting_since=OuterRef("own_waiting_since"), pk__lt=OuterRef("own_rsvp"))
    )
    kind = Case(
        When(own_answer__in=[Answer.GOING, Answer.WAITING], then=Value("going")),
        When(
            own_answer__isnull=True,
            cancelled_at__isnull=True,
            rsvp_closes_at__gt=now,
            starts_at__lte=now + UPCOMING_WINDOW,
            then=Value("open"),
        ),
        output_field=CharField(),
    )
    soonest = [F("starts_at").asc(), F("pk").asc()]
    return (
        Meeting.objects.filter(group__in=group_roles.groups_of(user).values("pk"), ends_at__gte=now)
        .select_related("group")
        .defer(*PLACE_FIELDS)
        .annotate(
            own_answer=Subquery(own.values("answer")[:1]),
            own_rsvp=Subquery(own.values("pk")[:1]),
            own_waiting_since=Subquery(own.values("waiting_since")[:1]),
            kind=kind,
        )
        .filter(kind__isnull=False)
        .annotate(
            waiting_ahead=count_per_row(ahead, "meeting"),
            rank=Window(RowNumber(), partition_by=[F("kind")], order_by=soonest),
            of_kind=Window(Count("pk"), partition_by=[F("kind")]),
        )
        .filter(rank__lte=HOME_SHOWN)
        .order_by("starts_at", "pk")
    )


def attendance_to_record(user, now=None):
    """Meetings of the groups the person leads that ended in the last
    `ATTENDANCE_WAITS` and whose attendance nobody recorded yet, oldest first."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(
            group__in=group_roles.groups_led_by(user),
            ends_at__lt=now,
            ends_at__gte=now - ATTENDANCE_WAITS,
            attendance_recorded_at__isnull=True,
        )
        .scheduled()
        .select_related("group")
        .defer(*PLACE_FIELDS)
        .order_by("starts_at", "pk")
    )
