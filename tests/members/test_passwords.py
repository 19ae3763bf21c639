"""Passwords are hashed with Argon2 (the tests elsewhere use a fast hasher)."""

import importlib

import pytest
from django.contrib.auth.hashers import check_password

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured_hashers(settings):
    """The hashers of echo/settings.py, not the tests' fast one."""
    settings.PASSWORD_HASHERS = importlib.import_module("echo.settings").PASSWORD_HASHERS
    return settings.PASSWORD_HASHERS


def test_passwords_are_stored_as_argon2_hashes(configured_hashers):
    user = UserFactory()

    assert user.password.startswith("argon2$")
    assert PASSWORD not in user.password
    assert check_password(PASSWORD, user.password)


def test_a_weaker_hash_is_upgraded_to_argon2_at_sign_in(configured_hashers, client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = UserFactory()
    assert user.password.startswith("pbkdf2_sha256$")
    settings.PASSWORD_HASHERS = configured_hashers

    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    user.refresh_from_db()
    assert user.password.startswith("argon2$")
