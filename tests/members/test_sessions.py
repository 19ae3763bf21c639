"""Sessions and the second factor: a session counts as having one only if it
proved it; adding or removing one ends the person's other sessions; the
security check; a notice inside Echo for a sign-in from a new browser."""

import time
from datetime import UTC, datetime

import pytest
import time_machine
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from groups.roles import facilitators_of
from members import roles, services
from members.models import Notice
from members.security import KNOWN_BROWSER_COOKIE, browser_summary

from ..conftest import sign_in_with_password_only
from ..factories import (
    PASSWORD,
    TOTP_SECRET,
    CoordinatorFactory,
    GroupFactory,
    UserFactory,
    facilitator_of,
    member_of,
)

pytestmark = pytest.mark.django_db

FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture(autouse=True)
def clock():
    """Codes are typed at the start of a 30-second window, so that none
    expires on the way (allauth accepts only the current one, once)."""
    with time_machine.travel(datetime(2030, 1, 7, 9, 0, 1, tzinfo=UTC), tick=True) as traveller:
        yield traveller


# The people here read Echo in English (the pages' words are checked).
@pytest.fixture
def member(group):
    return member_of(group, user__language="en").user


@pytest.fixture
def other_member(other_group):
    return member_of(other_group, user__language="en").user


@pytest.fixture
def facilitator(group):
    return facilitator_of(group, user__language="en").user


@pytest.fixture
def coordinator():
    return CoordinatorFactory(language="en")


def code(secret=TOTP_SECRET):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def browser(user_agent=FIREFOX_ON_WINDOWS):
    return Client(HTTP_USER_AGENT=user_agent)


