"""Encryption at rest for free text and phone numbers.

The keys come from FIELD_ENCRYPTION_KEYS, never from SECRET_KEY. The first key
encrypts; every key decrypts, so a new key can be put in front and the data
re-encrypted with `manage.py rotate_encryption_keys` before the old one goes.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class DecryptionError(Exception):
    """A stored value could not be decrypted: a key is missing or wrong."""


@cache
def _keyring(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from error


def keyring() -> MultiFernet:
    return _keyring(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return keyring().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return keyring().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError(
            "An encrypted value cannot be decrypted with FIELD_ENCRYPTION_KEYS: "
            "a key is missing or wrong."
        ) from error


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; the empty string stays empty."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)
