"""Business rules of meetings: planning, answers and the waiting list, changes,
attendance. Views and tasks call these."""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echo import audit
from members.models import GroupMembership, Member
from members.notifications import notify

from .models import Attendance, Meeting, Place, Rsvp, Series
from .recurrence import local_instant, occurrence_dates

Answer = Rsvp.Answer
# Changing these tells everyone who is going or waiting.
NOTICEABLE = {"starts_at", "ends_at", *Place.PLACE_FIELDS}


class MeetingError(ValueError):
    """A rule of meetings refuses the change; the message says why."""


def _check_group_meets(group):
    if group.is_archived:
        raise MeetingError(_("This group no longer meets."))


def _audit(actor, action, meeting_or_series):
    group = meeting_or_series.group
    audit.record(actor, action, meeting_or_series, region=group.region, group=group.code)


# Planning


@transaction.atomic
def plan_meeting(
    facilitator, group, *, starts_at, duration, capacity=None, rsvp_closes_at=None, **place
):
    _check_group_meets(group)
    if starts_at <= timezone.now():
        raise MeetingError(_("A meeting can only be planned in the future."))
    meeting = Meeting.objects.create(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + duration,
        capacity=capacity or group.max_size,
        rsvp_closes_at=min(rsvp_closes_at or starts_at, starts_at),
        **place,
    )
    _audit(facilitator.user, "events.meeting.planned", meeting)
    return meeting


def _occurrence(series, day):
    starts_at = local_instant(day, series.start_time)
    return {
        "starts_at": starts_at,
        "ends_at": starts_at + series.duration,
        "capacity": series.capacity,
        "rsvp_closes_at": starts_at - series.rsvp_closes_before,
        **{name: getattr(series, name) for name in Place.PLACE_FIELDS},
    }


@transaction.atomic
def plan_series(facilitator, group, **fields):
    _check_group_meets(group)
    fields.setdefault("capacity", group.max_size)
    series = Series.objects.create(group=group, created_by=facilitator, **fields)
    now = timezone.now()
    days = [day for day in _dates(series) if local_instant(day, series.start_time) > now]
    if not days:
        raise MeetingError(_("This series has no meeting in the future."))
    Meeting.objects.bulk_create(
        Meeting(group=group, series=series, occurrence_date=day, **_occurrence(series, day))
        for day in days
    )
    _audit(facilitator.user, "events.series.planned", series)
    return series


def _dates(series):
    return occurrence_dates(
        series.frequency, series.starts_on, ends_on=series.ends_on, count=series.count
    )


@transaction.atomic
def update_series(actor, series, **fields):
    """Change the series from now on: future occurrences follow, unless one
    was changed on its own; past ones stay as they were."""
    for name, value in fields.items():
        setattr(series, name, value)
    series.save()
    now = timezone.now()
    days = {day for day in _dates(series) if local_instant(day, series.start_time) > now}
    occurrences = {meeting.occurrence_date: meeting for meeting in series.meetings.all()}
    for day, meeting in occurrences.items():
        if meeting.detached or meeting.is_cancelled or meeting.starts_at <= now:
            continue
        if day in days:
            _change(actor, meeting, _occurrence(series, day))
        else:
            cancel_meeting(actor, meeting)
    Meeting.objects.bulk_create(
        Meeting(group=series.group, series=series, occurrence_date=day, **_occurrence(series, day))
        for day in sorted(days - occurrences.keys())
    )
    _audit(actor, "events.series.updated", series)
    return series


