from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echo.fields import EncryptedTextField
from echo.models import Region, random_code
from members.models import Member

User = settings.AUTH_USER_MODEL


class GroupQuerySet(models.QuerySet):
    def current(self):
        return self.filter(archived_at__isnull=True)

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


class SupportRequest(models.Model):
    """A member tells the facilitators of one of their groups, or the
    coordinators of their region (no group), that they are having a hard
    time: privately, not on a board. The email to them is a link only; the
    note is read on that page, by them alone."""

    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="support_requests")
    # None: the coordinators of the member's region.
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="support_requests"
    )
    region = models.CharField(max_length=20, choices=Region)
    # Free text to facilitators and coordinators is encrypted at rest.
    note = EncryptedTextField(_("a few words (optional)"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "created_at"])]

    def __str__(self):
        return f"{self.member} {self.created_at:%Y-%m-%d}"


class RevealingWord(models.Model):
    """A word that would tell whoever reads an email or a calendar what a
    group is about ("misbruik", "survivor"): a group's name may not hold one.
    Coordinators of every region keep one list together."""

    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    word = models.CharField(_("word"), max_length=40)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["word", "pk"]
        constraints = [
            models.UniqueConstraint(models.functions.Lower("word"), name="unique_revealing_word"),
        ]

    def __str__(self):
        return self.word

    def occurs_in(self, name):
        # Part of a word counts too: Dutch writes "misbruikgroep" as one word.
        return self.word.casefold() in name.casefold()
