"""Sign-up, password reset and email changes take as long for an address that
has an account as for one that has none (confidentiality rule 6): the answer
is the same (tests/members/test_enumeration.py), and so is the time it takes.

These tests measure: they use the real password hashers, repeat each request
and compare medians; on a noisy machine they are tried again (`timing`)."""

import importlib
import statistics
import time
from itertools import count

import pytest
from django.urls import reverse

from ..factories import PASSWORD, MemberFactory
from .test_signup import signup_data

pytestmark = [pytest.mark.django_db, pytest.mark.timing]

TRIES = 20
# The slower median may be at most this much above the faster one.
TOLERANCE = 1.2
# Below a few milliseconds the machine's own jitter is larger than 20%: such
# a difference says nothing about whether an address is registered.
JITTER = 0.003

_addresses = count()


@pytest.fixture
def configured_hashers(settings):
    """The hashers of echo/settings.py, not the tests' fast one."""
    settings.PASSWORD_HASHERS = importlib.import_module("echo.settings").PASSWORD_HASHERS


def _remote_address():
    # Each try from its own address: allauth's per-address limits are not what is measured.
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


@pytest.fixture
def medians(django_capture_on_commit_callbacks):
    """Median seconds of `attempt(address)` over TRIES known and TRIES unknown
    addresses, taken in turn so that a slow moment of the machine hits both.

    What runs after the request's transaction commits (handing emails and
    tasks to the broker) is counted rather than run: it must be the same on
    both paths. With the tests' eager Celery it would run the worker's part
    inside the request, which production does not."""

    def measure(known, unknown, attempt):
        times = {"known": [], "unknown": []}
        after_commit = {"known": set(), "unknown": set()}
        attempt(known[0])  # warm up: templates, translations, the first connection
        for known_address, unknown_address in zip(known[1:], unknown, strict=True):
            for kind, address in [("known", known_address), ("unknown", unknown_address)]:
                with django_capture_on_commit_callbacks() as callbacks:
                    started = time.perf_counter()
                    attempt(address)
                    times[kind].append(time.perf_counter() - started)
                after_commit[kind].add(len(callbacks))
        assert after_commit["known"] == after_commit["unknown"], after_commit
        return statistics.median(times["known"]), statistics.median(times["unknown"])

    return measure


def assert_alike(name, known, unknown):
    slower, faster = max(known, unknown), min(known, unknown)
    print(f"\n{name}: known {known * 1000:.0f} ms, unknown {unknown * 1000:.0f} ms")
    assert slower <= max(faster * TOLERANCE, faster + JITTER), (
        f"{name}: known {known * 1000:.0f} ms against unknown {unknown * 1000:.0f} ms"
    )


@pytest.fixture
def known_addresses(db):
    # Made before the real hashers are switched on: only the requests are measured.
    return [MemberFactory(user__email=f"known{n}@example.org").user.email for n in range(TRIES + 1)]


def unknown_addresses(prefix):
    return [f"{prefix}{n}@example.org" for n in range(TRIES)]


def test_signing_up_with_a_registered_address_takes_as_long(
    client, known_addresses, configured_hashers, medians
):
    pseudonyms = count()

    def sign_up(email):
        client.logout()
        response = client.post(
            reverse("account_signup"),
            signup_data(email=email, pseudonym=f"Nieuw{next(pseudonyms)}"),
            REMOTE_ADDR=_remote_address(),
        )
        assert response.status_code == 302, response.context["form"].errors

    assert_alike("sign-up", *medians(known_addresses, unknown_addresses("new"), sign_up))


def test_asking_a_password_reset_takes_as_long(
    client, known_addresses, configured_hashers, medians
):
    def reset(email):
        response = client.post(
            reverse("account_reset_password"), {"email": email}, REMOTE_ADDR=_remote_address()
        )
        assert response.status_code == 302

    assert_alike("password reset", *medians(known_addresses, unknown_addresses("reset"), reset))


@pytest.fixture
def signed_in(client, db, settings):
    """Signed in through the login page (adding an address asks for a recent
    sign-in), and not held back by the limit on managing one's addresses."""
    settings.ACCOUNT_RATE_LIMITS = {"manage_email": None}
    user = MemberFactory().user
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    return user


def test_adding_an_email_address_takes_as_long(
    client, signed_in, known_addresses, configured_hashers, medians
):
    def add(email):
        response = client.post(
            reverse("account_email"),
            {"action_add": "", "email": email},
            REMOTE_ADDR=_remote_address(),
        )
        assert response.url == reverse("account_email")
        signed_in.emailaddress_set.filter(email=email).delete()

    assert_alike("adding an address", *medians(known_addresses, unknown_addresses("add"), add))


def test_resending_a_verification_email_takes_as_long(
    client, signed_in, known_addresses, configured_hashers, medians
):
    def resend(email):
        response = client.post(
            reverse("account_email"),
            {"action_send": "", "email": email},
            REMOTE_ADDR=_remote_address(),
        )
        assert response.url == reverse("account_email")

    assert_alike("resending", *medians(known_addresses, unknown_addresses("resend"), resend))


def test_signing_in_with_a_registered_address_takes_as_long(
    client, known_addresses, configured_hashers, medians
):
    def sign_in(email):
        response = client.post(
            reverse("account_login"),
            {"login": email, "password": "not " + PASSWORD},
            REMOTE_ADDR=_remote_address(),
        )
        assert response.status_code == 200

    assert_alike("sign-in", *medians(known_addresses, unknown_addresses("login"), sign_in))
