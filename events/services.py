"""Business rules of meetings: planning, answers and the waiting list, changes,
attendance. Views and tasks call these."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echo import audit
from groups import roles as group_roles
from groups.services import write_to_group
from members.models import Member
from members.notifications import notify, notify_each

from . import emails, queries
from .models import Attendance, Meeting, Place, Rsvp, Series
from .recurrence import local_instant, occurrence_dates
from .reminders import cancel_pending_reminders, cancel_pending_reminders_of

Answer = Rsvp.Answer
# Changing these tells everyone who is going or waiting.
NOTICEABLE = {"starts_at", "ends_at", *Place.PLACE_FIELDS}


class MeetingError(ValueError):
    """A rule of meetings refuses the change; the message says why."""


def _check_group_meets(group):
    if group.is_archived:
        raise MeetingError(_("This group no longer meets."))


def _check_duration(duration):
    if duration <= timedelta(0):
        raise MeetingError(_("A meeting must end after it starts."))


def _audit(actor, action, meeting_or_series):
    group = meeting_or_series.group
    audit.record(actor, action, meeting_or_series, region=group.region, group=group.code)


# Planning


@transaction.atomic
def plan_meeting(
    facilitator, group, *, starts_at, duration, capacity=None, rsvp_closes_at=None, **place
):
    _check_group_meets(group)
    _check_duration(duration)
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


def _check_series(series):
    _check_duration(series.duration)
    if series.ends_on is None and not series.count:
        # Without an end a series would quietly stop at the planning horizon.
        raise MeetingError(_("A repeating meeting needs a last date or a number of meetings."))
    if series.ends_on is not None and series.ends_on < series.starts_on:
        raise MeetingError(_("The last date is before the first date."))
    if series.rsvp_closes_before < timedelta(0):
        raise MeetingError(_("Answers cannot close after the meeting starts."))


@transaction.atomic
def plan_series(facilitator, group, **fields):
    _check_group_meets(group)
    if not fields.get("capacity"):
        fields["capacity"] = group.max_size
    fields.setdefault("rsvp_closes_before", timedelta(0))
    series = Series(group=group, created_by=facilitator, **fields)
    _check_series(series)
    now = timezone.now()
    days = [day for day in _dates(series) if local_instant(day, series.start_time) > now]
    if not days:
        raise MeetingError(_("This series has no meeting in the future."))
    series.save()
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
    was changed or cancelled on its own; past ones stay as they were."""
    series = Series.objects.select_for_update().select_related("group").get(pk=series.pk)
    _check_group_meets(series.group)
    for name, value in fields.items():
        setattr(series, name, value)
    _check_series(series)
    series.save()
    now = timezone.now()
    days = {day for day in _dates(series) if local_instant(day, series.start_time) > now}
    # Locked in primary-key order, like everything that locks several meetings,
    # so that two changes at the same moment cannot wait on each other.
    occurrences = {
        meeting.occurrence_date: meeting
        for meeting in series.meetings.select_for_update().order_by("pk")
    }
    for day, meeting in sorted(occurrences.items()):
        if meeting.detached or meeting.starts_at <= now:
            continue
        if meeting.is_cancelled:
            # Only an earlier series edit cancels an occurrence without
            # detaching it; if that date is back, so is the meeting.
            if day in days:
                _reinstate(actor, meeting, _occurrence(series, day))
        elif day in days:
            _change(actor, meeting, _occurrence(series, day))
        else:
            _cancel(actor, meeting)
    Meeting.objects.bulk_create(
        Meeting(group=series.group, series=series, occurrence_date=day, **_occurrence(series, day))
        for day in sorted(days - occurrences.keys())
    )
    _audit(actor, "events.series.updated", series)
    return series


def _reinstate(actor, meeting, fields):
    """Everyone was told this meeting was cancelled, so it comes back as a
    new meeting: nobody is counted as going until they answer again."""
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.cancelled_at = None
    meeting.sequence += 1
    meeting.updated_at = timezone.now()
    meeting.save()
    meeting.rsvps.all().delete()
    _audit(actor, "events.meeting.reinstated", meeting)


