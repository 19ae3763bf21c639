"""The safety of a person's sessions, around allauth's sign-in and second
factors. Which session counts as having proved the second factor is decided
in `roles`; here the moments that change it:

- at sign-in, the person is bound to the request, so that their roles are
  those of the session from the first request on;
- adding or removing a second factor (or getting new recovery codes) ends
  the person's other sessions, as a password change does; the session that
  set one up has proved it;
- the person can sign out everywhere else.
"""

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from . import roles


def bind_at_sign_in(sender, request, user, **kwargs):
    """Django's `user_logged_in`: the person who just signed in acts in this
    session from here on (later requests are bound by the middleware)."""
    if request is not None:
        roles.bind_to_request(user, request)


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


def signed_in_elsewhere(request, user):
    """How many other sessions of the person are still alive."""
    current = request.session.session_key
    sessions = UserSession.objects.purge_and_list(user)
    return sum(1 for session in sessions if session.session_key != current)
