from zoneinfo import available_timezones

import phonenumbers
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from django import forms
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from echo import audit
from echo.mail import publish
from echo.middleware import carried_form
from echo.models import Region

from . import services, tasks
from .models import Language, Member, ReminderOffset
from .screening import validate_pseudonym

YES, NO = "yes", "no"


def clean_phone_number(value):
    """Parse a Belgian or international number into E.164, or refuse it."""
    try:
        number = phonenumbers.parse(value, "BE")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(
            _("Enter a valid phone number, for example 0470 12 34 56 or +32 470 12 34 56.")
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def text_field(label, *, max_length, rows, help_text="", required=True):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _privacy_label():
    return format_html(
        _('I have read and agree to the <a href="{}">privacy statement</a>.'),
        reverse_lazy("privacy"),
    )


class ContactFieldsMixin:
    """Phone is needed only, and then required, when the intake may phone."""

    def clean(self):
        cleaned = super().clean()
        wants_phone = cleaned.get("contact_preference") == Member.Contact.PHONE
        phone = (cleaned.get("phone") or "").strip()
        if wants_phone and not phone:
            self.add_error("phone", _("Enter the phone number on which we may call you."))
        elif wants_phone:
            try:
                cleaned["phone"] = clean_phone_number(phone)
            except forms.ValidationError as error:
                self.add_error("phone", error)
        else:
            cleaned["phone"] = ""
        return cleaned


class SignupForm(ContactFieldsMixin, AllauthSignupForm):
    """Sign-up is the application: one form, one page."""

    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        min_length=2,
        max_length=40,
        help_text=_(
            "The only name other members will see. Do not use your real name, "
            "an email address or a phone number."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    adult = forms.ChoiceField(
        label=_("Are you 18 or older?"),
        choices=[(YES, _("Yes, I am 18 or older")), (NO, _("No, I am younger than 18"))],
        widget=forms.RadioSelect,
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=Region.choices,
        help_text=_("The region whose coordinator will contact you for the intake."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial=Language.NL)
    contact_preference = forms.ChoiceField(
        label=_("How may we contact you for the intake?"),
        choices=Member.Contact.choices,
        initial=Member.Contact.EMAIL,
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        help_text=_("Only if you chose to be contacted by phone."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = text_field(
        _("A few lines to the coordinator (optional)"),
        max_length=2000,
        rows=4,
        required=False,
        help_text=_("Only the coordinator of your region reads this."),
    )
    privacy = forms.BooleanField(label=lazy(_privacy_label, SafeString)())

    field_order = [
        "pseudonym",
        "email",
        "password1",
        "adult",
        "region",
        "language",
        "contact_preference",
        "phone",
        "message",
        "privacy",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = translation.get_language()
        request = allauth_context.request
        if not self.is_bound and request is not None:
            # Back after a change of language: what was typed is still there.
            self.initial.update(carried_form(request, self.fields))

    def clean_pseudonym(self):
        pseudonym = " ".join(self.cleaned_data["pseudonym"].split())
        validate_pseudonym(pseudonym)
        if Member.objects.filter(pseudonym__iexact=pseudonym).exists():
            raise forms.ValidationError(
                _("This pseudonym is already taken. Please choose another one.")
            )
        return pseudonym

    def clean_adult(self):
        if self.cleaned_data["adult"] != YES:
            raise forms.ValidationError(_("Echo is for adults."), code="under_18")
        return YES

    @property
    def is_under_18(self):
        return self.has_error("adult", code="under_18")

    def try_save(self, request):
        if self.account_already_exists:
            # The address has an account: allauth only emails it and makes
            # nothing. Hash the password all the same, as a new account does,
            # so that the answer takes as long either way (confidentiality rule 6).
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)

    def custom_signup(self, request, user):
        data = self.cleaned_data
        services.submit_application(
            user,
            pseudonym=data["pseudonym"],
            region=data["region"],
            contact_preference=data["contact_preference"],
            phone=data["phone"],
            message=data["message"],
        )


class ResetPasswordForm(AllauthResetPasswordForm):
    """Asking for a new password hands the address to the worker, which looks
    for its account and writes the email: the request does the same work,
    and takes as long, whether the address has an account or not."""

    def save(self, request, **kwargs):
        email = self.cleaned_data["email"].lower()
        transaction.on_commit(lambda: _hand_over_password_reset(email))
        return email


def _hand_over_password_reset(email):
    """The worker looks for the account, so that registered or not takes as
    long here. With the broker down the work is done here instead: slower
    for a while, but a password reset is never lost."""
    if not publish(tasks.send_password_reset, email):
        services.send_password_reset(email)


# The zones Echo's members are most likely in, offered before the long list.
LIKELY_TIME_ZONES = [
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/Paris",
    "Europe/Luxembourg",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Madrid",
    "Europe/Lisbon",
]


def time_zone_choices():
    """A few likely zones first, then every zone, each in its own group."""
    every = sorted(available_timezones())
    return [
        (_("Most used"), [(name, name) for name in LIKELY_TIME_ZONES]),
        (_("All time zones"), [(name, name) for name in every if name not in LIKELY_TIME_ZONES]),
    ]


class ProfileForm(ContactFieldsMixin, forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    contact_preference = forms.ChoiceField(
        label=_("How may we contact you for the intake?"),
        choices=Member.Contact.choices,
        widget=forms.RadioSelect,
    )
    phone = SignupForm.base_fields["phone"]
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=lambda: time_zone_choices(),
        help_text=_("Meeting times are shown in this time zone."),
    )
    reminder_offsets = forms.TypedMultipleChoiceField(
        label=_("Reminders of the meetings you are going to"),
        choices=ReminderOffset.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An email at each moment you tick. Tick none for no reminders."),
    )

    @classmethod
    def initial_for(cls, member):
        return {
            "language": member.user.language,
            "time_zone": member.user.time_zone,
            "contact_preference": member.contact_preference,
            "phone": member.phone,
            "reminder_offsets": member.reminder_offsets,
        }


class DecisionForm(forms.Form):
    """Starting the intake and approving: one click. Declining and putting on
    hold ask first, with words for the person (`ConfirmDecisionForm`)."""

    ACTIONS = {
        "start": services.start_intake,
        "approve": services.approve_application,
    }
    action = forms.ChoiceField(choices=[("start", _("Start intake")), ("approve", _("Approve"))])
    reason = text_field(_("Reason (optional)"), max_length=2000, rows=3, required=False)


class ConfirmDecisionForm(forms.Form):
    ACTIONS = {
        "decline": services.decline_application,
        "hold": services.put_application_on_hold,
    }
    message = text_field(
        _("A few kind words to them (optional)"),
        max_length=5000,
        rows=6,
        required=False,
        help_text=_(
            "They read this on their page in Echo, with the help lines and other places "
            "to turn to, and can answer you there. The email only says there is news."
        ),
    )
    reason = text_field(
        _("Reason for the coordinators (optional)"),
        max_length=2000,
        rows=3,
        required=False,
        help_text=_("Only the coordinators of your region read this."),
    )


class IntakeNoteForm(forms.Form):
    text = text_field(
        _("Intake note"),
        max_length=10000,
        rows=5,
        help_text=_("Confidential: only coordinators of this region can read it."),
    )


class ReplyForm(forms.Form):
    text = text_field(
        _("Your answer to the coordinator"),
        max_length=5000,
        rows=4,
        help_text=_("Only the coordinators of your region read this."),
    )


class IntakeMessageForm(forms.Form):
    text = text_field(
        _("Message to the applicant"),
        max_length=5000,
        rows=5,
        help_text=_(
            "Sent by Echo, from Echo's address, in a neutral email. With discreet "
            "emails on, the email only says there is news and the message waits in Echo."
        ),
    )


class EraseForm(forms.Form):
    posts = forms.ChoiceField(
        label=_("Your posts on the boards"),
        choices=[
            ("keep", _("keep them, signed “former member”")),
            ("delete", _("delete them")),
        ],
        initial="keep",
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Other members' replies stay either way."),
    )


class EmailsForm(forms.Form):
    emails = forms.ChoiceField(
        label=_("Emails from Echo"),
        choices=Member.Emails.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Every notice is in Echo, under Notices, whatever you choose here. Emails "
            "to sign in, to confirm your address or about the security of your "
            "account always come."
        ),
    )


class AuditFilterForm(forms.Form):
    """The audit log's filter: one kind of entry, and a span of days."""

    action = forms.ChoiceField(label=_("What"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        described = sorted(audit.ACTIONS, key=lambda action: str(audit.label(action)).lower())
        self.fields["action"].choices = [("", _("Everything"))] + [
            (action, audit.label(action)) for action in described
        ]

    def filter(self, entries):
        """The entries this filter keeps; all of them while it is not valid."""
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["since"]:
            entries = entries.filter(at__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(at__date__lte=data["until"])
        return entries
