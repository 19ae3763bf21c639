"""Second-factor secrets (allauth's TOTP secret, the recovery codes' seed) are
stored encrypted with Echo's key ring through the MFA adapter, still sign
people in, and are re-encrypted by rotate_encryption_keys."""

import json
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from echo.fields import DecryptionError, _keyring

from ..factories import PASSWORD, TOTP_SECRET, CoordinatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_keyring():
    _keyring.cache_clear()
    yield
    _keyring.cache_clear()


def stored_data(authenticator_type):
    """The data column as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, data FROM mfa_authenticator")
        rows = cursor.fetchall()
    (data,) = [row[1] for row in rows if row[0] == authenticator_type]
    return data if isinstance(data, str) else json.dumps(data)


def totp_code(secret=TOTP_SECRET):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in_with_totp(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.headers["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(reverse("members:home"))


def test_the_totp_secret_is_stored_encrypted_and_signs_in(client):
    coordinator = CoordinatorFactory()

    stored = stored_data("totp")
    assert TOTP_SECRET not in stored
    assert json.loads(stored)["secret"].startswith("gAAAAA")
    assert sign_in_with_totp(client, coordinator).wsgi_request.user == coordinator


def test_the_recovery_codes_seed_is_stored_encrypted_and_its_codes_work():
    coordinator = CoordinatorFactory()
    codes = RecoveryCodes.activate(coordinator)
    seed = Authenticator.objects.get(type="recovery_codes").wrap()

    stored = json.loads(stored_data("recovery_codes"))
    assert stored["seed"].startswith("gAAAAA")
    first = codes.generate_codes()[0]
    assert seed.validate_code(first)
    assert not RecoveryCodes(Authenticator.objects.get(type="recovery_codes")).validate_code(first)


def test_rotation_re_encrypts_the_second_factor_secrets(client, settings):
    coordinator = CoordinatorFactory()
    RecoveryCodes.activate(coordinator)
    codes = RecoveryCodes(Authenticator.objects.get(type="recovery_codes")).generate_codes()
    new_key = Fernet.generate_key().decode()

    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    _keyring.cache_clear()
    call_command("rotate_encryption_keys")
    # The old key can now go.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    _keyring.cache_clear()

    secret = json.loads(stored_data("totp"))["secret"]
    assert Fernet(new_key.encode()).decrypt(secret.encode()).decode() == TOTP_SECRET
    recovery = RecoveryCodes(Authenticator.objects.get(type="recovery_codes"))
    assert recovery.generate_codes() == codes
    assert sign_in_with_totp(client, coordinator).wsgi_request.user == coordinator


def test_a_secret_under_a_key_that_is_gone_fails_loudly(settings):
    CoordinatorFactory()
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    _keyring.cache_clear()

    with pytest.raises(DecryptionError, match="FIELD_ENCRYPTION_KEYS"):
        Authenticator.objects.get(type="totp").wrap().validate_code(totp_code())
