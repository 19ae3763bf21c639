"""The kinds of email the members app sends (see echo.email_kinds)."""

from django.utils.translation import gettext_lazy as _

from echo.email_kinds import register

STATUS_CHANGED = register(
    "members.status_changed", _("Decision on an application"), prefix="status-changed"
)
INTAKE_MESSAGE = register(
    "members.intake_message", _("Message about the intake"), prefix="intake-message"
)
INTAKE_REPLY = register("members.intake_reply", _("An applicant's answer"), prefix="intake-reply")
DELIVERY_GIVEN_UP = register(
    "members.delivery_given_up", _("Emails that could not be delivered"), prefix="given-up"
)
ACCOUNT_LABEL = _("Account email")
# allauth's emails (sign-up, confirmation, password, second factor), by template.
ACCOUNT_TEMPLATES = [
    "account_already_exists",
    "email_changed",
    "email_confirm",
    "email_confirmation",
    "email_confirmation_signup",
    "email_deleted",
    "login_code",
    "password_changed",
    "password_reset",
    "password_reset_code",
    "password_reset_key",
    "password_set",
    "unknown_account",
    "recovery_codes_generated",
    "totp_activated",
    "totp_deactivated",
    "webauthn_added",
    "webauthn_removed",
]


def account(template):
    """The kind of allauth's email `template` (registered on first use, should
    a later allauth add one)."""
    name = f"account.{template}"
    return register(name, ACCOUNT_LABEL, prefix=name)


for _template in ACCOUNT_TEMPLATES:
    account(_template)
