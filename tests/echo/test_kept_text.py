"""The end of a session loses nothing: the notice before the idle limit and
its "stay signed in" (echo.views.session), and the free text of every form
that writes to someone, kept when sent after the session ended
(echo.kept_text). The board forms are in tests/boards/test_drafts.py."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from echo.models import KeptText
from groups.models import GroupMessage
from members.models import IntakeMessage

from ..factories import ApplicantFactory, MeetingFactory

pytestmark = pytest.mark.django_db

WRITTEN = "Een lang bericht dat niet verloren mag gaan."


def writer_field(response):
    match = re.search(r'name="echo_writer" value="([^"]+)"', response.content.decode())
    assert match, "the form has no writer field"
    return match.group(1)


def session_status(client, method="get"):
    return getattr(client, method)(reverse("session")).json()


# The notice before the idle limit


def test_the_notice_is_on_every_page_of_a_signed_in_person_only(client, member):
    assert 'id="session-notice"' not in client.get(reverse("landing")).content.decode()

    client.force_login(member)
    html = client.get(reverse("members:member_home")).content.decode()

    assert 'id="session-notice"' in html
    assert "<script src=" in html and "echo/session.js" in html
    seconds = int(re.search(r'data-seconds-left="(\d+)"', html).group(1))
    assert 0 < seconds <= settings.SESSION_IDLE_LIMIT.total_seconds()


def test_asking_what_is_left_does_not_keep_the_session_alive(client, member):
    client.force_login(member)
    client.get(reverse("members:member_home"))
    idle = settings.SESSION_IDLE_LIMIT

    with time_machine.travel(timezone.now() + idle - timedelta(minutes=2)):
        answer = session_status(client)
        assert answer["signed_in"] and 0 < answer["remaining"] <= 120
    with time_machine.travel(timezone.now() + idle + timedelta(minutes=2)):
        assert session_status(client) == {"signed_in": False, "remaining": 0}
    assert "_auth_user_id" not in client.session


def test_stay_signed_in_keeps_the_session_alive(client, member):
    client.force_login(member)
    client.get(reverse("members:member_home"))
    idle = settings.SESSION_IDLE_LIMIT

    with time_machine.travel(timezone.now() + idle - timedelta(minutes=1)):
        answer = session_status(client, "post")
        assert answer["signed_in"] and answer["remaining"] >= idle.total_seconds() - 1
    with time_machine.travel(timezone.now() + idle + timedelta(minutes=5)):
        assert client.get(reverse("members:member_home")).status_code == 200


def test_stay_signed_in_does_not_pass_the_absolute_limit(client, member):
    client.force_login(member)
    client.get(reverse("members:member_home"))

    near_end = settings.SESSION_ABSOLUTE_LIMIT - timedelta(minutes=1)
    with time_machine.travel(timezone.now() + near_end, tick=False):
        assert session_status(client, "post")["remaining"] <= 60


# Just past the limit the session is ended by echo.middleware.session_limits;
# later its row has expired and the browser holds a cookie of nothing.
@pytest.mark.parametrize("past_limit", [timedelta(seconds=30), timedelta(minutes=5)])
def test_a_page_after_the_idle_limit_says_the_session_ended(client, member, past_limit):
    client.force_login(member)
    client.get(reverse("members:member_home"))

    later = timezone.now() + settings.SESSION_IDLE_LIMIT + past_limit
    with time_machine.travel(later):
        response = client.get(reverse("members:profile"), headers={"Accept-Language": "en"})

    assert response.url == f"{reverse('account_login')}?next={reverse('members:profile')}"
    login_page = client.get(response.url, headers={"Accept-Language": "en"})
    assert "Your session has ended." in login_page.content.decode()
    # Said once: the next page is as any other.
    assert "Your session has ended." not in client.get(reverse("landing")).content.decode()


# Every form that writes to someone keeps its text


@pytest.fixture
def end_session():
    def end():
        Session.objects.all().delete()

    return end


def lose_then_recover(client, user, page, post_to, end_session, field="text"):
    """Open the form, lose the session, send: kept. Signed in again: offered."""
    client.force_login(user)
    writer = writer_field(client.get(page))
    end_session()
    response = client.post(post_to, {field: WRITTEN, "echo_writer": writer})
    assert response.url.startswith(reverse("account_login"))
    assert KeptText.objects.count() == 1
    client.force_login(user)
    form_page = client.get(page)
    assert WRITTEN in form_page.content.decode()
    return form_page


def test_a_message_to_the_group_is_kept(client, facilitator, group, end_session):
    page = reverse("groups:write_to_group", args=[group.code])
    lose_then_recover(client, facilitator, page, page, end_session)

    client.post(page, {"text": WRITTEN})

    assert GroupMessage.objects.filter(group=group).count() == 1
    assert not KeptText.objects.exists()


def test_a_message_to_those_going_is_kept(client, facilitator, group, end_session):
    page = reverse("events:write_to_going", args=[MeetingFactory(group=group).code])
    lose_then_recover(client, facilitator, page, page, end_session)


def test_an_intake_message_of_the_coordinator_is_kept(client, coordinator, end_session):
    application = ApplicantFactory(region=coordinator.coordinator_region)
    page = reverse("members:application", args=[application.code])
    post_to = reverse("members:send_message", args=[application.code])
    form_page = lose_then_recover(client, coordinator, page, post_to, end_session)
    assert form_page.context["message_form"].initial["text"] == WRITTEN

    client.post(post_to, {"text": WRITTEN})

    assert [m.text for m in IntakeMessage.objects.filter(member=application)] == [WRITTEN]
    assert not KeptText.objects.exists()


def test_an_applicants_answer_is_kept(client, applicant, end_session):
    page = reverse("members:status")
    lose_then_recover(client, applicant, page, page, end_session)
