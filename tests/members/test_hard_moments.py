"""The hard moments of an application and a membership: a decline or a hold
with kind words and a way to answer, pausing, and the farewell."""

import pytest
from django.core import mail
from django.urls import reverse

from echo.models import OutgoingEmail
from members import services
from members.models import IntakeMessage, Member

from ..factories import ApplicantFactory, MeetingFactory, MemberFactory, english, member_of

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


# Declining and putting on hold


def test_declining_asks_first_and_changes_nothing_until_confirmed(client, coordinator):
    application = ApplicantFactory()
    english(coordinator)
    client.force_login(coordinator)

    page = client.get(reverse("members:application", args=[application.code]))
    confirm = client.get(reverse("members:decline", args=[application.code]))
    # The one-click form no longer declines.
    refused = client.post(reverse("members:decide", args=[application.code]), {"action": "decline"})

    assert reverse("members:decline", args=[application.code]) in text(page)
    assert confirm.status_code == 200
    assert "Decline this application?" in text(confirm)
    assert refused.status_code == 200
    application.refresh_from_db()
    assert application.status == Member.Status.APPLIED


@pytest.mark.parametrize(
    ("action", "status", "words"),
    [
        ("decline", Member.Status.DECLINED, "cannot offer you a place"),
        ("hold", "on_hold", "not a no"),
    ],
)
def test_the_person_reads_the_kind_words_with_the_help_lines_and_can_answer(
    client, coordinator, django_capture_on_commit_callbacks, action, status, words
):
    application = ApplicantFactory()
    english(application.user)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(f"members:{action}", args=[application.code]),
            {"message": "Dank je voor je vertrouwen, Zon.", "reason": "Intern: te vroeg"},
        )

    assert response.url == reverse("members:application", args=[application.code])
    application.refresh_from_db()
    assert application.status == status
    # The email says only that there is news: neither the words nor the reason.
    (email,) = mail.outbox
    assert "Dank je" not in email.body and "Intern" not in email.body

    client.force_login(application.user)
    page = text(client.get(reverse("members:status")))
    assert words in page
    assert "Dank je voor je vertrouwen, Zon." in page
    assert "Intern: te vroeg" not in page
    assert "1813" in page and "Other places to turn to" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:status"), {"text": "Mag ik later opnieuw vragen?"})
    answer = IntakeMessage.objects.get(from_applicant=True)
    assert answer.text == "Mag ik later opnieuw vragen?"
    # The coordinator of the region is told, with a link and not the words.
    told = mail.outbox[-1]
    assert told.to == [coordinator.email]
    assert "opnieuw" not in told.body
    assert reverse("members:application", args=[application.code]) in told.body


def test_the_coordinator_finds_an_answer_after_a_decline_in_the_queue(client, coordinator):
    answered = ApplicantFactory(pseudonym="Beantwoord")
    quiet = ApplicantFactory(pseudonym="Stil")
    for application in (answered, quiet):
        services.decline_application(coordinator, application, message="Sorry")
    services.reply_to_coordinator(Member.objects.get(pk=answered.pk), "Waarom?")
    client.force_login(coordinator)

    queue = client.get(reverse("members:intake_queue"))
    page = client.get(reverse("members:application", args=[answered.code]))

    assert list(queue.context["answers"]) == [answered]
    assert "Waarom?" in text(page)
    # And the coordinator can write back.
    client.post(reverse("members:send_message", args=[answered.code]), {"text": "Graag later."})
    assert answered.messages.filter(from_applicant=False).count() == 2


def test_a_withdrawn_application_has_no_conversation_left(client):
    application = ApplicantFactory(status=Member.Status.WITHDRAWN)
    client.force_login(application.user)

    client.post(reverse("members:status"), {"text": "Hallo?"})

    assert not application.messages.exists()


def test_declining_without_words_is_a_confirmation_too(client, coordinator):
    application = ApplicantFactory()
    client.force_login(coordinator)

    client.post(reverse("members:decline", args=[application.code]))

    application.refresh_from_db()
    assert application.status == Member.Status.DECLINED
    assert not application.messages.exists()


def test_the_words_shown_first_are_those_since_the_decision(coordinator):
    application = ApplicantFactory()
    services.message_applicant(coordinator, application, "Voor het gesprek")
    services.put_application_on_hold(coordinator, application, message="Even wachten")

    application.refresh_from_db()
    assert [m.text for m in services.words_since_decision(application)] == ["Even wachten"]


# Pausing


def test_the_pause_page_says_what_pausing_changes(client, member):
    english(member)
    client.force_login(member)

    page = text(client.get(reverse("members:pause")))

    assert "withdrawn" in page and "no emails" in page


def test_a_paused_member_reaches_a_way_back_instead_of_page_not_found(client, group):
    member = member_of(group, status=Member.Status.PAUSED)
    english(member.user)
    meeting = MeetingFactory(group=group)
    client.force_login(member.user)
    url = reverse("events:meeting", args=[meeting.code])

    response = client.get(url)

    assert response.status_code == 404
    assert "You are paused" in text(response)
    assert reverse("members:resume") in text(response)
    # Coming back from there leads back to the page they wanted.
    back = client.post(reverse("members:resume"), {"next": url})
    assert back.url == url
    assert client.get(url).status_code == 200


def test_someone_never_paused_still_gets_page_not_found(client, group, other_member):
    english(other_member)
    client.force_login(other_member)

    response = client.get(reverse("groups:group", args=[group.code]))

    assert response.status_code == 404
    assert "You are paused" not in text(response)


def test_the_paused_status_page_is_not_an_application(client):
    member = MemberFactory(status=Member.Status.PAUSED)
    english(member.user)
    client.force_login(member.user)

    page = text(client.get(reverse("members:status")))

    assert "Your membership is paused" in page
    assert "Your application" not in page


# The farewell


def test_leaving_ends_the_session_on_a_farewell_page_that_names_nobody(client):
    member = MemberFactory(pseudonym="Vertrekker")
    english(member.user)
    client.force_login(member.user)

    # Signed out by then: the page is in the visitor's language.
    response = client.post(reverse("members:leave"), follow=True, headers={"accept-language": "en"})

    assert response.redirect_chain[-1][0] == reverse("members:farewell")
    assert "_auth_user_id" not in client.session
    page = text(response)
    assert "Take care" in page and "1813" in page
    assert "Vertrekker" not in page and member.user.email not in page
    member.refresh_from_db()
    assert member.status == Member.Status.LEFT


def test_the_farewell_page_needs_nobody_signed_in(client):
    response = client.get(reverse("members:farewell"))

    assert response.status_code == 200
    assert not OutgoingEmail.objects.exists()


def test_someone_who_left_has_no_conversation_with_the_coordinator():
    left = MemberFactory(status=Member.Status.LEFT)

    with pytest.raises(services.InvalidTransition):
        services.reply_to_coordinator(left, "Hallo")
