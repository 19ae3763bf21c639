"""The emails of signing up, confirming an address and choosing a new password
tell a reader of the mailbox nothing beyond the neutral "Echo" sender: no
pseudonym, no region, nothing that says the person applied or is a member."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from echo.models import Region

from ..factories import PASSWORD, MemberFactory
from .test_signup import signup_data

pytestmark = pytest.mark.django_db

# Words that would say there is an account, an application or a membership.
TELLING = {
    "en": ["account", "member", "pseudonym", "application", "applied", "already exists"],
    "nl": ["account", "lid", "leden", "lidmaatschap", "aanvraag", "pseudoniem", "bestaat al"],
    "fr": ["compte", "membre", "adhésion", "candidature", "pseudonyme", "existe déjà"],
}


def assert_tells_nothing(message, language, *names):
    text = " ".join([message.subject, message.body, *(c for c, _ in message.alternatives)])
    found = [name for name in names if name.lower() in text.lower()]
    found += [
        word
        for word in TELLING[language]
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)
    ]
    found += [label for _value, label in Region.choices if label.lower() in text.lower()]
    assert not found, f"{message.subject!r} tells: {found}\n{message.body}"
    assert message.subject.startswith("Echo")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_sign_up_emails_name_nobody(client, language, django_capture_on_commit_callbacks):
    existing = MemberFactory(pseudonym="Eerstelid", user__language=language).user
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            signup_data(email="new@example.org", pseudonym="Zonnebloem", language=language),
        )
        client.post(
            reverse("account_signup"),
            signup_data(email=existing.email, pseudonym="Tweedenaam", language=language),
        )

    confirmation, already = sorted(mail.outbox, key=lambda m: m.to[0] == existing.email)
    assert confirmation.to == ["new@example.org"]
    assert "/accounts/confirm-email/" in confirmation.body
    assert already.to == [existing.email]
    assert reverse("account_reset_password") in already.body
    for message in mail.outbox:
        assert_tells_nothing(message, language, "Zonnebloem", "Eerstelid", "Tweedenaam")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_password_reset_and_added_address_emails_name_nobody(
    client, language, django_capture_on_commit_callbacks
):
    user = MemberFactory(pseudonym="Eerstelid", user__language=language).user
    other = MemberFactory(pseudonym="Anderlid").user
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
        client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        client.post(reverse("account_email"), {"action_add": "", "email": "second@example.org"})
        client.post(reverse("account_email"), {"action_add": "", "email": other.email})

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [user.email, "second@example.org", other.email]
    )
    for message in mail.outbox:
        assert_tells_nothing(message, language, "Eerstelid", "Anderlid")
