"""The safety of a person's sessions, around allauth's sign-in and second
factors. Which session counts as having proved the second factor is decided
in `roles`; here the moments that change it:

- at sign-in, the person is bound to the request, so that their roles are
  those of the session from the first request on;
- adding or removing a second factor (or getting new recovery codes) ends
  the person's other sessions, as a password change does;
- a sign-in from a browser the person has not signed in from before leaves a
  notice inside Echo (never an email: someone else may read the mailbox);
- the person can sign out everywhere else.
"""

from datetime import timedelta

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from echo.models import random_code

from . import roles
from .models import Notice

# A browser the person signed in from before carries a long-lived signed
# cookie holding a marker per account that signed in with it (an HMAC of the
# account's random code and its `known_browsers_key`: it names no one). A
# sign-in from a browser without the person's marker is new; signing out
# everywhere else gives the account a new key, so that every other browser,
# an intruder's too, is new again. Why a cookie rather than the user agents seen
# before: a user agent is not secret and many devices share one (every
# iPhone on the same iOS sends the same), so someone close to the person,
# who knows their phone, would sign in unnoticed. The cost: a private window
# or cleared cookies look new too, which errs on the safe side. The cookie
# is no new trace on the device: the CSRF cookie already lives for a year.
KNOWN_BROWSER_COOKIE = "known_browser"
KNOWN_BROWSER_SALT = "members.known_browser"
KNOWN_BROWSER_AGE = timedelta(days=365)
KNOWN_BROWSER_ACCOUNTS = 5  # markers kept per browser, most recent first

# Browser and system names, each the first whose token is in the user agent:
# the order matters (Edge and Opera also say "Chrome", Chrome says "Safari",
# iOS says "like Mac OS X", Android says "Linux").
BROWSERS = [
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
SYSTEMS = [
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]


def browser_summary(user_agent):
    """{"browser", "system"} named from a user agent, "" where unknown: all
    that a sign-in notice keeps of the browser (no version, no address)."""

    def first(names):
        return next((name for token, name in names if token in user_agent), "")

    user_agent = user_agent[:512]
    return {"browser": first(BROWSERS), "system": first(SYSTEMS)}


def _marker(user):
    value = f"{user.code}:{user.known_browsers_key}"
    return salted_hmac(KNOWN_BROWSER_SALT, value, algorithm="sha256").hexdigest()[:20]


def _known_markers(request):
    return request.get_signed_cookie(
        KNOWN_BROWSER_COOKIE,
        default="",
        salt=KNOWN_BROWSER_SALT,
        max_age=KNOWN_BROWSER_AGE.total_seconds(),
    ).split(".")


def remember_browser(request, response, user):
    """The browser of `request` is one the person signed in from, from now on."""
    marker = _marker(user)
    known = [marker, *(m for m in _known_markers(request) if m and m != marker)]
    response.set_signed_cookie(
        KNOWN_BROWSER_COOKIE,
        ".".join(known[:KNOWN_BROWSER_ACCOUNTS]),
        salt=KNOWN_BROWSER_SALT,
        max_age=KNOWN_BROWSER_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def bind_at_sign_in(sender, request, user, **kwargs):
    """Django's `user_logged_in`: the person who just signed in acts in this
    session from here on (later requests are bound by the middleware)."""
    if request is not None:
        roles.bind_to_request(user, request)


def note_sign_in(sender, request, response, user, **kwargs):
    """allauth's `user_logged_in`: a sign-in from a new browser leaves a notice
    (not for the very first sign-in of an account: every browser is new then),
    and the browser is known from now on."""
    # `signed_in_before` is set by the account adapter, before Django stamps
    # this sign-in on `last_login`.
    new = _marker(user) not in _known_markers(request)
    if new and getattr(user, "signed_in_before", True):
        Notice.objects.create(
            user=user,
            kind=Notice.Kind.NEW_SIGN_IN,
            params=browser_summary(request.META.get("HTTP_USER_AGENT", "")),
        )
    if response is not None:
        remember_browser(request, response, user)


@transaction.atomic
def sign_out_everywhere_else(request, user):
    """Ends the person's other sessions and makes every other browser new
    again; how many sessions ended. The caller remembers this browser."""
    user.known_browsers_key = random_code()
    user.save(update_fields=["known_browsers_key"])
    return end_other_sessions(request, user)


@transaction.atomic
def end_other_sessions(request, user):
    """Sign the person out everywhere but in this session; how many ended."""
    current = request.session.session_key if request is not None else None
    others = UserSession.objects.filter(user=user).exclude(session_key=current)
    ended = 0
    for session in others:
        session.end()
        ended += 1
    return ended


def second_factor_added(sender, request, user, authenticator, **kwargs):
    """allauth's `authenticator_added`: a new second factor ends the person's
    other sessions, as a password change does: one of them may be someone
    who had only the password. This session set it up, and so proved it (not
    for recovery codes: they only come along with an app or a key)."""
    end_other_sessions(request, user)
    if request is not None and authenticator.type != Authenticator.Type.RECOVERY_CODES:
        roles.second_factor_set_up_in_session(request, user)


def second_factor_changed(sender, request, user, **kwargs):
    """allauth's `authenticator_removed` and `authenticator_reset`: removing a
    second factor, or getting new recovery codes, ends the other sessions too.
    New codes count as a new second factor: one asks for them when the old
    ones may have been seen, and a session opened with one of those must end
    with them."""
    end_other_sessions(request, user)


def security_notices(user):
    """The person's unread notices about their account's security, newest first."""
    return Notice.objects.filter(user=user, kind__in=Notice.SECURITY, read_at__isnull=True)


def mark_notice_read(user, code):
    """The person has read one of their notices; False if they have none with
    this code."""
    notice = Notice.objects.filter(user=user, code=code).first()
    if notice is None:
        return False
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return True


def signed_in_elsewhere(request, user):
    """How many other sessions of the person are still alive."""
    current = request.session.session_key
    sessions = UserSession.objects.purge_and_list(user)
    return sum(1 for session in sessions if session.session_key != current)
