"""The safety of a person's sessions, around allauth's sign-in and second
factors. Which session counts as having proved the second factor is decided
in `roles`; here the moments that change it:

- at sign-in, the person is bound to the request, so that their roles are
  those of the session from the first request on;
- setting up a second factor proves it for the session that does it.
"""

from allauth.mfa.models import Authenticator

from . import roles


def bind_at_sign_in(sender, request, user, **kwargs):
    """Django's `user_logged_in`: the person who just signed in acts in this
    session from here on (later requests are bound by the middleware)."""
    if request is not None:
        roles.bind_to_request(user, request)


def second_factor_added(sender, request, user, authenticator, **kwargs):
    """allauth's `authenticator_added`: this session set up the second factor,
    and so proved it (not for recovery codes: they only come along with an
    app or a key)."""
    if request is not None and authenticator.type != Authenticator.Type.RECOVERY_CODES:
        roles.second_factor_set_up_in_session(request, user)
