from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.utils import translation

from echo import fields, kept_text
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

    def post_login(self, request, user, **kwargs):
        """Back to a form whose text was kept when the session had ended
        (`echo.kept_text`), wherever the sign-in would have gone; text kept
        on this browser for another account is discarded here."""
        response = super().post_login(request, user, **kwargs)
        path = kept_text.after_sign_in(request, user)
        if path and response.status_code in (301, 302, 303):
            response["Location"] = path
        return response

    def save_user(self, request, user, form, commit=True):
        user.language = form.cleaned_data.get("language") or translation.get_language()
        return super().save_user(request, user, form, commit=commit)


class MFAAdapter(DefaultMFAAdapter):
    # allauth passes every second-factor secret through these two on its way
    # to and from Authenticator.data: the TOTP secret, the recovery codes'
    # seed and codes migrated from elsewhere. Stored as Fernet tokens of
    # Echo's key ring (FIELD_ENCRYPTION_KEYS); a missing or wrong key fails
    # loudly, like every encrypted field. Secrets stored in plain text before
    # were encrypted by migration members 0008.
    def encrypt(self, text):
        return fields.encrypt(text)

    def decrypt(self, encrypted_text):
        return fields.decrypt(encrypted_text)

    def get_public_key_credential_user_entity(self, user):
        # Authenticators show this name; keep the email and pseudonym out of it.
        entity = super().get_public_key_credential_user_entity(user)
        entity["name"] = entity["display_name"] = "Echo"
        return entity


def convert_second_factor_secrets(data, convert):
    """`data` of an Authenticator with each secret that allauth encrypts
    (through the MFA adapter) passed through `convert`. A security key's data
    holds no secret: its public key and credential id, which allauth reads
    without the adapter."""
    data = dict(data)
    for key in ("secret", "seed"):
        if data.get(key):
            data[key] = convert(data[key])
    if data.get("migrated_codes"):
        data["migrated_codes"] = [convert(code) for code in data["migrated_codes"]]
    return data


@transaction.atomic
def reencrypt_second_factor_secrets():
    """For `rotate_encryption_keys`: every second-factor secret, decrypted
    with any key and encrypted again with the newest. Returns how many
    authenticators were re-encrypted."""
    adapter = get_mfa_adapter()
    count = 0
    authenticators = Authenticator.objects.select_for_update().filter(
        type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    )
    for authenticator in authenticators.iterator(chunk_size=500):
        authenticator.data = convert_second_factor_secrets(
            authenticator.data, lambda token: adapter.encrypt(adapter.decrypt(token))
        )
        authenticator.save(update_fields=["data"])
        count += 1
    return count
