"""Reads the meeting pages share: a member's coming and past meetings, who
is going and waiting, the attendance list. Writes are in `services`."""

from datetime import timedelta

from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Lower
from django.utils import timezone

from groups import roles as group_roles
from groups.models import GroupMembership
from members.models import Member

from .models import Attendance, Meeting, Rsvp

Answer = Rsvp.Answer
# How far ahead "my meetings" looks.
UPCOMING_WINDOW = timedelta(days=92)


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
