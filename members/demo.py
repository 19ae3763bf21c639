"""Demo people for `make run`: never loaded in production."""

from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from echo.models import Region

from . import services
from .models import Member, User

PASSWORD = "echo demo passphrase"  # noqa: S105 (printed for the demo)
# One shared TOTP secret for every demo account with a second factor.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

FACILITATORS = [("Lotus", Region.ANTWERPEN), ("Merel", Region.BRUSSEL)]
MEMBERS = [
    ("Zeewind", Region.ANTWERPEN),
    ("Kastanje", Region.ANTWERPEN),
    ("Noorderlicht", Region.LIMBURG),
    ("Papaver", Region.OOST_VLAANDEREN),
    ("Duin", Region.WEST_VLAANDEREN),
    ("Linde", Region.VLAAMS_BRABANT),
    ("Iris", Region.BRUSSEL),
]
APPLICANTS = [
    ("Wilg", Region.ANTWERPEN, "email"),
    ("Sterrenhemel", Region.ANTWERPEN, "phone"),
    ("Beuk", Region.BRUSSEL, "email"),
]


def _account(email, **extra):
    user = User.objects.create_user(email, PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _with_second_factor(user):
    TOTP.activate(user, TOTP_SECRET)
    RecoveryCodes.activate(user)
    return user


def _member(pseudonym, region, *, contact="email", status=Member.Status.ACTIVE):
    user = _account(f"{pseudonym.lower()}@example.org")
    member = services.submit_application(
        user,
        pseudonym=pseudonym,
        region=region,
        contact_preference=contact,
        phone="+32470123456" if contact == "phone" else "",
        message="Ik zou graag eens horen hoe een groep werkt.",
    )
    if status != Member.Status.APPLIED:
        member.status = status
        member.save(update_fields=["status"])
    return member


def is_loaded():
    return User.objects.filter(email="admin@example.org").exists()


@transaction.atomic
def load():
    """Create the demo people and return (what, email) lines to print."""
    logins = []
    _with_second_factor(_account("admin@example.org", is_staff=True, is_superuser=True))
    logins.append(("administrator (2FA)", "admin@example.org"))
    for region in Region:
        email = f"coordinator-{region.value}@example.org"
        _with_second_factor(_account(email, coordinator_region=region))
        logins.append((f"coordinator {region.label} (2FA)", email))
    for pseudonym, region in FACILITATORS:
        member = _member(pseudonym, region)
        member.is_facilitator = True
        member.save(update_fields=["is_facilitator"])
        _with_second_factor(member.user)
        logins.append((f"facilitator in {region.label} (2FA)", member.user.email))
    for pseudonym, region in MEMBERS:
        logins.append((f"member in {region.label}", _member(pseudonym, region).user.email))
    for pseudonym, region, contact in APPLICANTS:
        member = _member(pseudonym, region, contact=contact, status=Member.Status.APPLIED)
        logins.append((f"applicant in {region.label}", member.user.email))
    return logins
