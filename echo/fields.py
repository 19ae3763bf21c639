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


# Data that an app encrypts with the key ring outside EncryptedTextField (the
# members app: allauth's second-factor secrets): {label: function}.
_reencrypters = {}


def register_reencrypter(label, function):
    """`rotate_encryption_keys` calls `function()` after the encrypted fields:
    it re-encrypts its data with the newest key and returns how many rows.
    For apps above this one, which registers them in AppConfig.ready()."""
    _reencrypters[label] = function


def reencrypters():
    return dict(_reencrypters)


def is_encrypted(value: str) -> bool:
    """The value is a token that the key ring decrypts (not legacy plaintext)."""
    try:
        keyring().decrypt(value.encode())
    except InvalidToken:
        return False
    return True


def _convert_rows(model, fields, convert, batch_size=500):
    rows = []
    for row in model._default_manager.only("pk", *fields).iterator(chunk_size=batch_size):
        for field in fields:
            value = getattr(row, field)
            if value:
                setattr(row, field, convert(value))
        rows.append(row)
        if len(rows) == batch_size:
            model._default_manager.bulk_update(rows, fields)
            rows = []
    if rows:
        model._default_manager.bulk_update(rows, fields)


def encrypt_existing_rows(model, *fields):
    """For a data migration that makes text fields encrypted: run it while the
    historical `model` still has them as plain text fields. A value that is
    already encrypted is left as it is, so running it twice changes nothing."""
    _convert_rows(model, fields, lambda value: value if is_encrypted(value) else encrypt(value))


def decrypt_existing_rows(model, *fields):
    """The way back of `encrypt_existing_rows`, once the fields are plain text again."""
    _convert_rows(model, fields, lambda value: decrypt(value) if is_encrypted(value) else value)


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