def sign_in(client, user, *, with_code=False):
    """Sign in through allauth's own pages, as a person does."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    if with_code:
        assert response.url == reverse("mfa_authenticate")
        response = client.post(reverse("mfa_authenticate"), {"code": code()})
    assert response.status_code == 302
    assert response.url != reverse("account_login")
    return response


def reauthenticate(client):
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def signed_in_elsewhere(user):
    """Another browser, signed in (allauth keeps a row for each session)."""
    other = browser(SAFARI_ON_IPHONE)
    other.force_login(user)
    UserSession.objects.create(
        user=user, session_key=other.session.session_key, ip="127.0.0.1", user_agent="x"
    )
    return other


def is_signed_in(client):
    return client.get(reverse("account_email")).status_code == 200


TOOLS = {
    "coordinator": "members:intake_queue",
    "facilitator": "groups:facilitator_home",
    "admin": "admin:index",
}


def account(role):
    return {
        "coordinator": lambda: UserFactory(coordinator_region="antwerpen", language="en"),
        "facilitator": lambda: (
            facilitator_of(GroupFactory(), user__second_factor=False, user__language="en").user
        ),
        "admin": lambda: UserFactory(is_staff=True, is_superuser=True, language="en"),
    }[role]()


# 1. The second factor is a property of the session.


@pytest.mark.parametrize("role", TOOLS)
def test_a_session_from_before_the_second_factor_does_not_open_the_tools(role):
    user = account(role)
    old = browser()
    sign_in(old, user)  # a password is all the account asks for yet
    TOTP.activate(user, TOTP_SECRET)  # elsewhere (and the old session somehow survived)

    response = old.get(reverse(TOOLS[role]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("second_factor_required")
    assert b"sign in again with your second factor" in response.content


@pytest.mark.parametrize("role", TOOLS)
def test_signing_in_with_the_second_factor_opens_the_tools(role):
    user = account(role)
    TOTP.activate(user, TOTP_SECRET)
    client = browser()
    sign_in(client, user, with_code=True)

    response = client.get(reverse(TOOLS[role]))

    assert response.status_code == 200


def test_re_authenticating_with_the_second_factor_proves_it_for_the_session(client):
    user = account("coordinator")
    sign_in(client, user)
    TOTP.activate(user, TOTP_SECRET)
    assert client.get(reverse(TOOLS["coordinator"])).status_code == 302

    client.post(reverse("mfa_reauthenticate"), {"code": code()})

    assert client.get(reverse(TOOLS["coordinator"])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_setting_up_the_second_factor_in_this_session_proves_it(client):
    """allauth tells of a new TOTP once the request's transaction commits: a
    transaction of its own here, as in production."""
    user = account("facilitator")
    sign_in(client, user)
    assert client.get(reverse(TOOLS["facilitator"])).status_code == 302
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(reverse("mfa_activate_totp"), {"code": code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert client.get(reverse(TOOLS["facilitator"])).status_code == 200


def test_code_without_a_request_asks_about_the_account():
    """Recipient lists and tasks: who is emailed depends on the account."""
    group = GroupFactory()
    facilitator = facilitator_of(group)
    coordinator = UserFactory(coordinator_region=group.region, second_factor=True)

    assert roles.has_second_factor(facilitator.user)
    assert roles.is_coordinator(coordinator)
    assert list(roles.coordinators_of(group.region)) == [coordinator]
    assert list(facilitators_of(group)) == [facilitator]


def test_a_password_only_session_still_counts_for_who_is_emailed(client, coordinator):
    sign_in_with_password_only(client, coordinator)

    assert client.get(reverse("members:intake_queue")).status_code == 302
    assert list(roles.coordinators_of(coordinator.coordinator_region)) == [coordinator]


# 2. Adding or removing a second factor ends the other sessions.


@pytest.mark.django_db(transaction=True)
def test_setting_up_a_second_factor_ends_the_other_sessions_and_keeps_this_one(client):
    user = member_of(GroupFactory()).user
    other = signed_in_elsewhere(user)
    sign_in(client, user)
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))

    client.post(reverse("mfa_activate_totp"), {"code": code(client.session[SECRET_SESSION_KEY])})

    assert roles.account_has_second_factor(user)
    assert not is_signed_in(other)
    assert is_signed_in(client)
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        client.session.session_key
    ]


def test_removing_the_second_factor_ends_the_other_sessions(client):
    user = member_of(GroupFactory(), user__second_factor=True).user
    other = signed_in_elsewhere(user)
    client.force_login(user)
    reauthenticate(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert not roles.account_has_second_factor(user)
    assert not is_signed_in(other)
    assert is_signed_in(client)


@pytest.mark.django_db(transaction=True)
def test_new_recovery_codes_end_the_other_sessions(client):
    """New codes replace codes that may have been seen: a session opened with
    one of those ends with them."""
    user = member_of(GroupFactory(), user__second_factor=True).user
    other = signed_in_elsewhere(user)
    client.force_login(user)
    reauthenticate(client)

    response = client.post(reverse("mfa_generate_recovery_codes"))

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()
    assert not is_signed_in(other)
    assert is_signed_in(client)


def test_a_passkey_added_in_this_session_proves_it_and_ends_the_others(client, rf):
    """As allauth's WebAuthn flow tells of a new key (a browser is needed to
    make a real one)."""
    user = account("coordinator")
    other = signed_in_elsewhere(user)
    sign_in_with_password_only(client, user)
    request = rf.post("/")
    request.session = client.session
    request.user = user
    passkey = Authenticator.objects.create(user=user, type="webauthn", data={})

    mfa_signals.authenticator_added.send(
        sender=Authenticator, request=request, user=user, authenticator=passkey
    )
    request.session.save()

    assert not is_signed_in(other)
    assert client.get(reverse(TOOLS["coordinator"])).status_code == 200


# 3. Members set up a second factor too; the security check.


def test_a_member_can_add_an_authenticator_app_or_a_passkey(client, member):
    client.force_login(member)
    reauthenticate(client)

    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200
    assert b"passwordless" in client.get(reverse("mfa_add_webauthn")).content


def test_the_profile_shows_a_security_check(client, member):
    signed_in_elsewhere(member)
    client.force_login(member)

    page = client.get(reverse("members:profile")).content.decode()

    assert "Second factor: off." in page
    assert reverse("mfa_index") in page
    assert "Signed in on 2 devices, this one included." in page
    assert reverse("usersessions_list") in page
    assert reverse("members:sign_out_everywhere") in page


def test_the_security_check_says_when_the_account_has_a_second_factor(client, facilitator):
    client.force_login(facilitator)

    page = client.get(reverse("members:profile")).content.decode()

    assert "Second factor: on." in page
    assert "Signed in on 1 device: this one." in page


def test_signing_out_everywhere_else_keeps_this_session(client, member):
    others = [signed_in_elsewhere(member), signed_in_elsewhere(member)]
    client.force_login(member)

    response = client.post(
        reverse("members:sign_out_everywhere"), {"next": reverse("members:profile")}, follow=True
    )

    assert response.redirect_chain == [(reverse("members:profile"), 302)]
    assert "You are signed out on 2 other devices." in response.content.decode()
    assert not any(is_signed_in(other) for other in others)
    assert is_signed_in(client)


def test_signing_out_everywhere_else_goes_back_only_inside_echo(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("members:sign_out_everywhere"), {"next": "https://elsewhere.example/"}
    )

    assert response.url == reverse("members:security")


# 4. A sign-in from a new browser leaves a notice inside Echo.


def test_a_sign_in_from_a_new_browser_leaves_a_notice_inside_echo(member, mailoutbox):
    known = browser()
    sign_in(known, member)
    mailoutbox.clear()

    sign_in(browser(SAFARI_ON_IPHONE), member)

    notice = Notice.objects.get(user=member)
    assert notice.kind == Notice.Kind.NEW_SIGN_IN
    # The user agent in two words: no version, no address.
    assert notice.params == {"browser": "Safari", "system": "iOS"}
    assert notice.read_at is None
    assert mailoutbox == []
    page = known.get(reverse("members:profile")).content.decode()
    assert "New sign-in on Safari on iOS at Monday 7 January 2030, 10:00." in page
    assert "Not you? Sign out everywhere else" in page


def test_signing_in_again_from_a_known_browser_leaves_no_notice(member):
    same = browser()
    sign_in(same, member)
    same.post(reverse("account_logout"))
    assert same.cookies[KNOWN_BROWSER_COOKIE].value

    sign_in(same, member)

    assert not Notice.objects.exists()


def test_the_first_sign_in_of_an_account_leaves_no_notice(member):
    assert member.last_login is None

    sign_in(browser(), member)

    assert not Notice.objects.exists()


def test_the_known_browser_cookie_is_signed_httponly_lax_and_lasting(member, settings):
    settings.SESSION_COOKIE_SECURE = True

    response = sign_in(browser(), member)

    cookie = response.cookies[KNOWN_BROWSER_COOKIE]
    assert cookie["httponly"]
    assert cookie["secure"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 3600
    # Signed, and naming no one.
    assert ":" in cookie.value
    assert member.code not in cookie.value
    assert member.email not in cookie.value


def test_a_forged_known_browser_cookie_does_not_count(member):
    sign_in(browser(), member)
    forged = browser(SAFARI_ON_IPHONE)
    forged.cookies[KNOWN_BROWSER_COOKIE] = "0123456789abcdef0123"

    sign_in(forged, member)

    assert Notice.objects.filter(user=member).count() == 1


def test_a_browser_known_for_one_account_is_new_for_another(member, other_member):
    shared = browser()
    sign_in(browser(), other_member)
    sign_in(shared, member)
    shared.post(reverse("account_logout"))

    sign_in(shared, other_member)

    assert Notice.objects.filter(user=other_member).count() == 1
    assert not Notice.objects.filter(user=member).exists()


def test_a_sign_in_with_the_second_factor_from_a_new_browser_leaves_a_notice(clock, coordinator):
    sign_in(browser(), coordinator, with_code=True)
    clock.shift(30)  # a code is accepted once

    sign_in(browser(SAFARI_ON_IPHONE), coordinator, with_code=True)

    assert Notice.objects.get(user=coordinator).params["browser"] == "Safari"
    page = Client()
    page.force_login(coordinator)
    assert "New sign-in on Safari on iOS" in page.get(reverse("members:security")).content.decode()


def test_after_signing_out_everywhere_else_every_other_browser_is_new_again(member):
    mine, theirs = browser(), browser(SAFARI_ON_IPHONE)
    sign_in(mine, member)
    sign_in(theirs, member)
    assert Notice.objects.filter(user=member).count() == 1

    mine.post(reverse("members:sign_out_everywhere"))
    sign_in(theirs, member)  # with the password, still
    mine.post(reverse("account_logout"))
    sign_in(mine, member)

    assert [notice.params["browser"] for notice in Notice.objects.filter(user=member)] == [
        "Safari",
        "Safari",
    ]


def test_marking_a_notice_read_takes_it_off_the_security_check(client, member):
    notice = Notice.objects.create(user=member, kind=Notice.Kind.NEW_SIGN_IN, params={})
    client.force_login(member)
    assert (
        "New sign-in on an unknown browser"
        in client.get(reverse("members:profile")).content.decode()
    )

    response = client.post(
        reverse("members:read_notice", args=[notice.code]), {"next": reverse("members:profile")}
    )

    assert response.url == reverse("members:profile")
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "New sign-in" not in client.get(reverse("members:profile")).content.decode()


def test_nobody_marks_someone_elses_notice_read(client, member, other_member):
    notice = Notice.objects.create(user=member, kind=Notice.Kind.NEW_SIGN_IN, params={})
    client.force_login(other_member)

    response = client.post(reverse("members:read_notice", args=[notice.code]))

    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.parametrize(
    ("user_agent", "summary"),
    [
        (FIREFOX_ON_WINDOWS, ("Firefox", "Windows")),
        (SAFARI_ON_IPHONE, ("Safari", "iOS")),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
            " Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            ("Edge", "macOS"),
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            " Chrome/126.0.0.0 Mobile Safari/537.36",
            ("Chrome", "Android"),
        ),
        ("", ("", "")),
    ],
)
def test_a_user_agent_is_summed_up_in_two_words(user_agent, summary):
    assert browser_summary(user_agent) == dict(zip(["browser", "system"], summary, strict=True))


def test_notices_are_in_the_export_and_go_with_the_account(member):
    notice = Notice.objects.create(
        user=member, kind=Notice.Kind.NEW_SIGN_IN, params=browser_summary(FIREFOX_ON_WINDOWS)
    )

    exported = services.export_personal_data(member)["account"]["notices"]
    services.erase_account(member)

    assert exported == [
        {
            "kind": "new_sign_in",
            "browser": "Firefox",
            "system": "Windows",
            "at": notice.created_at.isoformat(),
            "read_at": None,
        }
    ]
    assert not Notice.objects.exists()
