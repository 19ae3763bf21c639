import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from echo.models import AuditEntry
from members.models import Member

from ..factories import ApplicantFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_queue_shows_only_verified_open_applications_of_the_own_region(client, coordinator):
    waiting = ApplicantFactory(pseudonym="Wachtend")
    ApplicantFactory(pseudonym="Onbevestigd", user__verified=False)
    ApplicantFactory(pseudonym="Elders", region="limburg")
    ApplicantFactory(pseudonym="Afgewezen", status=Member.Status.DECLINED)
    client.force_login(coordinator)

    response = client.get(reverse("members:intake_queue"))

    assert list(response.context["applications"]) == [waiting]
    assert b"Elders" not in response.content


def test_opening_an_application_is_audited(client, coordinator):
    application = ApplicantFactory(phone="+32470123456", contact_preference="phone")
    client.force_login(coordinator)

    response = client.get(reverse("members:application", args=[application.code]))

    assert b"+32470123456" in response.content
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"members.intake.viewed", "members.phone.viewed"} <= actions
    entry = AuditEntry.objects.get(action="members.phone.viewed")
    assert (entry.actor_code, entry.target_code, entry.region) == (
        coordinator.code,
        application.code,
        "antwerpen",
    )


def test_intake_note_and_approval(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    application = ApplicantFactory()
    client.force_login(coordinator)
    url = reverse("members:application", args=[application.code])

    client.post(reverse("members:add_note", args=[application.code]), {"text": "Goed gesprek"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:decide", args=[application.code]),
            {"action": "approve", "reason": "Past in groep"},
        )

    assert response.url == url
    application.refresh_from_db()
    assert application.status == Member.Status.ACTIVE
    assert application.intake_notes.get().text == "Goed gesprek"
    change = application.history.last()
    assert (change.from_status, change.to_status, change.actor, change.reason) == (
        "applied",
        "active",
        coordinator,
        "Past in groep",
    )
    assert [m.to for m in mailoutbox] == [[application.user.email]]
    assert AuditEntry.objects.filter(action="members.application.approved").exists()


def test_an_impossible_decision_is_refused_with_a_message(client, coordinator):
    application = ApplicantFactory(status=Member.Status.DECLINED)
    client.force_login(coordinator)

    response = client.post(
        reverse("members:decide", args=[application.code]), {"action": "approve"}, follow=True
    )

    application.refresh_from_db()
    assert application.status == Member.Status.DECLINED
    assert list(response.context["messages"])[0].level_tag == "error"


def test_a_refused_note_comes_back_with_what_was_typed(client, coordinator):
    application = ApplicantFactory()
    client.force_login(coordinator)
    too_long = "Lang verhaal. " * 1000

    response = client.post(reverse("members:add_note", args=[application.code]), {"text": too_long})

    assert response.status_code == 200
    form = response.context["note_form"]
    assert "text" in form.errors
    assert form["text"].value() == too_long
    assert not application.intake_notes.exists()


def test_only_active_members_pass_the_gate(client):
    for status in Member.Status:
        member = MemberFactory(status=status)
        client.force_login(member.user)
        response = client.get(reverse("members:member_home"))
        assert response.status_code == (200 if status == Member.Status.ACTIVE else 404), status


def test_home_sends_each_person_where_they_belong(client, coordinator):
    people = {
        MemberFactory().user: reverse("members:member_home"),
        ApplicantFactory().user: reverse("members:status"),
        coordinator: reverse("members:intake_queue"),
        UserFactory(is_staff=True): reverse("admin:index"),
    }
    for user, destination in people.items():
        client.force_login(user)
        assert client.get(reverse("members:home")).url == destination


def test_coordinator_and_applicant_talk_through_echo(
    client, coordinator, django_capture_on_commit_callbacks
):
    application = ApplicantFactory()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("members:send_message", args=[application.code]),
            {"text": "Past donderdag om 14 uur voor een gesprek?"},
        )

    (email,) = mail.outbox
    assert email.to == [application.user.email]
    assert "donderdag om 14 uur" in email.body
    assert AuditEntry.objects.filter(action="members.intake.message_sent").exists()

    client.force_login(application.user)
    page = client.get(reverse("members:status"))
    assert "donderdag om 14 uur" in page.content.decode()
    client.post(reverse("members:status"), {"text": "Ja, dat past."})

    client.force_login(coordinator)
    page = client.get(reverse("members:application", args=[application.code]))
    assert "Ja, dat past." in page.content.decode()
    assert [m.from_applicant for m in application.messages.all()] == [False, True]


def test_in_discreet_mode_the_message_waits_in_echo(
    client, coordinator, django_capture_on_commit_callbacks
):
    application = ApplicantFactory(emails="discreet")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("members:send_message", args=[application.code]),
            {"text": "Past donderdag om 14 uur?"},
        )

    (email,) = mail.outbox
    assert "donderdag" not in email.body
    # The link leads to the conversation, where the message waits.
    assert reverse("members:status") in email.body


def test_an_empty_reply_keeps_nothing_and_explains(client):
    application = ApplicantFactory()
    client.force_login(application.user)

    response = client.post(reverse("members:status"), {"text": "  "})

    assert response.status_code == 200
    assert "text" in response.context["form"].errors
    assert not application.messages.exists()


def test_the_intake_queue_costs_the_same_for_1_or_30_applications(
    client, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)
    ApplicantFactory()
    MemberFactory()
    client.get(reverse("members:intake_queue"))  # the session notes its first activity
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("members:intake_queue"))

    ApplicantFactory.create_batch(29)
    MemberFactory.create_batch(29)
    with django_assert_num_queries(len(one)):
        response = client.get(reverse("members:intake_queue"))
    assert len(response.context["applications"]) == 30
