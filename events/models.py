"""Group meetings: single or in a series, with RSVP, waiting list and attendance."""

import hashlib
import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echo.fields import EncryptedTextField
from echo.models import random_code
from groups.models import Group
from members.models import Member, User


class Place(models.Model):
    """Where a meeting happens. Encrypted at rest: an address or a link can
    identify a group, and it is shown only to those going."""

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")

    place_kind = models.CharField(_("where"), max_length=10, choices=Kind, default=Kind.IN_PERSON)
    address = EncryptedTextField(_("address"), blank=True)
    practical_notes = EncryptedTextField(
        _("practical notes"),
        blank=True,
        help_text=_("For example: which door, which bell, parking, accessibility."),
    )
    online_link = EncryptedTextField(_("link to the online meeting"), blank=True)

    class Meta:
        abstract = True

    PLACE_FIELDS = ["place_kind", "address", "practical_notes", "online_link"]

    @property
    def is_online(self):
        return self.place_kind == self.Kind.ONLINE


class Series(Place):
    """A recurring meeting; its occurrences are Meeting rows, generated ahead."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("every week")
        TWO_WEEKLY = "two_weekly", _("every two weeks")
        FOUR_WEEKLY = "four_weekly", _("every four weeks")
        MONTHLY = "monthly", _("every month, on the same weekday")

    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="series")
    frequency = models.CharField(_("repeats"), max_length=12, choices=Frequency)
    # Wall-clock date and time in Europe/Brussels: 19:00 stays 19:00 across DST.
    starts_on = models.DateField(_("first date"))
    start_time = models.TimeField(_("starts at"))
    duration = models.DurationField(_("duration"))
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(
        _("number of meetings"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    rsvp_closes_before = models.DurationField(_("answers close before the start"))
    created_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("series")

    def __str__(self):
        return f"{self.group} ({self.get_frequency_display()})"


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def scheduled(self):
        return self.filter(cancelled_at__isnull=True)


class Meeting(Place):
    """One meeting of a group: on its own, or one occurrence of a series."""

    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    # The date the series rule gave this occurrence, even after it was moved.
    occurrence_date = models.DateField(null=True, blank=True)
    # Moved or changed on its own: editing the series no longer touches it.
    detached = models.BooleanField(default=False)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    rsvp_closes_at = models.DateTimeField(_("answers close at"))
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change that calendars must pick up (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["group", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["series", "occurrence_date"], name="one_meeting_per_occurrence"
            ),
        ]

    def __str__(self):
        return f"{self.group} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    def has_started(self, now=None):
        return (now or timezone.now()) >= self.starts_at

    def is_past(self, now=None):
        return (now or timezone.now()) >= self.ends_at

    def accepts_answers(self, now=None):
        return not self.is_cancelled and (now or timezone.now()) < self.rsvp_closes_at


class Rsvp(models.Model):
    """A member's answer to a meeting: going, on the waiting list, or not going."""

    class Answer(models.TextChoices):
        GOING = "going", _("going")
        WAITING = "waiting", _("on the waiting list")
        NOT_GOING = "not_going", _("not going")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="rsvps")
    answer = models.CharField(max_length=10, choices=Answer)
    # The order of the waiting list: first come, first promoted.
    waiting_since = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_answer_per_meeting"),
        ]
        indexes = [models.Index(fields=["meeting", "answer", "waiting_since"])]

    def __str__(self):
        return f"{self.member}: {self.answer}"


class Attendance(models.Model):
    """Who came, recorded by a facilitator after the meeting."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=8, choices=Status)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="one_attendance_per_meeting"
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.status}"


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A member's private calendar feed. Only a hash of the secret is stored,
    so a copy of the database does not open anyone's calendar."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.member} ({self.created_at:%Y-%m-%d})"

    @classmethod
    def issue(cls, member):
        """Create or renew the feed; returns the new secret, shown only now."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(
            member=member, defaults={"token_hash": hash_token(token), "created_at": timezone.now()}
        )
        return token

    @classmethod
    def for_token(cls, token):
        return (
            cls.objects.select_related("member")
            .filter(token_hash=hash_token(token), member__status=Member.Status.ACTIVE)
            .first()
        )
