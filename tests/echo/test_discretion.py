"""Every email Echo sends stays discreet, in every language and mode."""

import pytest
from django.core import mail
from django.urls import reverse

from members import services

from ..discretion import assert_discreet, revealing_words
from ..factories import ApplicantFactory, MemberFactory
from ..members.test_signup import signup_data

pytestmark = pytest.mark.django_db


def test_the_word_list_catches_what_it_should():
    assert revealing_words("Lotgenotenwerking voor overlevers van kindermishandeling")
    assert revealing_words("Survivors of childhood ABUSE")
    assert not revealing_words("Echo: nieuws over je account")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_account_emails_are_discreet(client, language, django_capture_on_commit_callbacks):
    existing = MemberFactory(user__language=language).user
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            signup_data(email=f"new-{language}@example.org", language=language),
        )
        client.post(reverse("account_signup"), signup_data(email=existing.email, pseudonym="Ander"))
        client.post(reverse("account_reset_password"), {"email": existing.email})

    kinds = {message.subject for message in mail.outbox}
    assert len(mail.outbox) == 3, kinds
    for message in mail.outbox:
        assert_discreet(message)
        assert message.subject.startswith("Echo")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("discreet", [False, True])
@pytest.mark.parametrize(
    "decide",
    [
        services.approve_application,
        services.decline_application,
        services.put_application_on_hold,
    ],
)
def test_decision_emails_are_discreet(
    coordinator, language, discreet, decide, django_capture_on_commit_callbacks
):
    applicant = ApplicantFactory(
        user__language=language, emails="discreet" if discreet else "unnamed"
    )
    with django_capture_on_commit_callbacks(execute=True):
        decide(coordinator, applicant, "Confidential reason")

    (message,) = mail.outbox
    assert_discreet(message)
    assert message.to == [applicant.user.email]
    assert "Confidential reason" not in message.body
    assert applicant.pseudonym not in message.body
    if discreet:
        assert reverse("members:home") in message.body
        assert len(message.body.split()) < 25


@pytest.mark.parametrize(
    ("language", "greeting"), [("nl", "Hallo"), ("fr", "Bonjour"), ("en", "Hello")]
)
def test_emails_go_out_in_the_recipients_language(
    coordinator, language, greeting, django_capture_on_commit_callbacks
):
    applicant = ApplicantFactory(user__language=language)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_application(coordinator, applicant)

    assert mail.outbox[0].body.startswith(greeting)
