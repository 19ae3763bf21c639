from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from allauth.account.signals import user_logged_in
        from allauth.mfa import signals as mfa
        from django.contrib.auth.signals import user_logged_in as django_user_logged_in

        from echo import kept_text
        from echo.fields import register_reencrypter
        from echo.mail import emails_given_up

        from . import adapters, deliveries, emails, security  # noqa: F401 (emails registers kinds)
        from . import signals as lifecycle

        django_user_logged_in.connect(security.bind_at_sign_in, dispatch_uid="members.bind")
        user_logged_in.connect(security.note_sign_in, dispatch_uid="members.sign_in")
        mfa.authenticator_added.connect(
            security.second_factor_added, dispatch_uid="members.second_factor_added"
        )
        for signal in (mfa.authenticator_removed, mfa.authenticator_reset):
            signal.connect(security.second_factor_changed, dispatch_uid="members.second_factor")
        emails_given_up.connect(deliveries.tell_coordinators, dispatch_uid="members.given_up")
        lifecycle.account_erasing.connect(kept_text.erase_writer, dispatch_uid="echo.kept_text")
        lifecycle.personal_data_requested.connect(
            kept_text.personal_data, dispatch_uid="echo.kept_text"
        )
        register_reencrypter("mfa.Authenticator", adapters.reencrypt_second_factor_secrets)