@transaction.atomic
def update_meeting(actor, meeting, **fields):
    """Change one meeting; in a series, only this occurrence."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting is cancelled."))
    if meeting.is_past():
        raise MeetingError(_("This meeting is over."))
    if "starts_at" in fields and "rsvp_closes_at" in fields:
        fields["rsvp_closes_at"] = min(
            fields["rsvp_closes_at"] or fields["starts_at"], fields["starts_at"]
        )
    if meeting.series_id:
        meeting.detached = True
    _change(actor, meeting, fields)
    _audit(actor, "events.meeting.updated", meeting)
    return meeting


def _change(actor, meeting, fields):
    changed = {name for name, value in fields.items() if getattr(meeting, name) != value}
    if not changed and not meeting.detached:
        return
    for name in changed:
        setattr(meeting, name, fields[name])
    noticeable = changed & NOTICEABLE
    if noticeable:
        meeting.sequence += 1
    meeting.updated_at = timezone.now()
    meeting.save()
    if noticeable:
        _tell_everyone_answering(
            meeting,
            "events/notices/changed.txt",
            "events.changed",
            f"meeting-changed:{meeting.code}:{meeting.sequence}",
        )
    if "capacity" in changed:
        _promote_waiting(meeting)


@transaction.atomic
def cancel_meeting(actor, meeting):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        return meeting
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting.updated_at = meeting.cancelled_at
    meeting.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    _tell_everyone_answering(
        meeting,
        "events/notices/cancelled.txt",
        "events.cancelled",
        f"meeting-cancelled:{meeting.code}",
    )
    _audit(actor, "events.meeting.cancelled", meeting)
    return meeting


def _tell_everyone_answering(meeting, notice, kind, key):
    for rsvp in meeting.rsvps.filter(answer__in=[Answer.GOING, Answer.WAITING]).select_related(
        "member__user"
    ):
        notify(
            rsvp.member,
            notice,
            kind=kind,
            key=f"{key}:{rsvp.member.code}",
            url=reverse("events:meeting", args=[meeting.code]),
            meeting=meeting,
        )


# Answers and the waiting list


def is_in_group(member, group):
    return GroupMembership.objects.filter(member=member, group=group).exists()


@transaction.atomic
def answer(member, meeting, going):
    """Going, or not. When the meeting is full, going means the waiting list.

    The meeting row is locked first, so two people answering at the same
    moment are served one after the other and never overfill it.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not member.is_active_member or not is_in_group(member, meeting.group):
        raise MeetingError(_("Only members of the group can answer."))
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting is cancelled."))
    now = timezone.now()
    rsvp = Rsvp.objects.filter(meeting=meeting, member=member).first()
    if going:
        if not meeting.accepts_answers(now):
            raise MeetingError(_("Answers for this meeting are closed."))
        if rsvp and rsvp.answer in (Answer.GOING, Answer.WAITING):
            return rsvp
        full = meeting.rsvps.filter(answer=Answer.GOING).count() >= meeting.capacity
        values = {
            "answer": Answer.WAITING if full else Answer.GOING,
            "waiting_since": now if full else None,
            "answered_at": now,
        }
    else:
        if meeting.has_started(now):
            raise MeetingError(_("This meeting has already started."))
        values = {"answer": Answer.NOT_GOING, "waiting_since": None, "answered_at": now}
    was_going = bool(rsvp and rsvp.answer == Answer.GOING)
    rsvp, _created = Rsvp.objects.update_or_create(meeting=meeting, member=member, defaults=values)
    if was_going and not going:
        _promote_waiting(meeting)
    return rsvp


def _promote_waiting(meeting):
    """Fill free seats from the waiting list, first come first served, and
    tell each person who moves up. Called with the meeting row locked."""
    if meeting.has_started() or meeting.is_cancelled:
        return []
    free = meeting.capacity - meeting.rsvps.filter(answer=Answer.GOING).count()
    if free <= 0:
        return []
    promoted = list(
        meeting.rsvps.filter(answer=Answer.WAITING)
        .order_by("waiting_since", "pk")
        .select_related("member__user")[:free]
    )
    for rsvp in promoted:
        Rsvp.objects.filter(pk=rsvp.pk).update(answer=Answer.GOING, answered_at=timezone.now())
        notify(
            rsvp.member,
            "events/notices/promoted.txt",
            kind="events.promoted",
            key=f"promoted:{meeting.code}:{rsvp.member.code}:{rsvp.waiting_since.timestamp()}",
            url=reverse("events:meeting", args=[meeting.code]),
            meeting=meeting,
        )
    return promoted


@transaction.atomic
def withdraw_from_future_meetings(member, group=None):
    """Someone who leaves a group, pauses or leaves Echo frees their seats."""
    rsvps = Rsvp.objects.filter(
        member=member,
        answer__in=[Answer.GOING, Answer.WAITING],
        meeting__starts_at__gt=timezone.now(),
    )
    if group is not None:
        rsvps = rsvps.filter(meeting__group=group)
    for meeting_id in list(rsvps.values_list("meeting_id", flat=True)):
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        was_going = rsvps.filter(meeting=meeting, answer=Answer.GOING).exists()
        rsvps.filter(meeting=meeting).update(answer=Answer.NOT_GOING, waiting_since=None)
        if was_going:
            _promote_waiting(meeting)


# Attendance


@transaction.atomic
def record_attendance(actor, meeting, statuses):
    """`statuses` maps members to present, absent or excused."""
    if not meeting.has_started():
        raise MeetingError(_("Attendance can be recorded once the meeting has started."))
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting is cancelled."))
    now = timezone.now()
    for member, status in statuses.items():
        Attendance.objects.update_or_create(
            meeting=meeting,
            member=member,
            defaults={"status": status, "recorded_by": actor, "recorded_at": now},
        )
    Meeting.objects.filter(pk=meeting.pk).update(attendance_recorded_at=now)
    _audit(actor, "events.attendance.recorded", meeting)


def people_for_attendance(meeting):
    """Members of the group and anyone who answered, going first."""
    return (
        Member.objects.filter(Q(memberships__group=meeting.group) | Q(rsvps__meeting=meeting))
        .distinct()
        .order_by("pseudonym")
    )


def count_going(meeting):
    return meeting.rsvps.filter(answer=Answer.GOING).count()