@transaction.atomic
def update_meeting(actor, meeting, **fields):
    """Change one meeting; in a series, only this occurrence (it is detached,
    so that later changes to the series leave it alone)."""
    meeting = Meeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)
    _check_group_meets(meeting.group)
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting is cancelled."))
    now = timezone.now()
    if meeting.is_past(now):
        raise MeetingError(_("This meeting is over."))
    starts_at = fields.get("starts_at") or meeting.starts_at
    # Moved without a new end, a meeting keeps its length.
    ends_at = fields.get("ends_at") or starts_at + (meeting.ends_at - meeting.starts_at)
    if ends_at <= starts_at:
        raise MeetingError(_("A meeting must end after it starts."))
    if starts_at != meeting.starts_at and starts_at <= now:
        raise MeetingError(_("A meeting can only be moved to a time in the future."))
    fields["starts_at"], fields["ends_at"] = starts_at, ends_at
    # Answers close no later than the start; when not given, they close as
    # long before the (new) start as they did before.
    closes_at = fields.get("rsvp_closes_at") or (
        starts_at - (meeting.starts_at - meeting.rsvp_closes_at)
    )
    fields["rsvp_closes_at"] = min(closes_at, starts_at)
    if not fields.get("capacity"):
        fields.pop("capacity", None)
    if meeting.series_id:
        meeting.detached = True
    _change(actor, meeting, fields)
    _audit(actor, "events.meeting.updated", meeting)
    return meeting


def _change(actor, meeting, fields):
    """Apply changes to a meeting whose row is locked; tell those going or
    waiting when the time or the place changed."""
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
        # Reminders follow the new version (their keys hold the sequence).
        cancel_pending_reminders(meeting)
        _tell_everyone_answering(
            meeting,
            "events/notices/changed.txt",
            emails.CHANGED,
            (meeting.code, meeting.sequence),
        )
    if "capacity" in changed:
        _promote_waiting(meeting)


@transaction.atomic
def cancel_meeting(actor, meeting):
    """Cancel one meeting and tell everyone going or waiting. An occurrence of
    a series is detached: editing the series later does not bring it back.
    A meeting that is over stays as it was (it may have ended a moment ago,
    while a group was being archived)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled or meeting.is_past():
        return meeting
    if meeting.series_id:
        meeting.detached = True
    return _cancel(actor, meeting)


def _cancel(actor, meeting):
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting.updated_at = meeting.cancelled_at
    meeting.save(update_fields=["cancelled_at", "sequence", "updated_at", "detached"])
    cancel_pending_reminders(meeting)
    _tell_everyone_answering(
        meeting,
        "events/notices/cancelled.txt",
        emails.CANCELLED,
        (meeting.code, meeting.sequence),
    )
    _audit(actor, "events.meeting.cancelled", meeting)
    return meeting


def _tell_everyone_answering(meeting, notice, kind, key_parts):
    answering = Member.objects.filter(
        rsvps__meeting=meeting, rsvps__answer__in=[Answer.GOING, Answer.WAITING]
    ).select_related("user")
    notify_each(
        answering,
        notice,
        kind=kind,
        key_of=lambda member: kind.key(*key_parts, member.code),
        url=reverse("events:meeting", args=[meeting.code]),
        target=meeting,
        meeting=meeting,
    )


# Answers and the waiting list


@transaction.atomic
def answer(member, meeting, going):
    """Going, or not. When the meeting is full, going means the waiting list.

    The meeting row is locked first, so two people answering at the same
    moment are served one after the other and never overfill it: the second
    one counts the seats only once the first has committed.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not group_roles.is_in_group(member.user, meeting.group):
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
        full = count_going(meeting) >= meeting.capacity
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
        cancel_pending_reminders_of(meeting, member)
        _promote_waiting(meeting)
    return rsvp


