"""Email delivery with a real Celery worker in another process, on whichever
broker and database the suite runs (SQLite file + SQLAlchemy transport, or
PostgreSQL + Redis)."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from echo import mail as outbox
from echo.celery import app as celery_app
from echo.models import OutgoingEmail
from echo.tasks import sweep_outgoing_email

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """A Celery worker process on the test database; tasks are sent for real."""
    env = os.environ | {
        "DEBUG": "true",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",  # four slashes: an absolute path
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "echo", "worker", "--pool=solo", "-l", "INFO"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    celery_app.conf.task_always_eager = False
    try:
        yield tmp_path / "mail"
    finally:
        celery_app.conf.task_always_eager = True
        process.terminate()
        output, _ = process.communicate(timeout=30)
        print(output)


def wait_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def sent_messages(mail_dir):
    return [p.read_text() for p in mail_dir.glob("*.log")] if mail_dir.exists() else []


def test_the_worker_delivers_what_a_change_queues(worker):
    email = outbox.queue_email(
        to="a@example.org", subject="Echo: test", body_text="Hallo daar", kind="test"
    )
    # Outside a transaction (autocommit) on_commit runs at once: the task is sent.

    assert wait_until(lambda: OutgoingEmail.objects.get(pk=email.pk).state == "sent")
    (message,) = sent_messages(worker)
    assert "Hallo daar" in message and "Subject: Echo: test" in message


def test_the_sweep_delivers_what_was_never_handed_over(worker):
    email = OutgoingEmail.objects.create(
        to="b@example.org", subject="Echo: test", body_text="Verloren bericht", kind="test"
    )

    sweep_outgoing_email.delay()

    assert wait_until(lambda: OutgoingEmail.objects.get(pk=email.pk).state == "sent")
    assert len(sent_messages(worker)) == 1
