"""Every page a person can reach passes axe-core, for every role, in Dutch
(the first language) and in French."""

from datetime import time, timedelta

import pytest
from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from echo.models import OutgoingEmail
from events import services as events
from members.models import Notice
from members.services import add_intake_note, message_applicant

from ..factories import (
    ApplicantFactory,
    CoordinatorFactory,
    GroupFactory,
    JoinRequestFactory,
    MeetingFactory,
    facilitator_of,
    member_of,
)
from .conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = [
    "landing",
    "help",
    "privacy",
    "account_login",
    "account_signup",
    "account_reset_password",
    "members:too_young",
    "second_factor_required",
]
SERIES = {
    "frequency": "two_weekly",
    "starts_on": timezone.localdate() + timedelta(days=3),
    "start_time": time(19),
    "duration": timedelta(hours=2),
    "count": 4,
    "capacity": 8,
    "rsvp_closes_before": timedelta(hours=2),
    "place_kind": "in_person",
    "address": "Kerkstraat 1, 2000 Antwerpen",
}
SIGNED_IN = [
    "account_email",
    "account_change_password",
    "mfa_index",
    "usersessions_list",
    "account_reauthenticate",
    "members:security",
]


def sign_in_as(context, user, live_server, *, fresh=False):
    """Put a signed-in session cookie into the browser; `fresh`: signed in
    with the password just now, as pages that ask to sign in again want."""
    client = Client()
    client.force_login(user)
    if fresh:
        request = HttpRequest()
        request.session = client.session
        record_authentication(request, user, "password", reauthenticated=True)
        request.session.save()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert page.url.endswith(url), f"{url} went to {page.url}"
    check_accessibility(page)


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_page_passes_axe(browser, live_server, language):
    context = browser.new_context(base_url=live_server.url, locale=language)
    page = context.new_page()
    for name in PUBLIC:
        visit(page, reverse(name))

    coordinator = CoordinatorFactory(language=language)
    applicant = ApplicantFactory(
        user__language=language, phone="+32470123456", contact_preference="phone"
    )
    add_intake_note(coordinator, applicant, "Eerste gesprek")
    message_applicant(coordinator, applicant, "Past donderdag?")
    group = GroupFactory()
    member = facilitator_of(group, user__language=language)
    participant = member_of(group, user__language=language)
    other_group = GroupFactory()
    series = events.plan_series(member, group, **SERIES)
    upcoming = series.meetings.first()
    events.answer(participant, upcoming, going=True)
    past = MeetingFactory(
        group=group,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(days=1) + timedelta(hours=2),
        rsvp_closes_at=timezone.now() - timedelta(days=1),
    )
    JoinRequestFactory(group=group)
    OutgoingEmail.objects.create(
        to=participant.user.email,
        subject="Echo",
        body_text="Hallo",
        kind="events.reminder",
        state="failed",
        attempts=8,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        region=group.region,
        recipient_code=participant.code,
    )

    # The security check with a notice of a sign-in from a new browser.
    for user in (applicant.user, coordinator):
        Notice.objects.create(
            user=user, kind=Notice.Kind.NEW_SIGN_IN, params={"browser": "Firefox", "system": ""}
        )

    sign_in_as(context, applicant.user, live_server)
    for url in [reverse("members:status"), reverse("members:profile"), reverse("members:withdraw")]:
        visit(page, url)

    sign_in_as(context, member.user, live_server)
    for url in [
        reverse("members:member_home"),
        reverse("members:pause"),
        reverse("members:leave"),
        reverse("groups:facilitator_home"),
        *map(reverse, SIGNED_IN),
        reverse("groups:groups"),
        reverse("groups:group", args=[group.code]),
        reverse("groups:roster", args=[group.code]),
        reverse("groups:edit_group", args=[group.code]),
        reverse("groups:write_to_group", args=[group.code]),
        reverse("events:plan_meeting", args=[group.code]),
        reverse("events:meeting", args=[upcoming.code]),
        reverse("events:edit_meeting", args=[upcoming.code]),
        reverse("events:cancel_meeting", args=[upcoming.code]),
        reverse("events:edit_series", args=[series.code]),
        reverse("events:record_attendance", args=[past.code]),
        reverse("events:meeting", args=[past.code]),
        reverse("events:my_meetings"),
        reverse("events:history"),
    ]:
        visit(page, url)
    # A form showing its errors: a meeting in the past that ends before it starts.
    visit(page, reverse("events:plan_meeting", args=[group.code]))
    page.fill("#id_date", "2020-01-07")
    page.fill("#id_start_time", "19:00")
    page.fill("#id_end_time", "18:00")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".errorlist").count() >= 2
    check_accessibility(page)

    sign_in_as(context, participant.user, live_server)
    for url in [
        reverse("members:member_home"),
        reverse("groups:groups"),
        reverse("groups:group", args=[group.code]),
        reverse("groups:join_group", args=[other_group.code]),
        reverse("groups:leave_group", args=[group.code]),
        reverse("events:meeting", args=[upcoming.code]),
        reverse("events:my_meetings"),
        reverse("events:history"),
        reverse("events:calendar"),
    ]:
        visit(page, url)

    sign_in_as(context, coordinator, live_server)
    for url in [
        reverse("members:intake_queue"),
        reverse("members:application", args=[applicant.code]),
        reverse("members:application", args=[member.code]),
        reverse("members:audit_log"),
        reverse("groups:groups"),
        reverse("groups:create_group"),
        reverse("groups:group", args=[group.code]),
        reverse("groups:roster", args=[group.code]),
        reverse("groups:edit_group", args=[group.code]),
        reverse("groups:archive_group", args=[group.code]),
        reverse("failed_deliveries"),
        reverse("members:security"),
    ]:
        visit(page, url)
    context.close()
