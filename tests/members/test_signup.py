import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from echo.models import AuditEntry
from members.models import Member, User

from ..factories import MemberFactory

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    data = {
        "pseudonym": "Zonnebloem",
        "email": "new@example.org",
        "password1": "a long and quiet passphrase",
        "adult": "yes",
        "region": "antwerpen",
        "language": "fr",
        "contact_preference": "phone",
        "phone": "0470 12 34 56",
        "message": "Bonjour",
        "privacy": "on",
    }
    data.update(overrides)
    return data


def test_signup_creates_an_application_waiting_for_email_verification(client, mailoutbox):
    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    member = Member.objects.get(pseudonym="Zonnebloem")
    assert member.status == Member.Status.APPLIED
    assert member.user.language == "fr"
    assert member.phone == "+32470123456"
    assert member.message_to_coordinator == "Bonjour"
    assert member.privacy_version and member.privacy_agreed_at
    assert not EmailAddress.objects.get(user=member.user).verified
    assert AuditEntry.objects.filter(action="members.application.submitted").count() == 1


def test_under_18_is_pointed_to_nupraatikerover_and_nothing_is_stored(client):
    response = client.post(reverse("account_signup"), signup_data(adult="no"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("members:too_young")
    assert b"nupraatikerover.be" in response.content
    assert b"Zonnebloem" not in response.content
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("pseudonym", "message"),
    [
        ("zonnebloem", "already taken"),
        ("me@mail.be", "email address"),
        ("Jan 0470 12 34 56", "phone number"),
        ("x", "at least 2"),
    ],
)
def test_bad_pseudonyms_are_refused_with_a_clear_message(client, pseudonym, message):
    MemberFactory(pseudonym="ZonneBloem")

    response = client.post(
        reverse("account_signup"), signup_data(pseudonym=pseudonym), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].data["email"] == "new@example.org"
    assert Member.objects.count() == 1


def test_phone_is_required_only_when_contact_is_by_phone(client):
    response = client.post(reverse("account_signup"), signup_data(phone=""))
    assert "phone" in response.context["form"].errors

    response = client.post(
        reverse("account_signup"), signup_data(contact_preference="email", phone="nonsense")
    )
    assert response.status_code == 302
    assert Member.objects.get().phone == ""


def test_invalid_phone_number_is_refused(client):
    response = client.post(reverse("account_signup"), signup_data(phone="12"))
    assert "phone" in response.context["form"].errors
    assert not User.objects.exists()


def test_privacy_statement_must_be_accepted(client):
    data = signup_data()
    del data["privacy"]
    response = client.post(reverse("account_signup"), data)
    assert "privacy" in response.context["form"].errors


def test_a_long_passphrase_is_welcome(client):
    passphrase = "the quiet river remembers every stone it ever carried " * 4
    response = client.post(reverse("account_signup"), signup_data(password1=passphrase))
    assert response.status_code == 302
    assert User.objects.get().check_password(passphrase)
