"""Sign-up, login, password reset and email change answer the same whether an
address is registered or not (confidentiality rule 6)."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from ..factories import PASSWORD, MemberFactory
from .test_signup import signup_data

pytestmark = pytest.mark.django_db

KNOWN, UNKNOWN = "known@example.org", "unknown@example.org"


@pytest.fixture
def known(db):
    return MemberFactory(user__email=KNOWN).user


def normalised(response, email):
    """The page as a person sees it, minus CSRF tokens and the address typed."""
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return response.status_code, response.get("Location"), body.replace(email, "ADDRESS")


def test_signup(client, known, mailoutbox, django_capture_on_commit_callbacks):
    answers = []
    for email, pseudonym in [(KNOWN, "Eerste"), (UNKNOWN, "Tweede")]:
        client.logout()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("account_signup"), signup_data(email=email, pseudonym=pseudonym)
            )
        answers.append(normalised(response, email))
    assert answers[0] == answers[1]
    assert answers[0][1] == reverse("account_email_verification_sent")
    # Both get an email; the registered one is told they already have an account.
    assert sorted(m.to[0] for m in mailoutbox) == [KNOWN, UNKNOWN]


def test_login(client, known):
    answers = [
        normalised(
            client.post(reverse("account_login"), {"login": email, "password": "wrong " * 3}),
            email,
        )
        for email in [KNOWN, UNKNOWN]
    ]
    assert answers[0] == answers[1]
    assert answers[0][0] == 200


def test_password_reset(client, known, mailoutbox, django_capture_on_commit_callbacks):
    answers = []
    for email in [KNOWN, UNKNOWN]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("account_reset_password"), {"email": email})
        answers.append(normalised(response, email))
    assert answers[0] == answers[1]
    assert answers[0][1] == reverse("account_reset_password_done")
    # Unknown addresses get no email at all (ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS off).
    assert [m.to for m in mailoutbox] == [[KNOWN]]


def test_email_change(client, known):
    changer = MemberFactory().user
    response = client.post(reverse("account_login"), {"login": changer.email, "password": PASSWORD})
    assert response.status_code == 302
    # Adding an address asks for a recent sign-in first; without it both
    # answers would only be that question.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    answers = []
    for email in [KNOWN, UNKNOWN]:
        response = client.post(reverse("account_email"), {"action_add": "", "email": email})
        answers.append(normalised(response, email))
        changer.emailaddress_set.filter(email=email).delete()
    assert answers[0] == answers[1]
    assert answers[0][:2] == (302, reverse("account_email"))


def test_resending_a_verification_email(client, known):
    """Resending is offered for one's own addresses only; asking for someone
    else's, registered or not, answers the same and sends nothing."""
    asker = MemberFactory().user
    client.force_login(asker)
    answers = [
        normalised(client.post(reverse("account_email"), {"action_send": "", "email": e}), e)
        for e in [KNOWN, UNKNOWN]
    ]
    assert answers[0] == answers[1]


def test_repeated_failed_logins_are_rate_limited_for_known_and_unknown_alike(client, known):
    answers = []
    for address, email in [("10.0.0.1", KNOWN), ("10.0.0.2", UNKNOWN)]:
        for _ in range(5):
            client.post(
                reverse("account_login"),
                {"login": email, "password": "wrong " * 3},
                REMOTE_ADDR=address,
            )
        # Even the right password is refused now: the limit lives in the cache.
        response = client.post(
            reverse("account_login"), {"login": email, "password": PASSWORD}, REMOTE_ADDR=address
        )
        assert "_auth_user_id" not in client.session
        answers.append(normalised(response, email))
    assert answers[0] == answers[1]
    assert answers[0][0] in (200, 429)


def test_the_password_reset_link_written_by_the_worker_sets_a_new_password(
    client, known, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": KNOWN.upper()})
    (message,) = mailoutbox
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", message.body).group(0)

    form = client.get(urlsplit(link).path, follow=True)
    new = "a brand new and quiet passphrase"
    response = client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})

    assert response.status_code == 302
    known.refresh_from_db()
    assert known.check_password(new)


def test_a_password_reset_asked_while_the_broker_is_down_is_not_lost(
    client, known, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    from echo import mail as outbox
    from members import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.send_password_reset, "delay", broker_down)
    monkeypatch.setattr(outbox, "hand_over", lambda email_id: None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": KNOWN})

    assert response.url == reverse("account_reset_password_done")
    # Written to the outbox, where the sweep sends it once the broker is back.
    from echo.models import OutgoingEmail

    assert OutgoingEmail.objects.filter(to=KNOWN, kind="account.password_reset_key").exists()
