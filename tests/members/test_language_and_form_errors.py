"""The language menu, forms' errors in the page's language, informal Dutch,
and the time-zone menu."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from members.forms import LIKELY_TIME_ZONES, ProfileForm
from members.models import User

from .test_signup import signup_data

pytestmark = pytest.mark.django_db


def errors(response):
    return re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode(), re.S)


def test_a_short_password_is_refused_in_dutch_on_the_dutch_page(client):
    response = client.post(
        reverse("account_signup"), signup_data(password1="kort"), HTTP_ACCEPT_LANGUAGE="nl"
    )

    assert response.status_code == 200
    found = " ".join(errors(response))
    assert "Dit wachtwoord is te kort" in found and "10 tekens" in found
    assert "too short" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "te kort"), ("fr", "trop court"), ("en", "too short")],
)
def test_the_error_summary_lists_each_error_with_a_link_to_its_field(client, language, expected):
    response = client.post(
        reverse("account_signup"),
        signup_data(password1="kort", pseudonym="x"),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    html = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert "autofocus" in summary
    assert 'href="#id_password1"' in summary and expected in summary
    assert 'href="#id_pseudonym"' in summary
    # The summary comes before the form's fields.
    assert html.index("error-summary") < html.index('name="pseudonym"')


def test_a_form_without_errors_has_no_summary(client):
    response = client.get(reverse("account_signup"))

    assert "error-summary" not in response.content.decode()


def test_dutch_speaks_to_people_as_je_in_django_and_allauth_texts(client):
    response = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="nl")
    html = response.content.decode()

    assert "Je wachtwoord moet minstens 10 tekens lang zijn" in html
    assert not re.search(r"\b(Uw|uw|U|u)\b", re.sub(r"<[^>]+>", " ", html))

    response = client.get(reverse("account_reset_password"), HTTP_ACCEPT_LANGUAGE="nl")
    assert "a.u.b." not in response.content.decode()


def test_the_language_menu_submits_only_with_its_button(client):
    html = client.get(reverse("landing")).content.decode()
    menu = re.search(r'<form action="/i18n/setlang/".*?</form>', html, re.S).group(0)

    assert '<button type="submit">' in menu
    assert "onchange" not in menu


def test_changing_language_on_a_half_filled_signup_keeps_what_was_typed(client):
    typed = signup_data(language="nl", contact_preference="phone", privacy="")
    typed.pop("privacy")
    page = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'form="signup-form"' in page and 'id="signup-form"' in page

    response = client.post(
        reverse("account_signup"),
        {**typed, "switch_language": "fr", "switch_language_button": "1"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )

    assert response.status_code == 303
    assert response.url == reverse("account_signup")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert not User.objects.exists()
    html = client.get(response.url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<html lang="fr">' in html
    assert 'value="Zonnebloem"' in html and 'value="new@example.org"' in html
    assert 'value="0470 12 34 56"' in html and "Bonjour" in html
    assert re.search(r'value="phone"[^>]*checked', html)
    assert re.search(r'<option value="antwerpen" selected>', html)
    # The account's language follows the page's; the password is never kept.
    assert re.search(r'<option value="fr" selected>', html)
    assert "a long and quiet passphrase" not in html
    assert "error-summary" not in html
    # Only once: the next visit starts afresh.
    assert "Zonnebloem" not in client.get(reverse("account_signup")).content.decode()


def test_enter_in_a_signup_field_signs_up_rather_than_changing_language(client, mailoutbox):
    # Enter presses the form's first button, the language menu's, with the
    # language unchanged.
    response = client.post(
        reverse("account_signup"),
        {**signup_data(), "switch_language": "nl", "switch_language_button": "1"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email="new@example.org").exists()


def test_the_switch_needs_the_forms_csrf_token():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("account_signup"),
        {**signup_data(), "switch_language": "fr", "switch_language_button": "1"},
    )

    assert response.status_code == 403


def test_the_time_zone_menu_offers_likely_zones_first():
    choices = ProfileForm().fields["time_zone"].choices
    (_first_label, first), (_rest_label, rest) = choices

    assert [name for name, _label in first][:4] == [
        "Europe/Brussels",
        "Europe/Amsterdam",
        "Europe/Paris",
        "Europe/Luxembourg",
    ]
    assert "Europe/London" in dict(first)
    assert set(LIKELY_TIME_ZONES).isdisjoint(dict(rest))
    assert "America/New_York" in dict(rest) and len(rest) > 300


FORMAL = re.compile(r"\b(u|U|uw|Uw|uzelf|a\.u\.b\.|kunt u|wilt u)\b")
ALLAUTH_PUBLIC = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]
ALLAUTH_SIGNED_IN = [
    "account_email",
    "account_change_password",
    "account_reauthenticate",
    "mfa_index",
    "mfa_list_webauthn",
    "usersessions_list",
]


def visible_text(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_allauths_pages_speak_to_people_as_je_in_dutch(client, member):
    found = {}
    for name in ALLAUTH_PUBLIC:
        text = visible_text(client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="nl"))
        if hits := FORMAL.findall(text):
            found[name] = hits
    member.language = "nl"
    member.save()
    client.force_login(member)
    for name in ALLAUTH_SIGNED_IN:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert '<html lang="nl">' in response.content.decode()
        if hits := FORMAL.findall(visible_text(response)):
            found[name] = hits
    # Errors too: a wrong current password when changing it.
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "x", "password2": "y"},
    )
    text = visible_text(response)
    assert "error-summary" in response.content.decode()
    if hits := FORMAL.findall(text):
        found["change password errors"] = hits

    assert found == {}
