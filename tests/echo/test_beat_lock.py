"""A second beat cannot run a periodic task twice at the same moment: each
periodic task holds a lock in the shared cache while it runs (echo.beat)."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.utils.module_loading import import_string

from echo import tasks
from echo.beat import OneAtATimeTask, lock_seconds
from echo.models import OutgoingEmail

pytestmark = pytest.mark.django_db

LOCK = f"echo:periodic:{tasks.sweep_outgoing_email.name}"


@pytest.fixture
def due_email():
    # Queued outside a transaction's on_commit: only the sweep will send it.
    return OutgoingEmail.objects.create(
        to="a@example.org", subject="Echo", body_text="Hallo", kind="test"
    )


def test_every_periodic_task_takes_the_lock():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        task = import_string(entry["task"])
        assert isinstance(task._get_current_object(), OneAtATimeTask), entry["task"]
    # Minutely tasks are not held up long by a worker that died holding one.
    assert lock_seconds()[tasks.sweep_outgoing_email.name] == 300


def test_a_copy_that_finds_the_lock_taken_does_nothing(due_email, caplog):
    cache.add(LOCK, "another-run", timeout=60)

    assert tasks.sweep_outgoing_email() is None

    assert OutgoingEmail.objects.get(pk=due_email.pk).state == OutgoingEmail.State.PENDING
    assert mail.outbox == []
    assert "already running elsewhere" in caplog.text
    assert cache.get(LOCK) == "another-run"


def test_the_lock_is_released_when_the_task_ends(due_email):
    tasks.sweep_outgoing_email()

    assert OutgoingEmail.objects.get(pk=due_email.pk).state == OutgoingEmail.State.SENT
    assert cache.get(LOCK) is None
    tasks.sweep_outgoing_email()  # the next minute runs as usual


def test_a_task_that_is_not_periodic_takes_no_lock(due_email):
    cache.add(f"echo:periodic:{tasks.deliver_email.name}", "x", timeout=60)

    tasks.deliver_email(due_email.pk)

    # The claim on the row, not a lock, keeps one email from being sent twice.
    assert len(mail.outbox) == 1
