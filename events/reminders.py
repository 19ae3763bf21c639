"""Reminders before meetings, and the facilitators' list the day before.

A beat task calls `queue_due_reminders` every minute. It works out, from the
answers and each member's chosen offsets, which reminders are due, and queues
each one once as an email in the outbox; the outbox delivers it. The key of
the email is the proof that a reminder was handled: whatever runs twice, the
same reminder is never queued (and so never sent) twice.

Only members who are going get a reminder, and only a reminder holds the
place of the meeting (and not in discreet mode: notify() sends only a link).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from echo import mail
from echo.models import OutgoingEmail
from groups.roles import facilitating_memberships
from members.models import Member, Notice, ReminderOffset
from members.notifications import (
    envelope,
    keep_notices,
    notice_row,
    render,
    rendering,
    wants_emails,
)

from . import emails
from .models import Meeting, Rsvp
from .recurrence import BRUSSELS

logger = logging.getLogger(__name__)

Answer = Rsvp.Answer
DAY = 24 * 60  # minutes
OFFSETS = frozenset(ReminderOffset.values)
# Facilitators hear who is coming the day before, on the same wall clock.
DIGEST_OFFSET = DAY
# A reminder later than this is not sent (see `expiry`).
LATE_BY_AT_MOST = timedelta(hours=1)
# Counted on the wall clock, a week before a meeting can be an hour more than
# 7 × 24 hours (when summer time ends in between).
DST_SLACK = timedelta(hours=1)
REMINDER_WINDOW = timedelta(minutes=max(OFFSETS)) + DST_SLACK
DIGEST_WINDOW = timedelta(minutes=DIGEST_OFFSET) + DST_SLACK


def due_time(starts_at, offset):
    """When the reminder `offset` minutes before `starts_at` is due.

    Whole days are counted on the Brussels wall clock: one day before a
    meeting at 19:00 is 19:00 the day before, also when summer time starts or
    ends in between. Hours are counted as they pass.
    """
    if offset % DAY:
        return starts_at - timedelta(minutes=offset)
    local = timezone.localtime(starts_at, BRUSSELS)
    day = local.date() - timedelta(days=offset // DAY)
    return datetime.combine(day, local.time(), tzinfo=BRUSSELS)


def expiry(starts_at, due):
    """After this a reminder is no longer sent but marked missed.

    An hour late, a reminder has lost its sense ("tomorrow at 19:00" read the
    next morning, "in two hours" read with one to go) and arrives out of the
    blue, after a worker or the mail server was down; it never makes sense
    once the meeting has started.
    """
    return min(starts_at, due + LATE_BY_AT_MOST)


def reminder_key(meeting_code, sequence, member_code, offset):
    """One reminder of one version of a meeting for one member. The sequence
    changes when the meeting is moved (or its place changes), so a moved
    meeting gets fresh reminders for its new time."""
    return emails.REMINDER.key(meeting_code, sequence, member_code, offset)


def digest_key(meeting_code, sequence, facilitator_code):
    return emails.DIGEST.key(meeting_code, sequence, facilitator_code)


def cancel_pending_reminders(meeting):
    """A cancelled or moved meeting: what was queued for it and not yet sent
    speaks of the old time or place, so it is not sent at all. Called with
    the meeting row locked (see events.services)."""
    return mail.cancel_pending(emails.REMINDER.key(meeting.code, "")) + mail.cancel_pending(
        emails.DIGEST.key(meeting.code, "")
    )


def cancel_pending_reminders_of(meeting, member):
    """Someone no longer going gets no reminder that is still waiting to go out."""
    return mail.cancel_pending(emails.REMINDER.key(meeting.code, ""), recipient_code=member.code)


@dataclass(frozen=True)
class Due:
    """A reminder or digest whose moment has come, as read without locks."""

    key: str
    meeting_id: int
    sequence: int
    member_id: int
    offset: int
    due: datetime
    digest: bool = False


def _due_reminders(now):
    """Reminders due by `now` for members going to meetings that start soon.

    One query of plain values (no place is decrypted), however many meetings.
    A reminder is due once its moment has come, if the member was already
    going then: someone who says "going" two hours before does not get the
    one-day reminder.
    """
    rows = Rsvp.objects.filter(
        answer=Answer.GOING,
        member__status=Member.Status.ACTIVE,
        meeting__cancelled_at__isnull=True,
        meeting__starts_at__gt=now,
        meeting__starts_at__lte=now + REMINDER_WINDOW,
    ).values_list(
        "meeting_id",
        "meeting__code",
        "meeting__sequence",
        "meeting__starts_at",
        "member_id",
        "member__code",
        "member__reminder_offsets",
        "answered_at",
    )
    for meeting_id, code, sequence, starts_at, member_id, member_code, offsets, answered in rows:
        for offset in _valid(offsets):
            due = due_time(starts_at, offset)
            if answered <= due <= now:
                key = reminder_key(code, sequence, member_code, offset)
                yield Due(key, meeting_id, sequence, member_id, offset, due)


def _due_digests(now):
    """The day-before lists due by `now`, for each facilitator of the group;
    a meeting planned less than a day ahead has none."""
    rows = (
        facilitating_memberships()
        .filter(
            group__meetings__cancelled_at__isnull=True,
            group__meetings__starts_at__gt=now,
            group__meetings__starts_at__lte=now + DIGEST_WINDOW,
        )
        .values_list(
            "group__meetings__id",
            "group__meetings__code",
            "group__meetings__sequence",
            "group__meetings__starts_at",
            "group__meetings__created_at",
            "member_id",
            "member__code",
        )
    )
    for meeting_id, code, sequence, starts_at, created_at, member_id, member_code in rows:
        due = due_time(starts_at, DIGEST_OFFSET)
        if created_at <= due <= now:
            key = digest_key(code, sequence, member_code)
            yield Due(key, meeting_id, sequence, member_id, DIGEST_OFFSET, due, digest=True)


def _valid(offsets):
    if not isinstance(offsets, list):
        return set()
    return {offset for offset in offsets if offset in OFFSETS}


def queue_due_reminders(now=None):
    """Queue every reminder and digest whose moment has come and that was not
    queued before; returns how many were queued (missed ones included).

    When nothing new is due this costs three small queries, whatever the
    number of meetings; only what is new is read in full, and locked.
    """
    now = now or timezone.now()
    due = [*_due_reminders(now), *_due_digests(now)]
    if not due:
        return 0
    keys = [d.key for d in due]
    # Handled: emailed, or (for someone who wants no emails) kept in Echo.
    handled = set(OutgoingEmail.objects.filter(key__in=keys).values_list("key", flat=True))
    if rest := [key for key in keys if key not in handled]:
        handled |= set(Notice.objects.filter(key__in=rest).values_list("key", flat=True))
    new = [d for d in due if d.key not in handled]
    if not new:
        return 0
    queued = _queue(new)
    if queued:
        logger.info("Queued %s meeting reminders and lists.", queued)
    return queued


# What a reminder or a list needs of a person (see members.notifications):
# no encrypted field is read, so none is decrypted.
PERSON_FIELDS = [
    *(f"member__{name}" for name in ["code", "region", "status", "pseudonym"]),
    *(f"member__{name}" for name in ["emails", "reminder_offsets"]),
    *(f"member__user__{name}" for name in ["email", "code", "language", "time_zone"]),
    "member__user__coordinator_region",
]
RSVP_FIELDS = ["meeting_id", "answer", "answered_at", "waiting_since", *PERSON_FIELDS]


@transaction.atomic
def _queue(new):
    # The meetings are locked in primary-key order, like every change to a
    # meeting and every answer: none can be moved or cancelled, and nobody's
    # answer can change, between reading them here and queuing their
    # reminders, so no reminder is queued with an old time or place.
    meeting_ids = sorted({d.meeting_id for d in new})
    meetings = Meeting.objects.select_for_update(of=("self",)).select_related("group")
    meetings = {m.pk: m for m in meetings.filter(pk__in=meeting_ids).order_by("pk")}
    rsvps = (
        Rsvp.objects.filter(
            meeting_id__in=meeting_ids,
            answer__in=[Answer.GOING, Answer.WAITING],
            member__status=Member.Status.ACTIVE,
        )
        .select_related("member__user")
        .only(*RSVP_FIELDS)
    )
    answers = defaultdict(list)
    for rsvp in rsvps:
        answers[rsvp.meeting_id].append(rsvp)
    facilitators = {
        (m.group_id, m.member_id): m.member
        for m in facilitating_memberships()
        .filter(
            group_id__in={m.group_id for m in meetings.values()},
            member_id__in={d.member_id for d in new if d.digest},
        )
        .select_related("member__user")
        .only("group_id", *PERSON_FIELDS)
    }
    # One rendering per meeting and way of reading it (language, time zone,
    # discreet, full): the reminders of a meeting read the same for everyone
    # who reads them the same way.
    rendered = {}
    batches = defaultdict(list)
    notices = []
    for item in new:
        meeting = meetings.get(item.meeting_id)
        # Changed or cancelled since it was read: the next run sees it afresh.
        if meeting is None or meeting.is_cancelled or meeting.sequence != item.sequence:
            continue
        if item.digest:
            facilitator = facilitators.get((meeting.group_id, item.member_id))
            found = facilitator and _digest(
                facilitator, meeting, item, answers[meeting.pk], rendered
            )
            kind = emails.DIGEST
        else:
            rsvp = next((r for r in answers[meeting.pk] if r.member_id == item.member_id), None)
            found = rsvp and _reminder(rsvp, meeting, item, rendered)
            kind = emails.REMINDER
        if found:
            notice, email = found
            notices.append(notice)
            if email:
                batches[kind].append(email)
    # Every reminder is kept in Echo too, in bulk like the emails.
    keep_notices(notices)
    only_in_echo = len(notices) - sum(len(batch) for batch in batches.values())
    return only_in_echo + sum(mail.queue_emails(kind, batch) for kind, batch in batches.items())


def _ahead(person, notice, meeting, item, rendered, **context):
    """A notice due at `item.due`: the notice in Echo, and its email (None
    for someone who wants none) that goes stale an hour later, as
    `mail.queue_emails` takes it; rendered once per meeting and way of
    reading it (`rendered` keeps them). The `context` must be the same for
    every notice of a meeting."""
    if (url := rendered.get(meeting.pk)) is None:
        url = rendered[meeting.pk] = reverse("events:meeting", args=[meeting.code])
    kept = notice_row(
        person,
        f"events/notices/{notice}.txt",
        kind=emails.DIGEST if item.digest else emails.REMINDER,
        key=item.key,
        url=url,
        target=meeting,
        target_type="events.led_meeting" if item.digest else "events.meeting",
    )
    if not wants_emails(person):
        return kept, None
    way = (notice, meeting.pk, *rendering(person))
    if (text := rendered.get(way)) is None:
        text = rendered[way] = render(
            person,
            f"events/notices/{notice}.txt",
            url=url,
            meeting=meeting,
            group=meeting.group,
            **context,
        )
    return kept, {
        **envelope(person),
        **text,
        "key": item.key,
        "due_at": item.due,
        "expires_at": expiry(meeting.starts_at, item.due),
    }


def _reminder(rsvp, meeting, item, rendered):
    member = rsvp.member
    if (
        rsvp.answer != Answer.GOING
        or rsvp.answered_at > item.due
        or item.offset not in _valid(member.reminder_offsets)
    ):
        return None
    return _ahead(member, "reminder", meeting, item, rendered)


def _digest(facilitator, meeting, item, answering, rendered):
    """Who is going and who is waiting, by pseudonym only."""
    if (lists := rendered.get(("lists", meeting.pk))) is None:
        going = sorted(
            (r.member.shown_pseudonym for r in answering if r.answer == Answer.GOING),
            key=lambda name: str(name).casefold(),
        )
        waiting = [
            r.member.shown_pseudonym
            for r in sorted(answering, key=lambda r: (r.waiting_since or r.answered_at, r.pk))
            if r.answer == Answer.WAITING
        ]
        free = max(meeting.capacity - len(going), 0)
        lists = rendered[("lists", meeting.pk)] = {"going": going, "waiting": waiting, "free": free}
    return _ahead(facilitator, "facilitator_digest", meeting, item, rendered, **lists)
