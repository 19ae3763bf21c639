from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from echo.fields import register_reencrypter
        from echo.mail import emails_given_up

        from . import (
            adapters,
            deliveries,
            emails,  # noqa: F401 (registers the kinds of email)
        )

        emails_given_up.connect(deliveries.tell_coordinators, dispatch_uid="members.given_up")
        register_reencrypter("mfa.Authenticator", adapters.reencrypt_second_factor_secrets)
