"""Who is who, for the roles a person holds on their own: an active member,
a coordinator of a region, an administrator. `groups.roles` adds the roles
inside a group on top of these. Every view, service, task, template and
recipient list asks here; nothing else works a role out.

The tools of coordinators and administrators need a second factor: without
one, a person with such an account is not a coordinator or administrator
here, only someone who is sent to set one up (see `access`).
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Member, Suspension, User


def remember(user, name, compute):
    """Roles are asked many times per request: work each out once per user object."""
    cache = user.__dict__.setdefault("_roles", {})
    if name not in cache:
        cache[name] = compute()
    return cache[name]


def has_second_factor(user):
    """The account has a second factor (TOTP or a security key)."""
    if not user.is_authenticated:
        return False
    return remember(user, "second_factor", lambda: is_mfa_enabled(user))


def with_second_factor(users):
    """`users` (a queryset of accounts) narrowed to those with a second factor."""
    return users.filter(Exists(Authenticator.objects.filter(user=OuterRef("pk"))))


def own_member(user):
    """The person's application or membership, whatever its state."""
    if not user.is_authenticated:
        return None
    return getattr(user, "member", None)


def active_member(user):
    """The person's membership if it is active (not an applicant, paused or gone)."""
    member = own_member(user)
    return member if member is not None and member.is_active_member else None


def suspended_users():
    """Accounts suspended right now."""
    return Suspension.objects.filter(until__gt=timezone.now()).values("user")


def is_suspended(user):
    if not user.is_authenticated:
        return False
    # Not remembered: a suspension ends at a moment, even within a long task.
    return Suspension.objects.filter(user=user, until__gt=timezone.now()).exists()


def acting_members():
    """Active members who are not suspended: those who may act for others
    (facilitate, moderate)."""
    return Member.objects.active().exclude(user__in=suspended_users())


def is_coordinator_account(user):
    """The account belongs to the staff of a region, second factor or not."""
    return bool(user.is_authenticated and user.is_active and user.coordinator_region)


def coordinated_region(user):
    """The region the person coordinates, with their second factor; "" otherwise."""
    if is_coordinator_account(user) and has_second_factor(user):
        return user.coordinator_region
    return ""


def is_coordinator(user, region=None):
    """A coordinator (of `region`, when given) with a second factor."""
    coordinated = coordinated_region(user)
    return bool(coordinated) and (region is None or region == coordinated)


def coordinators():
    """The accounts that coordinate a region, any region, with a second factor."""
    return with_second_factor(User.objects.filter(is_active=True).exclude(coordinator_region=""))


def coordinators_of(region):
    """The accounts that coordinate `region` with a second factor."""
    return coordinators().filter(coordinator_region=region)


def is_administrator(user):
    """Technical staff with a second factor."""
    return bool(user.is_authenticated and user.is_active and user.is_staff) and has_second_factor(
        user
    )
