"""What the meetings app shows on other apps' pages (see echo.panels)."""

from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone

from echo.queries import count_per_row
from groups import roles as group_roles
from groups.models import Group

from . import queries
from .models import Attendance, Meeting, Rsvp

PAST_MEETINGS_SHOWN = 20


def _with_my_answer(meetings, member):
    """Annotate each meeting with the member's own answer and attendance, in the
    same query whatever the number of meetings."""
    if member is None:
        return meetings
    return meetings.annotate(
        my_answer=Subquery(
            Rsvp.objects.filter(meeting=OuterRef("pk"), member=member).values("answer")[:1]
        ),
        my_attendance=Subquery(
            Attendance.objects.filter(meeting=OuterRef("pk"), member=member).values("status")[:1]
        ),
    )


def _going_count():
    going = Rsvp.objects.filter(meeting=OuterRef("pk"), answer=Rsvp.Answer.GOING)
    return count_per_row(going, "meeting")


def group_meetings(request, *, group, member, leads, sees_people, **objects):
    """The group page: its coming and past meetings, with one's own answers."""
    upcoming = Meeting.objects.filter(group=group).upcoming()
    if sees_people:
        upcoming = upcoming.annotate(going_count=_going_count())
    past = Meeting.objects.filter(group=group).past()
    context = {
        "group": group,
        "member": member,
        "leads": leads,
        "sees_people": sees_people,
        "upcoming": _with_my_answer(upcoming, member),
        "past": _with_my_answer(past, member)[:PAST_MEETINGS_SHOWN],
    }
    return render_to_string("events/panels/group_meetings.html", context, request=request)


def next_meetings(request, groups):
    """The facilitation page: each group's next meeting and a way to plan one."""
    next_meeting = (
        Meeting.objects.filter(group=OuterRef("pk"), starts_at__gte=timezone.now())
        .scheduled()
        .order_by("starts_at", "pk")
    )
    rows = (
        Group.objects.filter(pk__in=[group.pk for group in groups])
        .annotate(
            next_code=Subquery(next_meeting.values("code")[:1]),
            next_at=Subquery(next_meeting.values("starts_at")[:1]),
        )
        .values("pk", "code", "next_code", "next_at")
    )
    return {
        row["pk"]: render_to_string(
            "events/panels/next_meeting.html", {"row": row}, request=request
        )
        for row in rows
    }


def home_meetings(request, *, member, **objects):
    """The member home: the next meetings one is going to (or waits for, with
    one's place on the list) and those of one's groups still to answer."""
    going, open_ = [], []
    for meeting in queries.home_meetings(request.user):
        if meeting.own_answer == Rsvp.Answer.WAITING:
            meeting.waiting_position = meeting.waiting_ahead + 1
        (going if meeting.kind == "going" else open_).append(meeting)
    context = {
        "going": going,
        "going_more": going[0].of_kind - len(going) if going else 0,
        "open": open_,
        "open_more": open_[0].of_kind - len(open_) if open_ else 0,
    }
    return render_to_string("events/panels/member_home.html", context, request=request)


def attendance_waiting(request, *, member, **objects):
    """The member home, for facilitators: past meetings whose attendance
    waits to be recorded."""
    if not group_roles.is_facilitator(request.user):
        return ""
    meetings = list(queries.attendance_to_record(request.user)[: queries.HOME_SHOWN + 1])
    if not meetings:
        return ""
    context = {
        "meetings": meetings[: queries.HOME_SHOWN],
        "more": len(meetings) > queries.HOME_SHOWN,
    }
    return render_to_string("events/panels/attendance_waiting.html", context, request=request)
