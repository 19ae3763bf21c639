"""While the database is down, the pages that need none still answer: the
landing page, the help lines, the page on browsing safely and the quick
exit, to a visitor and to a signed-in member alike; and the error page of
every other page links to help that works.

Echo runs here as production runs it (gunicorn, DEBUG off, persistent
connections with health checks) on a PostgreSQL cluster of the test's own,
which the test stops; nothing is faked."""

import http.client
import os
import sys
from http.cookies import SimpleCookie

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.urls import reverse

from bench.server import Process, free_port, wait_until

from .test_database_restart import own_postgres  # noqa: F401 (a fixture)

EXIT_URL = "https://weather.example.org/today"

SETUP = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from members.models import Member, User
from members import services

user = User.objects.create_user("tijdelijk@example.org", "a long enough passphrase")
member = services.submit_application(
    user, pseudonym="Tijdelijk", region="brussel", contact_preference="email",
    phone="", message="",
)
Member.objects.filter(pk=member.pk).update(status=Member.Status.ACTIVE)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "members.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print("session=" + session.session_key)
"""


@pytest.fixture
def echo_on_own_postgres(own_postgres, tmp_path):  # noqa: F811
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))} | {
        "DEBUG": "false",
        "SECRET_KEY": "s" * 20 + Fernet.generate_key().decode(),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE": "false",
        "DATABASE_URL": own_postgres.url,
        "CONN_MAX_AGE": "600",
        "CACHE_URL": "locmemcache://",
        "CELERY_BROKER_URL": "memory://",
        "QUICK_EXIT_URL": EXIT_URL,
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, "manage.py"]
    migrate = Process("migrate", [*manage, "migrate", "-v0"], env, tmp_path)
    assert migrate.process.wait(timeout=300) == 0, migrate.log()
    # Production serves what collectstatic wrote (var/static, as tests/test_production.py).
    static = Process("static", [*manage, "collectstatic", "--no-input", "-v0"], env, tmp_path)
    assert static.process.wait(timeout=120) == 0, static.log()
    setup = Process("setup", [*manage, "shell", "-c", SETUP], env, tmp_path)
    assert setup.process.wait(timeout=120) == 0, setup.log()
    session_key = setup.log().split("session=")[1].split()[0]

    port = free_port()
    server = Process(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "echo.wsgi:application",
        ],
        env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
        tmp_path,
    )
    try:
        assert wait_until(lambda: _answers(port), seconds=60), server.log()
        yield port, session_key, own_postgres
    finally:
        server.stop()
        print(server.log())


def _answers(port):
    try:
        get(port, "/privacy/")
    except OSError:
        return False
    return True


def get(port, path, session_key=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    headers = {"Accept-Language": "nl"}
    if session_key:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session_key}"
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        headers = dict(response.getheaders())
        cookies = SimpleCookie()
        for header in response.msg.get_all("Set-Cookie") or []:
            cookies.load(header)
        headers["cookies"] = cookies
        return response.status, headers, response.read().decode()
    finally:
        connection.close()


def signed_in(html):
    return 'action="/accounts/logout/"' in html


def test_pages_that_need_no_database_answer_while_it_is_down(echo_on_own_postgres):
    port, session_key, cluster = echo_on_own_postgres
    home = reverse("members:member_home")
    # Up: the session is a signed-in member's, in Brussels (lines of both languages).
    status, _headers, html = get(port, home, session_key)
    assert status == 200 and signed_in(html)
    assert 'href="tel:103"' in html and 'href="tel:1712"' in html

    cluster.stop()

    pages = ["landing", "help", "browsing", "privacy", "guidelines"]
    for path in [reverse(page) for page in pages]:
        for key in [None, session_key]:
            status, headers, html = get(port, path, key)
            assert status == 200, (path, key, html)
            assert 'href="tel:1712"' in html and 'href="tel:112"' in html
            assert 'href="/exit/"' in html
            assert not signed_in(html)
            # The member's session is not thrown away for a moment without database.
            assert settings.SESSION_COOKIE_NAME not in headers["cookies"]

    # An address that leads nowhere: the page that says so, with the help lines.
    status, _headers, html = get(port, "/no-such-page/", session_key)
    assert status == 404 and 'href="tel:1712"' in html

    # A page that needs the database fails, with help that works.
    status, _headers, html = get(port, home, session_key)
    assert status == 500
    assert 'href="tel:1813"' in html and 'href="tel:080032123"' in html
    assert 'href="/help/"' in html
    assert get(port, "/help/", session_key)[0] == 200

    # The quick exit still leaves, and takes the session cookie with it.
    status, headers, _html = get(port, reverse("quick_exit"), session_key)
    assert status == 302 and headers["Location"] == EXIT_URL
    cookie = headers["cookies"][settings.SESSION_COOKIE_NAME]
    assert cookie.value == "" and cookie["max-age"] == "0"
