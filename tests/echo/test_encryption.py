import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from echo.fields import DecryptionError, _keyring
from members.models import IntakeNote, Member
from members.services import add_intake_note

from ..factories import ApplicantFactory

pytestmark = pytest.mark.django_db

PHONE = "+32470999888"
MESSAGE = "Ik wil over mijn vader praten"
NOTE = "Vertelde over de periode in het internaat"


@pytest.fixture(autouse=True)
def _fresh_keyring():
    _keyring.cache_clear()
    yield
    _keyring.cache_clear()


def raw_values(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (fixed names)
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def application(coordinator):
    application = ApplicantFactory(
        phone=PHONE, contact_preference="phone", message_to_coordinator=MESSAGE
    )
    add_intake_note(coordinator, application, NOTE)
    return application


def test_the_database_holds_no_plaintext(application):
    stored = raw_values("members_member", "phone") + raw_values(
        "members_member", "message_to_coordinator"
    )
    stored += raw_values("members_intakenote", "text")
    assert stored and all(value.startswith("gAAAAA") for value in stored)
    assert not any(secret in value for value in stored for secret in [PHONE, MESSAGE, NOTE])

    application.refresh_from_db()
    assert application.phone == PHONE
    assert application.message_to_coordinator == MESSAGE
    assert IntakeNote.objects.get().text == NOTE


def test_rotation_re_encrypts_under_the_newest_key(application, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    before = raw_values("members_member", "phone")

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    _keyring.cache_clear()
    call_command("rotate_encryption_keys")

    after = raw_values("members_member", "phone")
    assert after != before
    assert Fernet(new_key.encode()).decrypt(after[0].encode()).decode() == PHONE
    # The old key can now go: everything still reads with the new key alone.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    _keyring.cache_clear()
    assert Member.objects.get().phone == PHONE
    assert IntakeNote.objects.get().text == NOTE


def test_a_wrong_key_fails_loudly(application, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    _keyring.cache_clear()

    with pytest.raises(DecryptionError, match="FIELD_ENCRYPTION_KEYS"):
        Member.objects.get(pk=application.pk)


def test_a_malformed_key_is_reported_by_the_system_checks(settings):
    from echo.checks import field_encryption_keys

    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    _keyring.cache_clear()

    (error,) = field_encryption_keys(None)
    assert error.id == "echo.E001"


def test_the_outbox_holds_bodies_encrypted_and_sends_them_readable(settings):
    from django.core import mail

    from echo import mail as outbox
    from echo.models import OutgoingEmail
    from members.emails import INTAKE_MESSAGE

    email = outbox.queue_email(
        to="a@example.org",
        subject="Echo: a message for you",
        body_text=f"The coordinator wrote to you: {MESSAGE}",
        body_html=f"<p>{MESSAGE}</p>",
        kind=INTAKE_MESSAGE,
    )

    stored = raw_values("echo_outgoingemail", "body_text")
    stored += raw_values("echo_outgoingemail", "body_html")
    assert all(value.startswith("gAAAAA") for value in stored)
    assert not any(MESSAGE in value for value in stored)

    # Rotation re-encrypts the outbox too.
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    _keyring.cache_clear()
    call_command("rotate_encryption_keys")
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    _keyring.cache_clear()

    outbox.deliver(email.pk)
    (message,) = mail.outbox
    assert MESSAGE in message.body and MESSAGE in message.alternatives[0].content
    assert OutgoingEmail.objects.get().body_text == ""
