from zoneinfo import available_timezones

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from echo.fields import EncryptedTextField
from echo.models import Region, random_code

from .screening import pseudonym_problem


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
    # Mixed into the marks that browsers the person signed in from carry
    # (members.security): a new key makes every browser new again.
    known_browsers_key = models.CharField(max_length=32, default=random_code, editable=False)
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


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Member.Status.ACTIVE)


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

    class Emails(models.TextChoices):
        """What Echo's emails to the person say; every notice is in Echo
        anyway (the inbox). Sign-in and security emails go out whatever
        the choice: they are how one gets into Echo at all."""

        FULL = "full", _("full: what the notice says, with the names of your groups")
        UNNAMED = "unnamed", _("full, without names: what the notice says, “your group”")
        DISCREET = "discreet", _("discreet: only that there is news, with a link")
        NONE = "none", _("none: notices only inside Echo")

    emails = models.CharField(_("emails"), max_length=10, choices=Emails, default=Emails.DISCREET)
    # Minutes before each meeting one is going to (ReminderOffset); empty: none.
    reminder_offsets = models.JSONField(
        _("reminders"), default=default_reminder_offsets, blank=True
    )
    applied_at = models.DateTimeField(default=timezone.now)

    objects = MemberQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("pseudonym"), name="unique_pseudonym_ci"),
        ]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self):
        return self.pseudonym

    @cached_property
    def shown_pseudonym(self):
        """The name other members see. A pseudonym chosen before the screening
        that carries contact details is never shown: they see "member"."""
        if pseudonym_problem(self.pseudonym):
            return pgettext_lazy("someone whose pseudonym is not shown", "member")
        return self.pseudonym

    @property
    def full_emails(self):
        """Emails may name the person's groups."""
        return self.emails == self.Emails.FULL

    @property
    def discreet_emails(self):
        """Emails carry no details, only a link."""
        return self.emails == self.Emails.DISCREET

    @property
    def is_active_member(self):
        return self.status == self.Status.ACTIVE

    @property
    def is_applicant(self):
        return self.status in self.OPEN_APPLICATION

    @property
    def has_intake_conversation(self):
        """The person and the coordinators can still write to each other:
        during the application, and after a decline (the person may answer)."""
        return self.status in [*self.OPEN_APPLICATION, self.Status.DECLINED]

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


class Suspension(models.Model):
    """A coordinator suspends a member until a moment: they keep their groups
    and meetings, but neither write on the boards nor act as a facilitator."""

    class Length(models.TextChoices):
        DAY = "1", _("24 hours")
        THREE_DAYS = "3", _("3 days")
        WEEK = "7", _("a week")
        MONTH = "30", _("a month")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    # Why, in the coordinator's words: encrypted at rest.
    reason = EncryptedTextField()
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"until {self.until:%Y-%m-%d}"


# What a notice can be about ("groups.group", "groups.led_group"): each app
# registers, for what its notices point at, who may still see one (see
# `register_notice_target`).
_notice_targets = {}


def register_notice_target(name, readable, context):
    """Notices about a `name` target (an instance found by its `code`) are
    shown only to a person who may still see it: `readable(user)` gives the
    instances the person may see (the owning app's access rule, as a
    queryset: the rule of the page the notice links to); `context(instance)`
    the names its notice templates read ("group", "meeting", ...)."""
    _notice_targets[name] = (readable, context)


def notice_targets():
    return dict(_notice_targets)


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user, target_types=None):
        """The person's notices that they may still see: one about a group
        they left, a thread now hidden or a board they no longer read is not
        shown. One query, the access rules as subqueries; with `target_types`,
        only the rules of those kinds of target are built (and only notices
        of those kinds can match)."""
        if not user.is_authenticated:
            return self.none()
        allowed = Q(target_type="")
        for label, (readable, _context) in _notice_targets.items():
            if target_types is None or label in target_types:
                allowed |= Q(target_type=label, target__in=readable(user).values("code"))
        return self.filter(user=user).filter(allowed)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """Something Echo tells a person inside Echo, where only they read it (an
    email may be read by someone else). Stored as a kind and a few
    parameters, never as text: it is worded when shown, in the language the
    person reads Echo in then, and its time in their time zone. Free text (a
    facilitator's message) is not copied: the notice points at it (`target`),
    and is shown only while the person may see what it points at."""

    class Kind(models.TextChoices):
        # params: browser, system (names from the user agent; "" if unknown)
        NEW_SIGN_IN = "new_sign_in", _("sign-in from a new browser")

    SECURITY = [Kind.NEW_SIGN_IN]

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    # A security kind above, or the name of an email kind (echo.email_kinds).
    kind = models.CharField(max_length=40)
    # The notice's template (with the email's partials, see notifications).
    template = models.CharField(max_length=100, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # Where the notice leads: a path inside Echo.
    url = models.CharField(max_length=200, blank=True)
    # What it is about: a registered kind of target and the instance's code.
    target_type = models.CharField(max_length=40, blank=True)
    target = models.CharField(max_length=32, blank=True)
    # The email's key: the same notice is kept once, however often it is sent.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d}"

    @property
    def is_security(self):
        return self.kind in self.SECURITY

    @property
    def device(self):
        """The browser and system of a sign-in, in words."""
        browser = self.params.get("browser") or _("an unknown browser")
        system = self.params.get("system")
        if not system:
            return browser
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
