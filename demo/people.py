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
from members import services
from members.models import ReminderOffset, User, default_reminder_offsets

from . import boards as boards_demo
from . import history

PASSWORD = "echo demo passphrase"  # noqa: S105 (printed for the demo)
# One shared TOTP secret for every demo account with a second factor.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

# pseudonym, region, applied how many days ago: the named people are part of
# the history (`demo.history`), Lotus and Merel since the first weeks.
FACILITATORS = [("Lotus", Region.ANTWERPEN, 726), ("Merel", Region.BRUSSEL, 722)]
MEMBERS = [
    ("Zeewind", Region.ANTWERPEN, 600),
    # New: her first post waits for a moderator.
    ("Kastanje", Region.ANTWERPEN, 20),
    ("Noorderlicht", Region.LIMBURG, 690),
    ("Papaver", Region.OOST_VLAANDEREN, 400),
    ("Duin", Region.WEST_VLAANDEREN, 300),
    ("Linde", Region.VLAAMS_BRABANT, 150),
    ("Iris", Region.BRUSSEL, 500),
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


def _applicant(pseudonym, region, contact):
    """An application of today, through the service as the sign-up page does."""
    user = _account(f"{pseudonym.lower()}@example.org")
    return services.submit_application(
        user,
        pseudonym=pseudonym,
        region=region,
        contact_preference=contact,
        phone="+32470123456" if contact == "phone" else "",
        message="Ik zou graag eens horen hoe een groep werkt.",
    )


def is_loaded():
    return User.objects.filter(email="admin@example.org").exists()


@transaction.atomic
def load():
    """Create the demo people, two years of history and the coming meetings,
    and return (what, email) lines to print."""
    logins = []
    _with_second_factor(_account("admin@example.org", is_staff=True, is_superuser=True))
    logins.append(("administrator (2FA)", "admin@example.org"))
    coordinators = {}
    for region in Region:
        email = f"coordinator-{region.value}@example.org"
        coordinators[region] = _with_second_factor(_account(email, coordinator_region=region))
        logins.append((f"coordinator {region.label} (2FA)", email))
    named = []
    for pseudonym, region, days in FACILITATORS:
        user = _with_second_factor(_account(f"{pseudonym.lower()}@example.org"))
        named.append((pseudonym, region, user, days))
        logins.append((f"facilitator in {region.label} (2FA)", user.email))
    for pseudonym, region, days in MEMBERS:
        user = _account(f"{pseudonym.lower()}@example.org")
        named.append((pseudonym, region, user, days))
        logins.append((f"member in {region.label}", user.email))
    people, groups = history.load(named, coordinators, PASSWORD)
    for pseudonym, region, contact in APPLICANTS:
        member = _applicant(pseudonym, region, contact)
        logins.append((f"applicant in {region.label}", member.user.email))
    _coming_meetings(people, groups)
    boards_demo.load()
    return logins


def _coming_meetings(people, groups):
    """The groups of the demo facilitators meet every two weeks from their
    next weekday on, plus one meeting on its own; the first member is going
    to the next one. So that `make run` shows the worker sending a reminder
    within minutes, each group also meets in 70 minutes, and its last
    member, who is going, asked for a reminder an hour before (as well as
    the default ones)."""

    for plan in history.GROUPS:
        if not plan.facilitator:
            continue
        group, lead, members = groups[plan.name], people[plan.facilitator], plan.named
        tomorrow = timezone.localdate() + timedelta(days=1)
        series = events.plan_series(
            lead,
            group,
            frequency="two_weekly",
            starts_on=tomorrow + timedelta(days=(plan.weekday - tomorrow.weekday()) % 7),
            start_time=plan.starts,
            duration=timedelta(hours=2),
            count=12,
            capacity=plan.max_size,
            rsvp_closes_before=timedelta(hours=2),
            **plan.place,
        )
        events.plan_meeting(
            lead,
            group,
            starts_at=datetime.combine(
                tomorrow + timedelta(days=9), time(14), tzinfo=ZoneInfo("Europe/Brussels")
            ),
            duration=timedelta(hours=3),
            capacity=6,
            **plan.place,
        )
        events.answer(people[members[0]], series.meetings.first(), going=True)
        soon = events.plan_meeting(
            lead,
            group,
            starts_at=timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=70),
            duration=timedelta(hours=2),
            **plan.place,
        )
        last = people[members[-1]]
        last.reminder_offsets = [*default_reminder_offsets(), ReminderOffset.HOUR.value]
        last.save(update_fields=["reminder_offsets"])
        events.answer(last, soon, going=True)
