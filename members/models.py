from zoneinfo import available_timezones

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from echo.fields import EncryptedTextField
from echo.models import Region, random_code


class Language(models.TextChoices):
    NL = "nl", "Nederlands"
    FR = "fr", "Français"
    EN = "en", "English"


def validate_time_zone(value):
    if value not in available_timezones():
        raise ValidationError(_("Choose a time zone from the list."))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An account: an applicant or member (see Member), a coordinator or an admin."""

    email = models.EmailField(_("email address"), unique=True)
    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    language = models.CharField(_("language"), max_length=2, choices=Language, default=Language.NL)
    # Set for the staff of one Vertrouwenscentrum: they coordinate that region.
    coordinator_region = models.CharField(
        _("coordinator of region"), max_length=20, choices=Region, blank=True
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Brussels", validators=[validate_time_zone]
    )
    is_staff = models.BooleanField(_("administrator"), default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        member = getattr(self, "member", None)
        return member.pseudonym if member else self.code

    @property
    def is_coordinator(self):
        return bool(self.coordinator_region)

    @cached_property
    def is_facilitator(self):
        """Leads at least one group that is not archived."""
        member = getattr(self, "member", None)
        return bool(
            member
            and member.is_active_member
            and member.memberships.filter(
                role=GroupMembership.Role.FACILITATOR, group__archived_at__isnull=True
            ).exists()
        )

    @property
    def needs_second_factor(self):
        """Facilitators, coordinators and administrators must use 2FA."""
        return self.is_staff or self.is_coordinator or self.is_facilitator


class ReminderOffset(models.IntegerChoices):
    """How long before a meeting a reminder goes out, in minutes. Whole days
    are counted on the Brussels wall clock (see events.reminders)."""

    WEEK = 7 * 24 * 60, _("1 week before")
    THREE_DAYS = 3 * 24 * 60, _("3 days before")
    DAY = 24 * 60, _("1 day before")
    SIX_HOURS = 6 * 60, _("6 hours before")
    TWO_HOURS = 2 * 60, _("2 hours before")
    HOUR = 60, _("1 hour before")


def default_reminder_offsets():
    return [ReminderOffset.DAY.value, ReminderOffset.TWO_HOURS.value]


class Member(models.Model):
    """A survivor's application and, once approved, their membership."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        IN_INTAKE = "in_intake", _("in intake")
        ACTIVE = "active", _("active")
        ON_HOLD = "on_hold", _("on hold")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")
        PAUSED = "paused", _("paused")
        LEFT = "left", _("left")

    class Contact(models.TextChoices):
        EMAIL = "email", _("by email, through Echo")
        PHONE = "phone", _("by phone")

    OPEN_APPLICATION = [Status.APPLIED, Status.IN_INTAKE, Status.ON_HOLD]
    CLOSED_APPLICATION = [Status.DECLINED, Status.WITHDRAWN]

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="member")
    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    pseudonym = models.CharField(_("pseudonym"), max_length=40)
    region = models.CharField(_("region"), max_length=20, choices=Region)
    status = models.CharField(max_length=12, choices=Status, default=Status.APPLIED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    contact_preference = models.CharField(
        _("contact for the intake"),
        max_length=5,
        choices=Contact,
        default=Contact.EMAIL,
    )
    phone = EncryptedTextField(_("phone number"), blank=True)
    message_to_coordinator = EncryptedTextField(_("message to the coordinator"), blank=True)
    privacy_version = models.CharField(max_length=20)
    privacy_agreed_at = models.DateTimeField()
    discreet_emails = models.BooleanField(
        _("discreet emails"),
        default=False,
        help_text=_("Emails carry no details, only a link to Echo."),
    )
    # Minutes before each meeting one is going to (ReminderOffset); empty: none.
    reminder_offsets = models.JSONField(
        _("reminders"), default=default_reminder_offsets, blank=True
    )
    applied_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("pseudonym"), name="unique_pseudonym_ci"),
        ]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self):
        return self.pseudonym

    @property
    def is_active_member(self):
        return self.status == self.Status.ACTIVE

    @property
    def is_applicant(self):
        return self.status in self.OPEN_APPLICATION

    @property
    def email_verified(self):
        return self.user.emailaddress_set.filter(verified=True).exists()


class StatusChange(models.Model):
    """The history of a membership: every transition, who made it and why."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, choices=Member.Status, blank=True)
    to_status = models.CharField(max_length=12, choices=Member.Status)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    reason = EncryptedTextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"


class IntakeNote(models.Model):
    """A coordinator's confidential note on an application."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="intake_notes")
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    text = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d}"


class IntakeMessage(models.Model):
    """The conversation between an applicant and the coordinators of their
    region, kept in Echo so that no email from a coordinator's own mailbox
    ever reaches the applicant, and no applicant has to email a coordinator."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    from_applicant = models.BooleanField(default=False)
    text = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d}"


class GroupQuerySet(models.QuerySet):
    def current(self):
        return self.filter(archived_at__isnull=True)

    def led_by(self, member):
        return self.filter(
            memberships__member=member, memberships__role=GroupMembership.Role.FACILITATOR
        )

    def of(self, member):
        return self.filter(memberships__member=member)

    def open_to(self, member):
        """Groups of the member's region that take requests to join."""
        return self.current().filter(region=member.region, accepts_members=True)


class Group(models.Model):
    """A peer group of one region, led by one or more facilitators."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("every week")
        TWO_WEEKLY = "two_weekly", _("every two weeks")
        FOUR_WEEKLY = "four_weekly", _("every four weeks")
        MONTHLY = "monthly", _("once a month")
        IRREGULAR = "irregular", _("irregularly")

    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    region = models.CharField(_("region"), max_length=20, choices=Region)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description for members"), blank=True)
    format = models.CharField(_("format"), max_length=10, choices=Format, default=Format.IN_PERSON)
    cadence = models.CharField(
        _("meets"), max_length=12, choices=Cadence, default=Cadence.TWO_WEEKLY
    )
    max_size = models.PositiveSmallIntegerField(
        _("maximum size"), default=12, validators=[MinValueValidator(2), MaxValueValidator(100)]
    )
    accepts_members = models.BooleanField(
        _("open to requests to join"),
        default=True,
        help_text=_("Members of the region see the group and can ask to join."),
    )
    show_attendance = models.BooleanField(
        _("members see who is in the group and who is going"),
        default=False,
        help_text=_("Off: members see neither the other members nor how many are going."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["region", "archived_at"])]

    def __str__(self):
        return self.name

    @property
    def is_archived(self):
        return self.archived_at is not None


class GroupMembership(models.Model):
    """A member in a group, as a participant or as one of its facilitators."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        FACILITATOR = "facilitator", _("facilitator")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="one_membership_per_group"),
        ]

    def __str__(self):
        return f"{self.member} in {self.group}"

    @property
    def is_facilitator(self):
        return self.role == self.Role.FACILITATOR


class JoinRequest(models.Model):
    """A member asks to join a group; its facilitators decide."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="join_requests")
    # Free text to facilitators is encrypted at rest.
    note = EncryptedTextField(_("a few words for the facilitators"), blank=True)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"],
                condition=models.Q(state="pending"),
                name="one_pending_request_per_group",
            ),
        ]

    def __str__(self):
        return f"{self.member} → {self.group} ({self.state})"


class GroupMessage(models.Model):
    """A facilitator writes to the whole group or to those going to a meeting;
    Echo emails it to each of them and no address is ever shown."""

    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="messages")
    meeting = models.ForeignKey(
        "events.Meeting", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    text = EncryptedTextField(_("message"))
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.group} {self.created_at:%Y-%m-%d}"
