import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from echo import help_lines

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "s" * 20 + Fernet.generate_key().decode(),
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "echo.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "CACHE_URL": "locmemcache://",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS"])
def test_production_refuses_to_start_without_its_keys(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"Set {missing} in the environment" in result.stderr


def test_production_refuses_the_development_keys():
    env = PRODUCTION | {"SECRET_KEY": "dev-only-insecure-secret-key-do-not-use-in-production"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "development default" in result.stderr


@pytest.mark.django_db
def test_every_response_carries_a_strict_policy(client):
    response = client.get(reverse("landing"))
    policy = response["Content-Security-Policy"]
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]:
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response["Referrer-Policy"] == "same-origin"


PAGES = ["landing", "help", "privacy", "account_login", "account_signup", "members:too_young"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_neutral_and_offers_quick_exit_and_help(client, page):
    html = client.get(reverse(page)).content.decode()

    assert "<title>Echo</title>" in html
    assert "data-quick-exit" in html
    assert settings.QUICK_EXIT_URL in html
    assert reverse("help") in html
    for line in ["1712", "1813", "112", "nupraatikerover.be"]:
        assert line in html
    # Nothing loads from another host; links out send no referrer.
    for tag in re.findall(r"<(?:script|link|img|iframe|source|form)\b[^>]*>", html):
        assert not re.search(r'(src|href|action)="(https?:)?//', tag), tag
    for link in re.findall(r'<a [^>]*href="https?://[^>]*>', html):
        assert 'rel="noreferrer noopener"' in link


@pytest.mark.django_db
def test_signed_in_pages_are_neutral_too(client, member):
    client.force_login(member)
    html = client.get(reverse("members:member_home")).content.decode()
    assert "<title>Echo</title>" in html
    assert "data-quick-exit" in html


@pytest.mark.django_db
def test_a_session_ends_at_the_absolute_limit_however_active(client, member):
    client.force_login(member)
    assert client.get(reverse("members:member_home")).status_code == 200

    later = timezone.now() + settings.SESSION_ABSOLUTE_LIMIT + timedelta(minutes=1)
    with time_machine.travel(later):
        response = client.get(reverse("members:member_home"))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_session_ends_after_the_idle_limit(client, member):
    client.force_login(member)
    assert client.get(reverse("members:member_home")).status_code == 200

    with time_machine.travel(timezone.now() + settings.SESSION_IDLE_LIMIT - timedelta(minutes=1)):
        assert client.get(reverse("members:member_home")).status_code == 200
    later = timezone.now() + 2 * settings.SESSION_IDLE_LIMIT - timedelta(seconds=30)
    with time_machine.travel(later):
        response = client.get(reverse("members:member_home"))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_session_is_written_at_most_once_a_minute(client, member):
    client.force_login(member)
    client.get(reverse("members:member_home"))

    def session_writes():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("members:member_home")).status_code == 200
        return [q for q in queries.captured_queries if "django_session" in q["sql"]][1:]

    assert session_writes() == []
    with time_machine.travel(timezone.now() + settings.SESSION_ACTIVITY_WRITE_INTERVAL):
        assert len(session_writes()) == 1
        assert session_writes() == []


@pytest.mark.django_db
def test_the_session_cookie_ends_with_the_browser(client, member):
    client.force_login(member)
    cookie = client.get(reverse("members:member_home")).cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_the_language_switch_is_remembered_for_a_signed_in_person(client, member):
    client.force_login(member)

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    member.refresh_from_db()
    assert member.language == "fr"
    assert client.get(reverse("members:member_home"))["Content-Language"] == "fr"


@pytest.mark.django_db
def test_a_visitor_switches_language_with_a_cookie(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get(reverse("landing"))["Content-Language"] == "en"


@pytest.mark.django_db
def test_a_session_ends_after_half_an_hour_without_activity(client, member):
    client.force_login(member)
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert client.get(reverse("members:member_home")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=29 + 31)):
        response = client.get(reverse("members:member_home"))
    assert "/accounts/login/" in response.url


@pytest.mark.django_db
def test_an_unknown_page_is_neutral_and_helpful(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Echo</title>" in html and "data-quick-exit" in html


def test_the_server_error_page_needs_nothing_from_the_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html", {"help_lines": help_lines.every_default()})
    assert "<title>Echo</title>" in html and 'href="tel:1712"' in html
