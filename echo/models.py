import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import email_kinds
from .fields import EncryptedTextField


def random_code() -> str:
    """An unguessable code for URLs, so that no sequential id is ever shown."""
    return secrets.token_urlsafe(12)


class Region(models.TextChoices):
    ANTWERPEN = "antwerpen", _("Antwerp")
    LIMBURG = "limburg", _("Limburg")
    OOST_VLAANDEREN = "oost-vlaanderen", _("East Flanders")
    WEST_VLAANDEREN = "west-vlaanderen", _("West Flanders")
    VLAAMS_BRABANT = "vlaams-brabant", _("Flemish Brabant")
    BRUSSEL = "brussel", _("Brussels")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """An append-only record of who did what to whom.

    Actor and target are opaque codes, not foreign keys: when a person is
    erased, nothing here has to change and nothing here names them.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_code = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=64)
    target_code = models.CharField(max_length=32, blank=True)
    region = models.CharField(max_length=20, choices=Region, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["region", "-at"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")


class OutgoingEmail(models.Model):
    """An email as a row, written in the transaction of the change that causes
    it; a Celery task delivers it and a sweep picks up whatever was missed."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")
        # Its moment had passed before it could go out (a reminder an hour
        # late, a worker that was down): never sent.
        MISSED = "missed", _("missed")

    code = models.CharField(max_length=32, unique=True, default=random_code)
    kind = models.CharField(max_length=64)
    # Makes a notification idempotent: the same key is never queued twice.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    to = models.EmailField()
    # Subjects are fixed, neutral words per kind ("Echo: a message for you"):
    # whoever sees the recipient's mailbox reads them too. The bodies carry
    # intake messages, group messages and meeting places: encrypted at rest.
    subject = models.CharField(max_length=200)
    body_text = EncryptedTextField()
    body_html = EncryptedTextField(blank=True)
    due_at = models.DateTimeField(default=timezone.now)
    # After this it is pointless or misleading: it is marked missed, not sent.
    expires_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    # FAILED_EMAIL_BODY_DAYS after it failed, a failed email loses its body and
    # the coordinators of the region are told: it will never be sent.
    given_up_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # For coordinators' list of failed deliveries: the recipient's region and
    # member code (never shown as an address), when the email is for a member.
    region = models.CharField(max_length=20, choices=Region, blank=True)
    recipient_code = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["region", "state"]),
        ]

    def __str__(self):
        return f"{self.kind} ({self.state})"

    @property
    def kind_label(self):
        return email_kinds.label_of(self.kind)

    def has_expired(self, now=None):
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


class HelpLine(models.Model):
    """A help line shown on every page (echo.help_lines), kept as data so that
    an administrator can correct a number or a website without a release."""

    class Language(models.TextChoices):
        DUTCH = "nl", _("answers in Dutch")
        FRENCH = "fr", _("answers in French")
        EVERYONE = "all", _("for everyone (such as 112)")

    name = models.CharField(_("name"), max_length=80)
    phone = models.CharField(
        _("phone number"),
        max_length=20,
        blank=True,
        help_text=_("As people read it, for example 0800 32 123; shown as a link to call."),
    )
    url = models.URLField(_("website"), blank=True)
    language = models.CharField(_("language"), max_length=3, choices=Language)
    description_nl = models.CharField(_("description in Dutch"), max_length=200)
    description_fr = models.CharField(_("description in French"), max_length=200)
    description_en = models.CharField(_("description in English"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("shown"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("help line")
        verbose_name_plural = _("help lines")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(phone="", url=""), name="help_line_phone_or_website"
            ),
        ]

    def __str__(self):
        return self.name

    def as_line(self):
        from .help_lines import Line

        return Line(
            self.name,
            self.phone,
            self.url,
            self.language,
            {"nl": self.description_nl, "fr": self.description_fr, "en": self.description_en},
            self.order,
        )


class KeptText(models.Model):
    """What someone wrote in a form that arrived after their session had
    ended, kept for an hour so that it can be offered to them again once they
    have signed in (`echo.kept_text`). Only this browser can ask for it (the
    hash of a random token in a signed cookie; the token itself is never
    stored) and only the account that wrote it gets it (`writer`, a keyed
    hash of the account: another account signing in discards it). The text
    is encrypted at rest like all free text."""

    token_hash = models.CharField(max_length=64, db_index=True)
    writer = models.CharField(max_length=64, db_index=True)
    # Which form and the page it is on, to fill it in again there.
    form = models.CharField(max_length=64)
    path = models.CharField(max_length=500)
    data = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash", "form", "path"], name="one_kept_text_per_form"
            )
        ]

    def __str__(self):
        return f"{self.form} ({self.created_at:%Y-%m-%d %H:%M})"
