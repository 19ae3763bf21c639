"""No page is kept in the browser's cache (confidentiality rule 5); every URL
for every signed-in role is tried in tests/test_access_control.py."""

import pytest
from django.urls import reverse

from ..members.test_signup import signup_data
from .test_settings_and_pages import PRODUCTION, manage


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").lower().split(",")}


@pytest.mark.django_db
def test_a_sign_up_form_sent_back_with_what_was_typed_is_not_stored(client):
    response = client.post(reverse("account_signup"), signup_data(phone="12"))

    assert response.status_code == 200
    assert b"Zonnebloem" in response.content
    assert {"no-store", "private"} <= directives(response)


@pytest.mark.django_db
def test_a_public_page_is_not_stored_either(client):
    assert {"no-store", "private"} <= directives(client.get(reverse("landing")))


@pytest.mark.django_db
def test_a_signed_in_page_says_exactly_no_store_private(client, member):
    client.force_login(member)
    response = client.get(reverse("members:profile"))
    assert response["Cache-Control"] == "no-store, private"


def test_static_files_are_served_before_and_stay_cacheable():
    """In production WhiteNoise answers for static files ahead of the middleware."""
    code = (
        "from django.conf import settings; m = settings.MIDDLEWARE; "
        "print(m.index('whitenoise.middleware.WhiteNoiseMiddleware') "
        "< m.index('echo.middleware.no_browser_cache'))"
    )
    result = manage("shell", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"
