import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.utils import timezone

from echo.models import Region
from members.models import Member, User

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    language = "nl"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        user.save()

    @factory.post_generation
    def second_factor(user, create, extracted, **kwargs):
        if create and extracted:
            TOTP.activate(user, TOTP_SECRET)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    pseudonym = factory.Sequence(lambda n: f"Pseudo{n}")
    region = Region.ANTWERPEN
    status = Member.Status.ACTIVE
    privacy_version = settings.PRIVACY_STATEMENT_VERSION
    privacy_agreed_at = factory.LazyFunction(timezone.now)


class ApplicantFactory(MemberFactory):
    status = Member.Status.APPLIED
    message_to_coordinator = "Ik wil graag praten."


class CoordinatorFactory(UserFactory):
    """A coordinator of Antwerpen who has set up TOTP (pass second_factor=False not to)."""

    coordinator_region = Region.ANTWERPEN

    @factory.post_generation
    def second_factor(user, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(user, TOTP_SECRET)
