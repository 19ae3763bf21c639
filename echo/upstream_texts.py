"""Texts of Django and allauth that Echo shows and translates itself.

Echo's catalogues (LOCALE_PATHS) come before those of Django and allauth, so
an entry here replaces theirs: where their Dutch says "u" (Echo speaks to
people as "je") or lacks a translation (Django's Dutch has no text for the
password-length error of Django 6, which then showed in English). The marks
below only keep these msgids in locale/*/django.po when makemessages runs;
nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Django: the password validators' errors and help texts, form errors.
ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
ngettext_lazy(
    "Your password must contain at least %(min_length)d character.",
    "Your password must contain at least %(min_length)d characters.",
    "min_length",
)
gettext_noop("Your password can’t be too similar to your other personal information.")
gettext_noop("Your password can’t be a commonly used password.")
gettext_noop("Your password can’t be entirely numeric.")
gettext_noop("Your old password was entered incorrectly. Please enter it again.")
gettext_noop("“%(value)s” is not a valid binary value.")
gettext_noop("- Select an option -")

# allauth: "a.u.b." and a slip of its Dutch.
gettext_noop("Please contact us if you have any trouble resetting your password.")
gettext_noop(
    "We have sent you an email. If you have not received it please check your "
    "spam folder. Otherwise contact us if you do not receive it in a few minutes."
)
gettext_noop(
    "We have sent an email to you for verification. Follow the link provided to "
    "finalize the signup process. If you do not see the verification email in "
    "your main inbox, check your spam folder. Please contact us if you do not "
    "receive the verification email within a few minutes."
)
gettext_noop(
    "We have sent an email to you for\n"
    "verification. Please click on the link inside that email. If you do not see "
    "the verification email in your main inbox, check your spam folder. "
    "Otherwise\n"
    "contact us if you do not receive it within a few minutes."
)
gettext_noop("You cannot remove your primary email address (%(email)s).")
