"""Demo people for `make run`: never loaded in production."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from echo.models import Region
from events import services as events
from groups.models import Group, GroupMembership
from members import services
from members.models import Member, ReminderOffset, User, default_reminder_offsets

from . import boards as boards_demo

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
    people = {}
    for pseudonym, region in FACILITATORS:
        people[pseudonym] = member = _member(pseudonym, region)
        _with_second_factor(member.user)
        logins.append((f"facilitator in {region.label} (2FA)", member.user.email))
    for pseudonym, region in MEMBERS:
        people[pseudonym] = member = _member(pseudonym, region)
        logins.append((f"member in {region.label}", member.user.email))
    for pseudonym, region, contact in APPLICANTS:
        member = _member(pseudonym, region, contact=contact, status=Member.Status.APPLIED)
        logins.append((f"applicant in {region.label}", member.user.email))
    _groups_and_meetings(people)
    boards_demo.load()
    return logins


GROUPS = [
    # name, region, format, facilitator, members, place
    (
        "Dinsdagavond",
        Region.ANTWERPEN,
        "in_person",
        "Lotus",
        ["Zeewind", "Kastanje"],
        {"address": "Voorbeeldstraat 1, 2000 Antwerpen", "practical_notes": "Bel aan bij Echo."},
    ),
    (
        "Groupe du jeudi",
        Region.BRUSSEL,
        "online",
        "Merel",
        ["Iris"],
        {"online_link": "https://meet.example.org/echo-demo"},
    ),
]


def _groups_and_meetings(people):
    """A group per demo facilitator, meeting every two weeks from tomorrow,
    plus one meeting on its own; the first member is going to the next one.
    So that `make run` shows the worker sending a reminder within minutes,
    each group also meets in 70 minutes, and its last member, who is going,
    asked for a reminder an hour before (as well as the default ones)."""

    for name, region, kind, lead, members, place in GROUPS:
        group = Group.objects.create(
            name=name,
            region=region,
            format=kind,
            description="Om de twee weken, rustig praten in een kleine kring.",
            max_size=8,
        )
        GroupMembership.objects.create(group=group, member=people[lead], role="facilitator")
        for pseudonym in members:
            GroupMembership.objects.create(group=group, member=people[pseudonym])
        tomorrow = timezone.localdate() + timedelta(days=1)
        series = events.plan_series(
            people[lead],
            group,
            frequency="two_weekly",
            starts_on=tomorrow,
            start_time=time(19),
            duration=timedelta(hours=2),
            count=12,
            capacity=8,
            rsvp_closes_before=timedelta(hours=2),
            place_kind=kind,
            **place,
        )
        events.plan_meeting(
            people[lead],
            group,
            starts_at=datetime.combine(
                tomorrow + timedelta(days=9), time(14), tzinfo=ZoneInfo("Europe/Brussels")
            ),
            duration=timedelta(hours=3),
            capacity=6,
            place_kind=kind,
            **place,
        )
        events.answer(people[members[0]], series.meetings.first(), going=True)
        soon = events.plan_meeting(
            people[lead],
            group,
            starts_at=timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=70),
            duration=timedelta(hours=2),
            place_kind=kind,
            **place,
        )
        last = people[members[-1]]
        last.reminder_offsets = [*default_reminder_offsets(), ReminderOffset.HOUR.value]
        last.save(update_fields=["reminder_offsets"])
        events.answer(last, soon, going=True)
