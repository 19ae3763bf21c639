import logging
from datetime import timedelta

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from echo import help_lines
from echo import mail as outbox
from echo.models import Region
from members.models import Member, Suspension

from .discretion import assert_discreet
from .factories import (
    ApplicantFactory,
    CoordinatorFactory,
    GroupFactory,
    UserFactory,
    facilitator_of,
    member_of,
)

# Tests sign in thousands of times: a fast hasher, except in the tests that
# are about hashing (tests/members/test_passwords.py).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fail_on_logged_errors(caplog):
    """A test that makes Echo log an error fails, even if the page looked fine."""
    yield
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


@pytest.fixture(autouse=True)
def _empty_shared_cache():
    """The database cache is rolled back with each test; Redis is not, and a
    rate-limit counter must not leak from one test into the next."""
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()


@pytest.fixture(autouse=True)
def _help_lines_read_afresh():
    """The help lines a process keeps for a minute are read again in each test
    (a rolled-back test leaves no signal that they changed)."""
    help_lines.forget()


@pytest.fixture(autouse=True)
def _broker_not_paused(monkeypatch):
    """A test that made the broker fail must not pause hand-overs in the next."""
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)


@pytest.fixture(autouse=True)
def _every_email_is_discreet():
    """Whatever a test makes Echo send is checked for revealing words."""
    yield
    for message in getattr(mail, "outbox", []):
        assert_discreet(message)


def sign_in_with_password_only(client, user):
    """A session that signed in with the password alone, as one did before
    the account had a second factor."""
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        record
        for record in session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
        if record["method"] != "mfa"
    ]
    session.save()


@pytest.fixture(autouse=True)
def _force_login_is_a_whole_sign_in(monkeypatch):
    """`client.force_login` stands for a whole sign-in through allauth: with
    the second factor when the account has one, recorded in the session as
    allauth records it (the tools ask the session, see members.roles). The
    test's user object is left unbound to the login's stand-in request, so
    that what a test asks `roles` directly is about the account."""
    force_login = Client.force_login

    def whole_sign_in(self, user, backend=None):
        force_login(self, user, backend)
        user.__dict__.pop("signed_in_with", None)
        if is_mfa_enabled(user):
            request = HttpRequest()
            request.session = self.session
            record_authentication(request, user, "password")
            record_authentication(request, user, "mfa", type="totp")
            request.session.save()

    monkeypatch.setattr(Client, "force_login", whole_sign_in)


@pytest.fixture
def applicant(db):
    return ApplicantFactory(phone="+32470123456", contact_preference="phone").user


@pytest.fixture
def group(db):
    """The group the `member` and `facilitator` fixtures belong to (Antwerpen)."""
    return GroupFactory(name="Dinsdaggroep")


@pytest.fixture
def other_group(db):
    return GroupFactory(name="Donderdaggroep")


@pytest.fixture
def member(group):
    return member_of(group).user


@pytest.fixture
def facilitator(group):
    return facilitator_of(group).user


@pytest.fixture
def other_member(other_group):
    return member_of(other_group).user


@pytest.fixture
def other_facilitator(other_group):
    return facilitator_of(other_group).user


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory()


@pytest.fixture
def other_coordinator(db):
    return CoordinatorFactory(coordinator_region=Region.LIMBURG)


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True, second_factor=True)


@pytest.fixture
def facilitator_without_second_factor(group):
    """Appointed to lead `group`, but has not set up a second factor yet."""
    return facilitator_of(group, user__second_factor=False).user


@pytest.fixture
def paused_facilitator(group):
    """Leads `group` and has a second factor, but paused their membership."""
    return facilitator_of(group, status=Member.Status.PAUSED).user


@pytest.fixture
def suspended_member(group):
    """In `group`, suspended by a coordinator for a week."""
    user = member_of(group).user
    Suspension.objects.create(
        user=user, until=timezone.now() + timedelta(days=7), reason="Even afstand nemen."
    )
    return user


@pytest.fixture
def role_users(
    applicant,
    member,
    other_member,
    facilitator,
    other_facilitator,
    facilitator_without_second_factor,
    paused_facilitator,
    suspended_member,
    coordinator,
    other_coordinator,
    admin_user,
):
    return {
        "visitor": None,
        "applicant": applicant,
        "member": member,
        "other_member": other_member,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "facilitator_no_2fa": facilitator_without_second_factor,
        "paused_facilitator": paused_facilitator,
        "suspended_member": suspended_member,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "admin": admin_user,
    }


def pytest_collection_modifyitems(items):
    """A measurement on a busy machine may be off once: try it up to twice more."""
    for item in items:
        if item.get_closest_marker("timing"):
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=1))
