import logging

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache

from echo.models import Region

from .discretion import assert_discreet
from .factories import ApplicantFactory, CoordinatorFactory, MemberFactory, UserFactory


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
def _every_email_is_discreet():
    """Whatever a test makes Echo send is checked for revealing words."""
    yield
    for message in getattr(mail, "outbox", []):
        assert_discreet(message)


@pytest.fixture
def applicant(db):
    return ApplicantFactory(phone="+32470123456", contact_preference="phone").user


@pytest.fixture
def member(db):
    return MemberFactory().user


@pytest.fixture
def facilitator(db):
    return MemberFactory(is_facilitator=True, user__second_factor=True).user


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
def role_users(applicant, member, facilitator, coordinator, other_coordinator, admin_user):
    return {
        "visitor": None,
        "applicant": applicant,
        "member": member,
        "facilitator": facilitator,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "admin": admin_user,
    }