def _promote_waiting(meeting):
    """Fill free seats from the waiting list, first come first served, and
    tell each person who moves up. Called with the meeting row locked."""
    if meeting.has_started() or meeting.is_cancelled:
        return []
    free = meeting.capacity - count_going(meeting)
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
            kind=emails.PROMOTED,
            key=emails.PROMOTED.key(meeting.code, rsvp.member.code, rsvp.waiting_since.timestamp()),
            url=reverse("events:meeting", args=[meeting.code]),
            target=meeting,
            meeting=meeting,
        )
    return promoted


def waiting_position(rsvp):
    """1 for the first on the waiting list; None when not waiting."""
    if rsvp is None or rsvp.answer != Answer.WAITING:
        return None
    ahead = Rsvp.objects.filter(meeting_id=rsvp.meeting_id, answer=Answer.WAITING).filter(
        Q(waiting_since__lt=rsvp.waiting_since)
        | Q(waiting_since=rsvp.waiting_since, pk__lt=rsvp.pk)
    )
    return ahead.count() + 1


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
    # One meeting at a time, in primary-key order (see update_series).
    for meeting_id in sorted(set(rsvps.values_list("meeting_id", flat=True))):
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        was_going = rsvps.filter(meeting=meeting, answer=Answer.GOING).exists()
        rsvps.filter(meeting=meeting).update(answer=Answer.NOT_GOING, waiting_since=None)
        if was_going:
            _promote_waiting(meeting)


# Attendance


@transaction.atomic
def record_attendance(actor, meeting, statuses):
    """`statuses` maps members to present, absent or excused."""
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting is cancelled."))
    if not meeting.has_started():
        raise MeetingError(_("Attendance can be recorded once the meeting has started."))
    allowed = set(queries.people_for_attendance(meeting).values_list("pk", flat=True))
    if any(member.pk not in allowed for member in statuses):
        raise MeetingError(_("Attendance is only recorded for people of this group."))
    if any(status not in Attendance.Status.values for status in statuses.values()):
        raise MeetingError(_("Choose present, absent or excused."))
    now = timezone.now()
    for member, status in statuses.items():
        Attendance.objects.update_or_create(
            meeting=meeting,
            member=member,
            defaults={"status": status, "recorded_by": actor, "recorded_at": now},
        )
    Meeting.objects.filter(pk=meeting.pk).update(attendance_recorded_at=now)
    _audit(actor, "events.attendance.recorded", meeting)


def count_going(meeting):
    return meeting.rsvps.filter(answer=Answer.GOING).count()


# What other apps' changes mean for meetings (connected in apps.py)


def release_member(member, group=None, **kwargs):
    """A member pauses, leaves a group, leaves Echo or erases their account:
    their seats at coming meetings (of `group`, or all) go to the waiting list."""
    if member is not None:
        withdraw_from_future_meetings(member, group=group)


def cancel_meetings_of_archived_group(group, actor, **kwargs):
    """An archived group no longer meets: its coming meetings are cancelled
    and everyone going is told."""
    for meeting in group.meetings.upcoming().scheduled():
        cancel_meeting(actor, meeting)


def personal_data(member, **kwargs):
    """The meetings part of a person's export."""
    if member is None:
        return {}
    return {
        "meetings": [
            {"starts_at": r.meeting.starts_at.isoformat(), "answer": r.answer}
            for r in member.rsvps.select_related("meeting")
        ],
        "attendance": [
            {"starts_at": a.meeting.starts_at.isoformat(), "status": a.status}
            for a in member.attendance.select_related("meeting")
        ],
    }


@transaction.atomic
def write_to_those_going(facilitator, meeting, text):
    """A facilitator writes to those going to one coming meeting of their group."""
    if not Meeting.objects.upcoming().scheduled().filter(pk=meeting.pk).exists():
        raise MeetingError(_("Choose an upcoming meeting of this group."))
    going = Member.objects.filter(rsvps__meeting=meeting, rsvps__answer=Answer.GOING)
    return write_to_group(
        facilitator,
        meeting.group,
        text,
        meeting=meeting,
        recipients=going,
        url=reverse("events:meeting", args=[meeting.code]),
    )
