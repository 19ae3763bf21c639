"""Authentication backends that load the signed-in person's membership with
their account: one query per request instead of two, since nearly every page
asks `roles` about the member."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .models import User


class _WithMember:
    def get_user(self, user_id):
        # The encrypted fields are decrypted only on the pages that show them.
        users = User._default_manager.select_related("member").defer(
            "member__phone", "member__message_to_coordinator"
        )
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_WithMember, DjangoModelBackend):
    pass


class AuthenticationBackend(_WithMember, AllauthBackend):
    pass
