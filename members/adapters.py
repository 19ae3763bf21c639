from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from echo.mail import queue_email

from . import emails
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Account emails go through the outbox, in the recipient's language."""
        request = allauth_context.request
        user = User.objects.filter(email__iexact=email).first()
        language = user.language if user else translation.get_language()
        context = {"request": request, "email": email, **context}
        if request is not None:
            # Not in the worker (password resets): Echo's templates need no site.
            context.setdefault("current_site", get_current_site(request))
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        alternatives = getattr(message, "alternatives", [])
        queue_email(
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=alternatives[0][0] if alternatives else "",
            kind=emails.account(template_prefix.rsplit("/", 1)[-1]),
        )

    def login(self, request, user):
        # Django stamps this sign-in on `last_login`; the new-browser notice
        # (security.note_sign_in) needs to know whether there was one before.
        user.signed_in_before = user.last_login is not None
        super().login(request, user)

    def save_user(self, request, user, form, commit=True):
        user.language = form.cleaned_data.get("language") or translation.get_language()
        return super().save_user(request, user, form, commit=commit)


class MFAAdapter(DefaultMFAAdapter):
    def get_public_key_credential_user_entity(self, user):
        # Authenticators show this name; keep the email and pseudonym out of it.
        entity = super().get_public_key_credential_user_entity(user)
        entity["name"] = entity["display_name"] = "Echo"
        return entity
