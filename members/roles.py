"""Who is who, for the roles a person holds on their own: an active member,
a coordinator of a region, an administrator. `groups.roles` adds the roles
inside a group on top of these. Every view, service, task, template and
recipient list asks here; nothing else works a role out.

The tools of coordinators and administrators need a second factor: without
one, a person with such an account is not a coordinator or administrator
here, only someone who is sent to set one up (see `access`).

The second factor belongs to the session as much as to the account. What a
request may do is asked about `request.user`, which is bound to its request
(`middleware.session_roles`, and `security` at sign-in): for that person,
`has_second_factor` needs an account with a second factor *and* a session
that proved it, by signing in or re-authenticating with it, or by setting it
up right there. So a session that signed in with a password alone, before
the account had a second factor, stays a plain member's session when one is
added elsewhere (adding one also ends the other sessions, see `security`).
Code without a request (services run by tasks, recipient lists such as
`coordinators_of`, `with_second_factor` and
`groups.roles.facilitating_memberships`) asks about the account only: who
is emailed depends on the account, what a request may do on its session.
"""

from allauth.account.authentication import get_authentication_records
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


# The session of someone who set up a second factor in it holds their account
# code here: they proved they hold the app or key while setting it up.
SET_UP_IN_SESSION = "members.second_factor_set_up"


def bind_to_request(user, request):
    """From now on `user` is the person signed in with `request`: their second
    factor is also a question about that request's session."""
    user.signed_in_with = request
    return user


def session_proves_second_factor(user):
    """The session `user` acts in (if any) proved a second factor: signed in
    or re-authenticated with it (allauth records "mfa", passkeys included), or
    set it up. Asks no query. True for an account outside a request: then the
    account alone decides."""
    request = getattr(user, "signed_in_with", None)
    if request is None:
        return True
    records = get_authentication_records(request, user)
    if any(record.get("method") == "mfa" for record in records):
        return True
    return request.session.get(SET_UP_IN_SESSION) == user.code


def account_has_second_factor(user):
    """The account has a second factor (TOTP or a security key), whichever
    session asks: who is emailed, and what a person's own account page says."""
    if not user.is_authenticated:
        return False
    return remember(user, "second_factor", lambda: is_mfa_enabled(user))


def has_second_factor(user):
    """The person may act with a second factor: the account has one and, when
    they act in a request, its session proved it."""
    if not user.is_authenticated:
        return False
    return session_proves_second_factor(user) and account_has_second_factor(user)


def second_factor_set_up_in_session(request, user):
    """`user` set up a second factor in the session of `request`."""
    request.session[SET_UP_IN_SESSION] = user.code


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


def paused_member(user):
    """The person's membership if it is paused: they may come back at any time."""
    member = own_member(user)
    return member if member is not None and member.status == Member.Status.PAUSED else None


def suspended_users():
    """Accounts suspended right now."""
    return Suspension.objects.filter(until__gt=timezone.now()).values("user")


def suspension_of(user):
    """The person's suspension right now, as a query: pages fold it into theirs."""
    return Suspension.objects.filter(user=user, until__gt=timezone.now())


def is_suspended(user):
    if not user.is_authenticated:
        return False
    # Not remembered: a suspension ends at a moment, even within a long task.
    return suspension_of(user).exists()


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
